-- expected: by hand
-- A selected column that is neither in GROUP BY nor inside an aggregate.
CREATE TABLE transactions (
  card_id STRING,
  amount DECIMAL(10, 2),
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');
CREATE TABLE results (card_id STRING, amount DECIMAL(10, 2), cnt BIGINT) WITH ('connector' = 'print');
INSERT INTO results
SELECT card_id, amount, COUNT(*)
FROM transactions
GROUP BY card_id, TUMBLE(ts, INTERVAL '5' MINUTE);
