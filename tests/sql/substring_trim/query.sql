-- expected: by hand
-- SUBSTRING (1-based; FROM/FOR and comma forms; past the end gives what is left, possibly
-- empty) and TRIM (BOTH by default, LEADING, TRAILING, a given character).
CREATE TABLE texts (
  id INT,
  s STRING
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (
  id INT,
  sub_2_3 STRING,
  sub_from_3 STRING,
  sub_1_2 STRING,
  trimmed STRING,
  ltrimmed STRING,
  rtrimmed STRING,
  x_trimmed STRING,
  trimmed_len INT
) WITH ('connector' = 'print');

INSERT INTO results
SELECT
  id,
  SUBSTRING(s FROM 2 FOR 3),
  SUBSTRING(s FROM 3),
  SUBSTRING(s, 1, 2),
  TRIM(s),
  TRIM(LEADING FROM s),
  TRIM(TRAILING FROM s),
  TRIM(BOTH 'x' FROM s),
  CHAR_LENGTH(TRIM(s))
FROM texts;
