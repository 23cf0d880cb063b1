-- expected: by hand
-- The changelog of a regular LEFT join, row by row (Flink's semantics): a left row without a
-- match is emitted padded (+I[.., null]); the first right row that matches retracts it (-D) and
-- emits the joined row; a second match adds a row; a NULL key never matches. Sources take turns
-- by event time, the one furthest behind first: all left rows (times 10:00) arrive before the
-- right ones (times 11:00), so the padded rows appear and are retracted.
CREATE TABLE l (id INT, v STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
  WITH ('connector' = 'filesystem', 'path' = 'l.csv', 'format' = 'csv', 'csv.null-literal' = 'null');
CREATE TABLE r (id INT, w STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
  WITH ('connector' = 'filesystem', 'path' = 'r.csv', 'format' = 'csv', 'csv.null-literal' = 'null');
CREATE TABLE o (id INT, v STRING, rid INT, w STRING) WITH ('connector' = 'print');
INSERT INTO o SELECT l.id, l.v, r.id, r.w FROM l LEFT JOIN r ON l.id = r.id;
