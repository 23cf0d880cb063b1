-- expected: tests/oracle/gen.mjs
-- A csv source ('|' delimiter, 'NULL' as the null literal) feeding a legacy 2-minute window;
-- COUNT(*) counts the row with a NULL amount, COUNT(amount) and SUM(amount) skip it.
CREATE TABLE tx (
  card_id STRING,
  amount DECIMAL(10, 2),
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '3' SECOND
) WITH (
  'connector' = 'filesystem',
  'path' = 'input.csv',
  'format' = 'csv',
  'csv.field-delimiter' = '|',
  'csv.null-literal' = 'NULL'
);

CREATE TABLE results (
  card_id STRING,
  w_start TIMESTAMP(3),
  n_rows BIGINT,
  n_amounts BIGINT,
  total DECIMAL(38, 2)
) WITH ('connector' = 'print');

INSERT INTO results
SELECT card_id, TUMBLE_START(ts, INTERVAL '2' MINUTE), COUNT(*), COUNT(amount), SUM(amount)
FROM tx
GROUP BY card_id, TUMBLE(ts, INTERVAL '2' MINUTE);
