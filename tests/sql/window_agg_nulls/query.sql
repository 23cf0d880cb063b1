-- expected: tests/oracle/gen.mjs
-- Aggregates over NULL inputs in a window: COUNT(*) counts rows, COUNT(x) and
-- COUNT(DISTINCT x) skip NULLs; SUM / AVG / MIN / MAX of no non-NULL value are NULL;
-- AVG(INT) is INT truncated toward zero (-5 / 3 = -1).
CREATE TABLE obs (
  grp STRING,
  v INT,
  s STRING,
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (
  window_start TIMESTAMP(3),
  grp STRING,
  n_rows BIGINT,
  n_v BIGINT,
  n_distinct_s BIGINT,
  sum_v INT,
  avg_v INT,
  min_v INT,
  max_v INT,
  min_s STRING,
  max_s STRING
) WITH ('connector' = 'print');

INSERT INTO results
SELECT
  window_start, grp,
  COUNT(*), COUNT(v), COUNT(DISTINCT s),
  SUM(v), AVG(v), MIN(v), MAX(v), MIN(s), MAX(s)
FROM TABLE(TUMBLE(TABLE obs, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, grp;
