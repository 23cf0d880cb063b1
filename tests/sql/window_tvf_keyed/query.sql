-- expected: tests/oracle/gen.mjs
-- Window TVF: FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '10' SECONDS)) grouped by
-- window_start, window_end, window_time and a key; AVG(DECIMAL(10, 2)) is DECIMAL(38, 6)
-- rounded HALF_UP, SUM(DECIMAL(10, 2)) is DECIMAL(38, 2).
CREATE TABLE tx (
  card_id STRING,
  amount DECIMAL(10, 2),
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (
  window_start TIMESTAMP(3),
  window_end TIMESTAMP(3),
  window_time TIMESTAMP(3),
  card_id STRING,
  cnt BIGINT,
  total DECIMAL(38, 2),
  avg_amount DECIMAL(38, 6)
) WITH ('connector' = 'print');

INSERT INTO results
SELECT window_start, window_end, window_time, card_id, COUNT(*), SUM(amount), AVG(amount)
FROM TABLE(TUMBLE(TABLE tx, DESCRIPTOR(ts), INTERVAL '10' SECONDS))
GROUP BY window_start, window_end, window_time, card_id;
