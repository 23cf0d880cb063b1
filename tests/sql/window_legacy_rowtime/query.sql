-- expected: tests/oracle/gen.mjs
-- Legacy TUMBLE with TUMBLE_ROWTIME (window end - 1 ms) and TUMBLE_START, MIN / MAX of a
-- DOUBLE per key; one row arrives out of order within the 10 s bound.
CREATE TABLE readings (
  sensor STRING,
  temp DOUBLE,
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '10' SECOND
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (
  sensor STRING,
  w_rowtime TIMESTAMP(3),
  w_start TIMESTAMP(3),
  cnt BIGINT,
  lo DOUBLE,
  hi DOUBLE
) WITH ('connector' = 'print');

INSERT INTO results
SELECT
  sensor,
  TUMBLE_ROWTIME(ts, INTERVAL '1' MINUTE),
  TUMBLE_START(ts, INTERVAL '1' MINUTE),
  COUNT(*),
  MIN(temp),
  MAX(temp)
FROM readings
GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE), sensor;
