-- expected: by hand
-- Late rows in joins. The left input is 4096 rows (a batch) in l/1.csv: a (10:00:30), fillers
-- with key 9 (no match), b (10:06:00); then l/2.csv: `late` (10:01:00). Sources are read in turns,
-- the one furthest behind in event time first: left batch 1 (left watermark 10:06:00), then all
-- of the right input (x at 10:01:00, y at 10:07:00; its end lifts its watermark to the maximum),
-- then `late`, when the join's watermark (the minimum of its inputs') is 10:06:00.
-- Window join (5-minute windows): a-x and b-y join; `late` belongs to a window that has closed
-- (10:05:00 - 1 ms <= 10:06:00): dropped and counted, as in Flink.
-- Interval join (+-1 minute): a-x and b-y join; by the time `late` arrives, x (which it would
-- match) is gone, as the watermark passed x's bound (10:02:00): `late` joins nothing.
CREATE TABLE l (k INT, v STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
  WITH ('connector' = 'filesystem', 'path' = 'l', 'format' = 'csv');
CREATE TABLE r (k INT, w STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
  WITH ('connector' = 'filesystem', 'path' = 'r.csv', 'format' = 'csv');
CREATE TABLE window_out (v STRING, w STRING) WITH ('connector' = 'print', 'print-identifier' = 'window');
CREATE TABLE interval_out (v STRING, w STRING) WITH ('connector' = 'print', 'print-identifier' = 'interval');
INSERT INTO window_out SELECT L.v, R.w
FROM TABLE(TUMBLE(TABLE l, DESCRIPTOR(ts), INTERVAL '5' MINUTE)) L
JOIN TABLE(TUMBLE(TABLE r, DESCRIPTOR(ts), INTERVAL '5' MINUTE)) R
  ON L.k = R.k AND L.window_start = R.window_start AND L.window_end = R.window_end;
INSERT INTO interval_out SELECT l.v, r.w FROM l JOIN r
  ON l.k = r.k AND l.ts BETWEEN r.ts - INTERVAL '1' MINUTE AND r.ts + INTERVAL '1' MINUTE;
