-- The fraud query of examples/fraud-detection/fraud.sql, fed and drained by the embed-fraud-service
-- program: it pushes the transactions that clients POST into the host source `transactions` and
-- serves the rows of the host sink `fraud_alerts`. Cards with more than 3 foreign (non-CA)
-- transactions totalling more than 500 within a 5-minute window raise an alert.
CREATE TABLE transactions (
  transaction_id STRING,
  card_id STRING,
  amount DECIMAL(10, 2),
  merchant_country STRING,
  event_time TIMESTAMP(3),
  WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
  'connector' = 'host',
  'format' = 'json'
);

CREATE TABLE fraud_alerts (
  card_id STRING,
  window_start TIMESTAMP(3),
  tx_count BIGINT,
  total_amount DECIMAL(10, 2)
) WITH (
  'connector' = 'host',
  'format' = 'json'
);

INSERT INTO fraud_alerts
SELECT
  card_id,
  TUMBLE_START(event_time, INTERVAL '5' MINUTE) AS window_start,
  COUNT(*) AS tx_count,
  SUM(amount) AS total_amount
FROM transactions
WHERE merchant_country <> 'CA'
GROUP BY card_id, TUMBLE(event_time, INTERVAL '5' MINUTE)
HAVING COUNT(*) > 3 AND SUM(amount) > 500;
