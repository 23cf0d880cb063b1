-- expected: by hand
-- Joins with an empty side: inner joins give nothing; outer joins pad every row of the other
-- side with NULLs (once the watermark passes their bound or window, or at once for a regular
-- join); a NULL key (c) is padded like any row without a match.
CREATE TABLE l (k INT, v STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
  WITH ('connector' = 'filesystem', 'path' = 'l.csv', 'format' = 'csv', 'csv.null-literal' = 'null');
CREATE TABLE e (k INT, w STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
  WITH ('connector' = 'filesystem', 'path' = 'empty.csv', 'format' = 'csv');
CREATE TABLE ev (k INT, w STRING, ts TIMESTAMP(3), PRIMARY KEY (k) NOT ENFORCED, WATERMARK FOR ts AS ts)
  WITH ('connector' = 'filesystem', 'path' = 'empty.csv', 'format' = 'csv');
CREATE TABLE o_inner (v STRING, w STRING) WITH ('connector' = 'print', 'print-identifier' = 'inner-interval');
CREATE TABLE o_interval (v STRING, w STRING) WITH ('connector' = 'print', 'print-identifier' = 'left-interval');
CREATE TABLE o_window (v STRING, w STRING) WITH ('connector' = 'print', 'print-identifier' = 'full-window');
CREATE TABLE o_temporal (v STRING, w STRING) WITH ('connector' = 'print', 'print-identifier' = 'left-temporal');
CREATE TABLE o_regular (v STRING, w STRING) WITH ('connector' = 'print', 'print-identifier' = 'right-regular');
INSERT INTO o_inner SELECT l.v, e.w FROM l JOIN e ON l.k = e.k AND l.ts BETWEEN e.ts AND e.ts + INTERVAL '1' MINUTE;
INSERT INTO o_interval SELECT l.v, e.w FROM l LEFT JOIN e ON l.k = e.k AND l.ts BETWEEN e.ts AND e.ts + INTERVAL '1' MINUTE;
INSERT INTO o_window SELECT L.v, R.w
FROM TABLE(TUMBLE(TABLE l, DESCRIPTOR(ts), INTERVAL '5' MINUTE)) L
FULL JOIN TABLE(TUMBLE(TABLE e, DESCRIPTOR(ts), INTERVAL '5' MINUTE)) R
  ON L.k = R.k AND L.window_start = R.window_start AND L.window_end = R.window_end;
INSERT INTO o_temporal SELECT l.v, ev.w FROM l LEFT JOIN ev FOR SYSTEM_TIME AS OF l.ts ON l.k = ev.k;
INSERT INTO o_regular SELECT l.v, e.w FROM e RIGHT JOIN l ON l.k = e.k;
