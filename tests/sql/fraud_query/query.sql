-- expected: tests/oracle/gen.mjs (which also generates transactions.json)
-- The fraud-detection query: non-CA transactions per card in 5-minute tumbling windows,
-- alerting when a card has more than 3 of them totalling more than 500.
CREATE TABLE transactions (
  transaction_id STRING,
  card_id STRING,
  amount DECIMAL(10, 2),
  merchant_country STRING,
  event_time TIMESTAMP(3),
  WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
  'connector' = 'filesystem',
  'path' = 'transactions.json',
  'format' = 'json'
);

CREATE TABLE alerts (
  card_id STRING,
  window_start TIMESTAMP(3),
  window_end TIMESTAMP(3),
  txn_count BIGINT,
  total_amount DECIMAL(38, 2)
) WITH ('connector' = 'print');

INSERT INTO alerts
SELECT
  card_id,
  TUMBLE_START(event_time, INTERVAL '5' MINUTE) AS window_start,
  TUMBLE_END(event_time, INTERVAL '5' MINUTE) AS window_end,
  COUNT(*) AS txn_count,
  SUM(amount) AS total_amount
FROM transactions
WHERE merchant_country <> 'CA'
GROUP BY card_id, TUMBLE(event_time, INTERVAL '5' MINUTE)
HAVING COUNT(*) > 3 AND SUM(amount) > 500;
