-- The fraud rule of fraud.sql, sharpened with a reference stream: each transaction is joined with
-- the category its merchant had at the time of the transaction (an event-time temporal join
-- against the versioned `merchants` table), and a card is flagged when, within a 5-minute
-- tumbling window, it made more than 3 international transactions totalling more than 500 at
-- merchants in a high-risk category.
--
-- Inputs (local files): make them with
--   examples/fraud-detection/gen_enriched.sh 200000
-- which writes data/enriched/transactions.json and data/enriched/merchants.json.
-- Run from the repository root:
--   sluice run examples/fraud-detection/fraud_enriched.sql
-- Alerts go to examples/fraud-detection/alerts-enriched/ as JSON part files, published exactly
-- once when the checkpoint that covers them completes.
SET 'execution.checkpointing.interval' = '10 s';
SET 'state.checkpoints.dir' = 'examples/fraud-detection/checkpoints-enriched';

CREATE TABLE transactions (
  transaction_id STRING,
  card_id STRING,
  merchant_id STRING,
  amount DECIMAL(10, 2),
  merchant_country STRING,
  event_time TIMESTAMP(3),
  WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
  'connector' = 'filesystem',
  'path' = 'examples/fraud-detection/data/enriched/transactions.json',
  'format' = 'json'
);

-- A versioned table: a primary key and an event time. Every row is a new version of its merchant.
CREATE TABLE merchants (
  merchant_id STRING,
  category STRING,
  update_time TIMESTAMP(3),
  PRIMARY KEY (merchant_id) NOT ENFORCED,
  WATERMARK FOR update_time AS update_time - INTERVAL '5' SECOND
) WITH (
  'connector' = 'filesystem',
  'path' = 'examples/fraud-detection/data/enriched/merchants.json',
  'format' = 'json'
);

CREATE TABLE fraud_alerts (
  card_id STRING,
  window_start TIMESTAMP(3),
  tx_count BIGINT,
  total_amount DECIMAL(10, 2)
) WITH (
  'connector' = 'filesystem',
  'path' = 'examples/fraud-detection/alerts-enriched',
  'format' = 'json'
);

-- International transactions at merchants that were high-risk when the card was used.
CREATE VIEW high_risk_transactions AS
SELECT t.card_id, t.amount, t.event_time, m.category
FROM transactions AS t
JOIN merchants FOR SYSTEM_TIME AS OF t.event_time AS m
  ON t.merchant_id = m.merchant_id
WHERE t.merchant_country <> 'CA'
  AND m.category IN ('gambling', 'jewelry', 'electronics', 'crypto');

INSERT INTO fraud_alerts
SELECT card_id, window_start, COUNT(*) AS tx_count, SUM(amount) AS total_amount
FROM TABLE(TUMBLE(TABLE high_risk_transactions, DESCRIPTOR(event_time), INTERVAL '5' MINUTE))
GROUP BY card_id, window_start, window_end
HAVING COUNT(*) > 3 AND SUM(amount) > 500;
