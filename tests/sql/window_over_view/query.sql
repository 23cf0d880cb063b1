-- expected: tests/oracle/gen.mjs
-- Windows over a view (TVF: TABLE(TUMBLE(TABLE big_tx, ...))) and over a subquery in FROM
-- (legacy TUMBLE): the rowtime keeps its time attribute through the projection and filter.
CREATE TABLE tx (
  card_id STRING,
  amount DECIMAL(10, 2),
  merchant_country STRING,
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE VIEW big_tx AS
SELECT card_id, amount, ts FROM tx WHERE amount >= 10;

CREATE TABLE from_view (
  window_start TIMESTAMP(3),
  card_id STRING,
  cnt BIGINT,
  total DECIMAL(38, 2)
) WITH ('connector' = 'print', 'print-identifier' = 'view');

CREATE TABLE from_subquery (
  w_end TIMESTAMP(3),
  country STRING,
  cnt BIGINT,
  doubled DECIMAL(38, 2)
) WITH ('connector' = 'print', 'print-identifier' = 'sub');

INSERT INTO from_view
SELECT window_start, card_id, COUNT(*), SUM(amount)
FROM TABLE(TUMBLE(TABLE big_tx, DESCRIPTOR(ts), INTERVAL '5' MINUTES))
GROUP BY window_start, window_end, card_id;

INSERT INTO from_subquery
SELECT TUMBLE_END(ts, INTERVAL '5' MINUTE), country, COUNT(*), SUM(amount2)
FROM (
  SELECT UPPER(merchant_country) AS country, amount * 2 AS amount2, ts
  FROM tx
  WHERE merchant_country IS NOT NULL
) AS t
GROUP BY country, TUMBLE(ts, INTERVAL '5' MINUTE);
