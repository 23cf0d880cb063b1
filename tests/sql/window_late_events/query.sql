-- expected: tests/oracle/gen.mjs
-- Late rows are dropped: with a 2 s bound and 10 s windows, a row is late when its window's
-- end - 1 ms <= the watermark after all earlier rows. Edge cases: end - 1 ms equal to the
-- watermark (late) and 1 ms above it (kept); a row behind the watermark whose window is
-- still open (kept).
CREATE TABLE ev (
  k STRING,
  v INT,
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (
  k STRING,
  w_start TIMESTAMP(3),
  cnt BIGINT,
  total INT
) WITH ('connector' = 'print');

INSERT INTO results
SELECT k, TUMBLE_START(ts, INTERVAL '10' SECOND), COUNT(*), SUM(v)
FROM ev
GROUP BY k, TUMBLE(ts, INTERVAL '10' SECOND);
