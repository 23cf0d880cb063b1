-- expected: tests/oracle/gen.mjs
-- 5-minute TVF windows across a year end (2023-12-31 -> 2024-01-01), across 28 -> 29 February
-- and 29 February -> 1 March of a leap year, and across a month end (31 March -> 1 April).
CREATE TABLE ev (
  amount INT,
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '10' SECOND
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (
  window_start TIMESTAMP(3),
  window_end TIMESTAMP(3),
  cnt BIGINT,
  total INT
) WITH ('connector' = 'print');

INSERT INTO results
SELECT window_start, window_end, COUNT(*), SUM(amount)
FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '5' MINUTE))
GROUP BY window_start, window_end;
