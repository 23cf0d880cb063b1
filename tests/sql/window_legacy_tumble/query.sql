-- expected: tests/oracle/gen.mjs
-- Legacy GROUP BY key, TUMBLE(ts, INTERVAL '5' MINUTE) with TUMBLE_START / TUMBLE_END,
-- COUNT(*) and SUM(DECIMAL) (= DECIMAL(38, 2)); rows on a window boundary; an empty window.
CREATE TABLE tx (
  card_id STRING,
  amount DECIMAL(10, 2),
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (
  card_id STRING,
  w_start TIMESTAMP(3),
  w_end TIMESTAMP(3),
  cnt BIGINT,
  total DECIMAL(38, 2)
) WITH ('connector' = 'print');

INSERT INTO results
SELECT
  card_id,
  TUMBLE_START(ts, INTERVAL '5' MINUTE),
  TUMBLE_END(ts, INTERVAL '5' MINUTE),
  COUNT(*),
  SUM(amount)
FROM tx
GROUP BY card_id, TUMBLE(ts, INTERVAL '5' MINUTE);
