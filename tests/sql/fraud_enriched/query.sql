-- expected: tests/oracle/gen.mjs
-- examples/fraud-detection/fraud_enriched.sql on the inputs of its generator (gen_enriched.sh
-- 8000 40 5), alerts printed: a temporal join with the merchants' categories, then the
-- 5-minute window rule.
CREATE TABLE transactions (
  transaction_id STRING, card_id STRING, merchant_id STRING, amount DECIMAL(10, 2), merchant_country STRING,
  event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH ('connector' = 'filesystem', 'path' = 'transactions.json', 'format' = 'json');
CREATE TABLE merchants (
  merchant_id STRING, category STRING, update_time TIMESTAMP(3),
  PRIMARY KEY (merchant_id) NOT ENFORCED, WATERMARK FOR update_time AS update_time - INTERVAL '5' SECOND
) WITH ('connector' = 'filesystem', 'path' = 'merchants.json', 'format' = 'json');
CREATE TABLE fraud_alerts (card_id STRING, window_start TIMESTAMP(3), tx_count BIGINT, total_amount DECIMAL(10, 2))
  WITH ('connector' = 'print');
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
