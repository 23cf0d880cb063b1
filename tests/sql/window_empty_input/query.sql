-- expected: by hand (no rows in, so no window ever opens and nothing is printed)
-- Empty input: both window forms over an empty file end normally with no output.
CREATE TABLE tx (
  card_id STRING,
  amount DECIMAL(10, 2),
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE legacy_out (card_id STRING, cnt BIGINT) WITH ('connector' = 'print');
CREATE TABLE tvf_out (window_start TIMESTAMP(3), cnt BIGINT, total DECIMAL(38, 2)) WITH ('connector' = 'print');

INSERT INTO legacy_out
SELECT card_id, COUNT(*) FROM tx GROUP BY card_id, TUMBLE(ts, INTERVAL '5' MINUTE);

INSERT INTO tvf_out
SELECT window_start, COUNT(*), SUM(amount)
FROM TABLE(TUMBLE(TABLE tx, DESCRIPTOR(ts), INTERVAL '5' MINUTE))
GROUP BY window_start, window_end;
