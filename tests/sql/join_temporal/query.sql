-- expected: tests/oracle/gen.mjs
-- Event-time temporal joins (FOR SYSTEM_TIME AS OF) against a versioned table: INNER, LEFT, a
-- condition on the version, and a window after the join.
CREATE TABLE transactions (id STRING, card STRING, merchant_id STRING, amount DECIMAL(10, 2), ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)
  WITH ('connector' = 'filesystem', 'path' = 'transactions.csv', 'format' = 'csv', 'csv.null-literal' = 'null');
CREATE TABLE merchants (merchant_id STRING, category STRING, updated TIMESTAMP(3),
  PRIMARY KEY (merchant_id) NOT ENFORCED,
  WATERMARK FOR updated AS updated - INTERVAL '5' SECOND)
  WITH ('connector' = 'filesystem', 'path' = 'merchants.csv', 'format' = 'csv');

CREATE TABLE inner_out (id STRING, merchant_id STRING, amount DECIMAL(10, 2), ts TIMESTAMP(3), category STRING)
  WITH ('connector' = 'print', 'print-identifier' = 'inner');
CREATE TABLE left_out (id STRING, merchant_id STRING, amount DECIMAL(10, 2), ts TIMESTAMP(3), category STRING)
  WITH ('connector' = 'print', 'print-identifier' = 'left');
CREATE TABLE risky_out (id STRING, merchant_id STRING, amount DECIMAL(10, 2), ts TIMESTAMP(3), category STRING)
  WITH ('connector' = 'print', 'print-identifier' = 'risky');
CREATE TABLE window_out (category STRING, window_start TIMESTAMP(3), window_end TIMESTAMP(3), n BIGINT,
  total DECIMAL(38, 2)) WITH ('connector' = 'print', 'print-identifier' = 'window');

INSERT INTO inner_out
SELECT t.id, t.merchant_id, t.amount, t.ts, m.category
FROM transactions AS t
JOIN merchants FOR SYSTEM_TIME AS OF t.ts AS m ON t.merchant_id = m.merchant_id;

INSERT INTO left_out
SELECT t.id, t.merchant_id, t.amount, t.ts, m.category
FROM transactions AS t
LEFT JOIN merchants FOR SYSTEM_TIME AS OF t.ts AS m ON m.merchant_id = t.merchant_id;

-- The condition on the version applies to the version valid at the row's time.
INSERT INTO risky_out
SELECT t.id, t.merchant_id, t.amount, t.ts, m.category
FROM transactions AS t
JOIN merchants FOR SYSTEM_TIME AS OF t.ts AS m
  ON t.merchant_id = m.merchant_id AND m.category IN ('gambling', 'jewelry')
WHERE t.amount > 100;

CREATE VIEW enriched AS
SELECT t.id, t.amount, t.ts, m.category
FROM transactions AS t JOIN merchants FOR SYSTEM_TIME AS OF t.ts AS m ON t.merchant_id = m.merchant_id;

INSERT INTO window_out
SELECT category, window_start, window_end, COUNT(*), SUM(amount)
FROM TABLE(TUMBLE(TABLE enriched, DESCRIPTOR(ts), INTERVAL '10' MINUTE))
GROUP BY category, window_start, window_end;
