-- expected: by hand
-- Searched CASE (first match wins, NULL condition is not a match), simple CASE without ELSE
-- (NULL when nothing matches), CASE on IS NULL.
CREATE TABLE scores (
  id INT,
  score INT,
  grade STRING
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (
  id INT,
  band STRING,
  grade_num INT,
  score2 INT
) WITH ('connector' = 'print');

INSERT INTO results
SELECT
  id,
  CASE WHEN score >= 90 THEN 'top' WHEN score >= 50 THEN 'mid' ELSE 'low' END,
  CASE grade WHEN 'A' THEN 1 WHEN 'B' THEN 2 END,
  CASE WHEN score IS NULL THEN -1 ELSE score * 2 END
FROM scores;
