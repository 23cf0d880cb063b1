-- expected: tests/oracle/gen.mjs
-- Result types of windowed SUM / AVG / MIN / MAX (Flink): AVG of INT / BIGINT is the same
-- type truncated toward zero; AVG(DOUBLE) is DOUBLE; AVG(DECIMAL(p, s)) is
-- DECIMAL(38, max(6, s)) rounded HALF_UP; SUM(DECIMAL(p, s)) is DECIMAL(38, s); MIN / MAX of
-- the rowtime column is a TIMESTAMP(3).
CREATE TABLE m (
  i INT,
  b BIGINT,
  x DOUBLE,
  d DECIMAL(10, 2),
  e DECIMAL(12, 8),
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (
  w_start TIMESTAMP(3),
  avg_i INT,
  avg_b BIGINT,
  avg_x DOUBLE,
  avg_d DECIMAL(38, 6),
  avg_e DECIMAL(38, 8),
  sum_b BIGINT,
  sum_x DOUBLE,
  sum_e DECIMAL(38, 8),
  first_ts TIMESTAMP(3),
  last_ts TIMESTAMP(3)
) WITH ('connector' = 'print');

INSERT INTO results
SELECT
  TUMBLE_START(ts, INTERVAL '30' SECOND),
  AVG(i), AVG(b), AVG(x), AVG(d), AVG(e),
  SUM(b), SUM(x), SUM(e),
  MIN(ts), MAX(ts)
FROM m
GROUP BY TUMBLE(ts, INTERVAL '30' SECOND);
