-- expected: tests/oracle/gen.mjs
-- The rowtime is a computed column (ts AS TO_TIMESTAMP(ts_str)) carrying the WATERMARK;
-- 30-second TVF windows per user.
CREATE TABLE clicks (
  user_id STRING,
  ts_str STRING,
  ts AS TO_TIMESTAMP(ts_str),
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (
  window_start TIMESTAMP(3),
  window_end TIMESTAMP(3),
  user_id STRING,
  clicks BIGINT
) WITH ('connector' = 'print');

INSERT INTO results
SELECT window_start, window_end, user_id, COUNT(*)
FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '30' SECOND))
GROUP BY window_start, window_end, user_id;
