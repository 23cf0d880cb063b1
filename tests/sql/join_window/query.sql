-- expected: tests/oracle/gen.mjs
-- Window joins: INNER, LEFT (with a residual), RIGHT and FULL OUTER on window_start, window_end
-- and a key, in 5-minute tumbling windows; results come when a window closes.
CREATE TABLE lt (k INT, id STRING, v INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)
  WITH ('connector' = 'filesystem', 'path' = 'left.csv', 'format' = 'csv', 'csv.null-literal' = 'null');
CREATE TABLE rt (k INT, id STRING, v INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)
  WITH ('connector' = 'filesystem', 'path' = 'right.csv', 'format' = 'csv', 'csv.null-literal' = 'null');
CREATE TABLE inner_out (lk INT, lid STRING, rk INT, rid STRING, window_start TIMESTAMP(3), window_end TIMESTAMP(3))
  WITH ('connector' = 'print', 'print-identifier' = 'inner');
CREATE TABLE left_out (lk INT, lid STRING, rk INT, rid STRING, window_start TIMESTAMP(3), window_end TIMESTAMP(3))
  WITH ('connector' = 'print', 'print-identifier' = 'left');
CREATE TABLE right_out (lk INT, lid STRING, rk INT, rid STRING, window_start TIMESTAMP(3), window_end TIMESTAMP(3))
  WITH ('connector' = 'print', 'print-identifier' = 'right');
CREATE TABLE full_out (lk INT, lid STRING, rk INT, rid STRING, window_start TIMESTAMP(3), window_end TIMESTAMP(3))
  WITH ('connector' = 'print', 'print-identifier' = 'full');

-- Flink's documented form: SELECT * over each window table function.
INSERT INTO inner_out
SELECT L.k, L.id, R.k, R.id, L.window_start, L.window_end
FROM (SELECT * FROM TABLE(TUMBLE(TABLE lt, DESCRIPTOR(ts), INTERVAL '5' MINUTES))) L
JOIN (SELECT * FROM TABLE(TUMBLE(TABLE rt, DESCRIPTOR(ts), INTERVAL '5' MINUTES))) R
  ON L.k = R.k AND L.window_start = R.window_start AND L.window_end = R.window_end;

-- The window table functions directly, and a condition beyond the keys.
INSERT INTO left_out
SELECT L.k, L.id, R.k, R.id, COALESCE(L.window_start, R.window_start), COALESCE(L.window_end, R.window_end)
FROM TABLE(TUMBLE(TABLE lt, DESCRIPTOR(ts), INTERVAL '5' MINUTES)) L
LEFT JOIN TABLE(TUMBLE(TABLE rt, DESCRIPTOR(ts), INTERVAL '5' MINUTES)) R
  ON L.window_start = R.window_start AND L.window_end = R.window_end AND L.k = R.k AND L.v < R.v;

INSERT INTO right_out
SELECT L.k, L.id, R.k, R.id, COALESCE(L.window_start, R.window_start), COALESCE(L.window_end, R.window_end)
FROM (SELECT * FROM TABLE(TUMBLE(TABLE lt, DESCRIPTOR(ts), INTERVAL '5' MINUTES))) L
RIGHT JOIN (SELECT * FROM TABLE(TUMBLE(TABLE rt, DESCRIPTOR(ts), INTERVAL '5' MINUTES))) R
  ON L.k = R.k AND L.window_start = R.window_start AND L.window_end = R.window_end;

INSERT INTO full_out
SELECT L.k, L.id, R.k, R.id, COALESCE(L.window_start, R.window_start), COALESCE(L.window_end, R.window_end)
FROM (SELECT * FROM TABLE(TUMBLE(TABLE lt, DESCRIPTOR(ts), INTERVAL '5' MINUTES))) L
FULL JOIN (SELECT * FROM TABLE(TUMBLE(TABLE rt, DESCRIPTOR(ts), INTERVAL '5' MINUTES))) R
  ON L.k = R.k AND L.window_start = R.window_start AND L.window_end = R.window_end;
