-- expected.out: fraud_query's (tests/oracle/gen.mjs, DuckDB); expected.sink: the transactions
-- whose merchant_country is set and not 'CA' (filtered from transactions.json outside sluice).
-- A statement set: the alerts and an audit log of foreign transactions from one read of the
-- input, in one job (the source and the filter are shared).
CREATE TABLE transactions (
  transaction_id STRING,
  card_id STRING,
  amount DECIMAL(10, 2),
  merchant_country STRING,
  event_time TIMESTAMP(3),
  WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH ('connector' = 'filesystem', 'path' = 'transactions.json', 'format' = 'json');

CREATE TABLE alerts (
  card_id STRING,
  window_start TIMESTAMP(3),
  window_end TIMESTAMP(3),
  txn_count BIGINT,
  total_amount DECIMAL(38, 2)
) WITH ('connector' = 'print');

CREATE TABLE audit (transaction_id STRING, card_id STRING, merchant_country STRING)
WITH ('connector' = 'filesystem', 'path' = 'out/audit', 'format' = 'csv');

CREATE VIEW foreign_transactions AS
SELECT * FROM transactions WHERE merchant_country <> 'CA';

EXECUTE STATEMENT SET
BEGIN
INSERT INTO alerts
SELECT
  card_id,
  TUMBLE_START(event_time, INTERVAL '5' MINUTE) AS window_start,
  TUMBLE_END(event_time, INTERVAL '5' MINUTE) AS window_end,
  COUNT(*) AS txn_count,
  SUM(amount) AS total_amount
FROM foreign_transactions
GROUP BY card_id, TUMBLE(event_time, INTERVAL '5' MINUTE)
HAVING COUNT(*) > 3 AND SUM(amount) > 500;
INSERT INTO audit SELECT transaction_id, card_id, merchant_country FROM foreign_transactions;
END;
