-- expected: by hand
-- IS NULL, IS NOT NULL, COALESCE over strings and integers; an empty string is not NULL.
CREATE TABLE maybe (
  id INT,
  a STRING,
  b STRING,
  n INT
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (
  id INT,
  a_is_null BOOLEAN,
  b_not_null BOOLEAN,
  first_set STRING,
  n_or_zero INT,
  n_is_null BOOLEAN
) WITH ('connector' = 'print');

INSERT INTO results
SELECT id, a IS NULL, b IS NOT NULL, COALESCE(a, b, 'none'), COALESCE(n, 0), n IS NULL
FROM maybe;
