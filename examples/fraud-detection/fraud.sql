-- Fraud detection on Kinesis Data Streams, as in the Kinesis architecture article: cards with more
-- than 3 foreign (non-CA) transactions totalling more than 500 within a 5-minute window.
-- Runs against AWS or a local Kinesis server (AWS_ENDPOINT_URL_KINESIS): see demo_kinesis.sh.
CREATE TABLE transactions (
  transaction_id STRING,
  card_id STRING,
  amount DECIMAL(10, 2),
  merchant_country STRING,
  event_time TIMESTAMP(3),
  WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
  'connector' = 'kinesis',
  'stream' = 'transactions',
  'aws.region' = 'us-east-1',
  'scan.stream.initpos' = 'LATEST',
  'format' = 'json'
);

CREATE TABLE fraud_alerts (
  card_id STRING,
  window_start TIMESTAMP(3),
  tx_count BIGINT,
  total_amount DECIMAL(10, 2)
) WITH (
  'connector' = 'kinesis',
  'stream' = 'fraud-alerts',
  'aws.region' = 'us-east-1',
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
