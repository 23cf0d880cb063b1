-- expected: tests/oracle/gen.mjs
-- Windows crossing midnight: 1-hour windows (legacy form) and 1-day windows (TVF form) over
-- the same stream; an out-of-order row within the 1-minute bound is kept, a row behind a
-- closed window is dropped (late), rows exactly at midnight open the next day's window.
CREATE TABLE sales (
  store STRING,
  amount INT,
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '1' MINUTE
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE hourly (
  store STRING,
  w_start TIMESTAMP(3),
  w_end TIMESTAMP(3),
  cnt BIGINT,
  total INT
) WITH ('connector' = 'print', 'print-identifier' = 'hour');

CREATE TABLE daily (
  window_start TIMESTAMP(3),
  window_end TIMESTAMP(3),
  store STRING,
  cnt BIGINT,
  total INT
) WITH ('connector' = 'print', 'print-identifier' = 'day');

INSERT INTO hourly
SELECT store, TUMBLE_START(ts, INTERVAL '1' HOUR), TUMBLE_END(ts, INTERVAL '1' HOUR), COUNT(*), SUM(amount)
FROM sales
GROUP BY store, TUMBLE(ts, INTERVAL '1' HOUR);

INSERT INTO daily
SELECT window_start, window_end, store, COUNT(*), SUM(amount)
FROM TABLE(TUMBLE(TABLE sales, DESCRIPTOR(ts), INTERVAL '1' DAY))
GROUP BY window_start, window_end, store;
