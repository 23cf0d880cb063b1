-- The fraud query of fraud.sql over local files: transactions from data/transactions.json (made by
-- gen_transactions.sh), alerts written as JSON part files into the folder alerts/.
-- Run from the repository root: sluice run examples/fraud-detection/fraud_local.sql
-- It checkpoints every 10 s into a local folder (RocksDB state); alert files are published
-- exactly once, when the checkpoint that covers them completes (the last one at the end of input).
-- After a crash: sluice run examples/fraud-detection/fraud_local.sql --restore latest
SET 'execution.checkpointing.interval' = '10 s';
SET 'state.checkpoints.dir' = 'examples/fraud-detection/checkpoints';
CREATE TABLE transactions (
  transaction_id STRING,
  card_id STRING,
  amount DECIMAL(10, 2),
  merchant_country STRING,
  event_time TIMESTAMP(3),
  WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
  'connector' = 'filesystem',
  'path' = 'examples/fraud-detection/data/transactions.json',
  'format' = 'json'
);

CREATE TABLE fraud_alerts (
  card_id STRING,
  window_start TIMESTAMP(3),
  tx_count BIGINT,
  total_amount DECIMAL(10, 2)
) WITH (
  'connector' = 'filesystem',
  'path' = 'examples/fraud-detection/alerts',
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
