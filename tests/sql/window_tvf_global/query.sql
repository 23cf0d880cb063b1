-- expected: tests/oracle/gen.mjs
-- Window TVF without a key (GROUP BY window_start, window_end only); MIN / MAX of STRING and
-- DECIMAL, SUM of INT (= INT); windows without rows emit nothing.
CREATE TABLE tx (
  card_id STRING,
  amount DECIMAL(10, 2),
  qty INT,
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (
  window_start TIMESTAMP(3),
  window_end TIMESTAMP(3),
  cnt BIGINT,
  first_card STRING,
  last_card STRING,
  max_amount DECIMAL(10, 2),
  qty_sum INT
) WITH ('connector' = 'print');

INSERT INTO results
SELECT window_start, window_end, COUNT(*), MIN(card_id), MAX(card_id), MAX(amount), SUM(qty)
FROM TABLE(TUMBLE(TABLE tx, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end;
