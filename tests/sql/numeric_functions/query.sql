-- expected: by hand
-- ABS, ROUND (HALF_UP, away from zero on ties; ROUND(DECIMAL(10,3), 2) is DECIMAL(10, 2)),
-- FLOOR, CEIL on DECIMAL and DOUBLE, MOD on INT with Java's sign rule (sign of the dividend).
CREATE TABLE nums (
  i INT,
  d DECIMAL(10, 3),
  x DOUBLE
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (
  abs_i INT,
  abs_d DECIMAL(10, 3),
  abs_x DOUBLE,
  round_d2 DECIMAL(10, 2),
  round_d DECIMAL(10, 0),
  round_x1 DOUBLE,
  floor_d DECIMAL(10, 0),
  ceil_d DECIMAL(10, 0),
  floor_x DOUBLE,
  ceil_x DOUBLE,
  mod_i INT
) WITH ('connector' = 'print');

INSERT INTO results
SELECT
  ABS(i), ABS(d), ABS(x),
  ROUND(d, 2), ROUND(d, 0), ROUND(x, 1),
  FLOOR(d), CEIL(d), FLOOR(x), CEIL(x),
  MOD(i, 3)
FROM nums;
