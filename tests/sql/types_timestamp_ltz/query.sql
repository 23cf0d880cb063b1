-- expected: by hand
-- TIMESTAMP_LTZ(3) from JSON: the SQL standard form carries a trailing 'Z' (UTC), as Flink's
-- json format documents ("2020-12-30 12:13:14.123Z"); printed in UTC without the 'Z'.
CREATE TABLE events (
  id INT,
  at_utc TIMESTAMP_LTZ(3)
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (id INT, at_utc TIMESTAMP_LTZ(3)) WITH ('connector' = 'print');

INSERT INTO results SELECT id, at_utc FROM events;
