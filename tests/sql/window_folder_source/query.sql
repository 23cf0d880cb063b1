-- expected: tests/oracle/gen.mjs
-- A folder source: all non-hidden files of in/, in name order, read as one stream (so a row
-- of part-2.json older than the watermark reached in part-1.json is late); the hidden file
-- in/.hidden.json is ignored.
CREATE TABLE tx (
  card_id STRING,
  amount DECIMAL(10, 2),
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'filesystem', 'path' = 'in', 'format' = 'json');

CREATE TABLE results (
  window_start TIMESTAMP(3),
  card_id STRING,
  cnt BIGINT,
  total DECIMAL(38, 2)
) WITH ('connector' = 'print');

INSERT INTO results
SELECT window_start, card_id, COUNT(*), SUM(amount)
FROM TABLE(TUMBLE(TABLE tx, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, card_id;
