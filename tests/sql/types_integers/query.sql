-- expected: by hand
-- TINYINT, SMALLINT, INT, BIGINT at their limits and NULL; widening before arithmetic.
CREATE TABLE nums (
  t TINYINT,
  s SMALLINT,
  i INT,
  b BIGINT
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (
  t TINYINT,
  s SMALLINT,
  i INT,
  b BIGINT,
  i_plus BIGINT,
  t2 INT
) WITH ('connector' = 'print');

INSERT INTO results
SELECT t, s, i, b, CAST(i AS BIGINT) + 1, CAST(t AS INT) * 2 FROM nums;
