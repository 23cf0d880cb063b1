-- expected: by hand
-- 'json.timestamp-format.standard' = 'ISO-8601': TIMESTAMP as 2024-03-01T08:00:01.326 and
-- TIMESTAMP_LTZ with a trailing Z; printed in the SQL form.
CREATE TABLE events (
  id INT,
  ts TIMESTAMP(3),
  ts_ltz TIMESTAMP_LTZ(3)
) WITH (
  'connector' = 'filesystem',
  'path' = 'input.json',
  'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601'
);

CREATE TABLE results (id INT, ts TIMESTAMP(3), ts_ltz TIMESTAMP_LTZ(3)) WITH ('connector' = 'print');

INSERT INTO results SELECT id, ts, ts_ltz FROM events;
