-- expected: by hand
-- Comparison operators on INT, STRING and DECIMAL-vs-INT; a NULL operand gives NULL.
CREATE TABLE vals (
  a INT,
  b INT,
  s STRING,
  d DECIMAL(5, 2)
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (
  a INT,
  eq BOOLEAN,
  ne BOOLEAN,
  lt BOOLEAN,
  le BOOLEAN,
  gt BOOLEAN,
  ge BOOLEAN,
  s_lt_m BOOLEAN,
  d_eq_1 BOOLEAN
) WITH ('connector' = 'print');

INSERT INTO results
SELECT a, a = b, a <> b, a < b, a <= b, a > b, a >= b, s < 'm', d = 1 FROM vals;
