-- expected: tests/oracle/gen.mjs
-- Windowed results written by the filesystem sink in json: one object per line, fields in
-- schema order, no spaces, DECIMAL as a JSON number with its scale, TIMESTAMP(3) as a string
-- in the SQL form, BOOLEAN as true / false, NULL as null.
CREATE TABLE tx (
  card_id STRING,
  amount DECIMAL(10, 2),
  note STRING,
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE summary (
  card_id STRING,
  w_start STRING,
  w_time TIMESTAMP(3),
  cnt BIGINT,
  total DECIMAL(38, 2),
  multi BOOLEAN,
  note STRING
) WITH ('connector' = 'filesystem', 'path' = 'out', 'format' = 'json');

INSERT INTO summary
SELECT
  card_id,
  DATE_FORMAT(window_start, 'yyyy-MM-dd HH:mm'),
  window_time,
  COUNT(*),
  SUM(amount),
  COUNT(*) > 1,
  MAX(note)
FROM TABLE(TUMBLE(TABLE tx, DESCRIPTOR(ts), INTERVAL '5' MINUTE))
GROUP BY card_id, window_start, window_end, window_time;
