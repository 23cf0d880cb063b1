-- expected: tests/oracle/gen.mjs
-- Rowtime read with 'json.timestamp-format.standard' = 'ISO-8601' (2024-03-01T08:00:01.326)
-- into 1-minute TVF windows.
CREATE TABLE ev (
  kind STRING,
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH (
  'connector' = 'filesystem',
  'path' = 'input.json',
  'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601'
);

CREATE TABLE results (
  window_start TIMESTAMP(3),
  window_time TIMESTAMP(3),
  kind STRING,
  n BIGINT
) WITH ('connector' = 'print');

INSERT INTO results
SELECT window_start, window_time, kind, COUNT(*)
FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, window_time, kind;
