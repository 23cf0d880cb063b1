-- expected: tests/oracle/gen.mjs
-- WATERMARK FOR ts AS ts (no delay): equal timestamps and older rows of a still-open window
-- are kept; a row of a window whose end - 1 ms has been reached by the watermark is late.
CREATE TABLE ev (
  k STRING,
  v INT,
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (
  window_start TIMESTAMP(3),
  window_time TIMESTAMP(3),
  cnt BIGINT,
  total INT
) WITH ('connector' = 'print');

INSERT INTO results
SELECT window_start, window_time, COUNT(*), SUM(v)
FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY window_start, window_end, window_time;
