-- expected: tests/oracle/gen.mjs
-- HAVING on windowed aggregates, in the legacy form and in the TVF form (two jobs, two print
-- identifiers); boundary values (SUM exactly 100.00 is not > 100).
CREATE TABLE tx (
  card_id STRING,
  amount DECIMAL(10, 2),
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE legacy_out (
  card_id STRING,
  w_end TIMESTAMP(3),
  cnt BIGINT,
  total DECIMAL(38, 2)
) WITH ('connector' = 'print', 'print-identifier' = 'legacy');

CREATE TABLE tvf_out (
  window_start TIMESTAMP(3),
  card_id STRING,
  biggest DECIMAL(10, 2)
) WITH ('connector' = 'print', 'print-identifier' = 'tvf');

INSERT INTO legacy_out
SELECT card_id, TUMBLE_END(ts, INTERVAL '5' MINUTE), COUNT(*), SUM(amount)
FROM tx
GROUP BY card_id, TUMBLE(ts, INTERVAL '5' MINUTE)
HAVING COUNT(*) >= 2 AND SUM(amount) > 100;

INSERT INTO tvf_out
SELECT window_start, card_id, MAX(amount)
FROM TABLE(TUMBLE(TABLE tx, DESCRIPTOR(ts), INTERVAL '5' MINUTES))
GROUP BY window_start, window_end, card_id
HAVING MAX(amount) > 50;
