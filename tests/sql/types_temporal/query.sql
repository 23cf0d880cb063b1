-- expected: by hand
-- DATE, TIME, TIMESTAMP(0), TIMESTAMP(3), TIMESTAMP(6) from JSON (SQL standard form) and
-- rendered with exactly p fraction digits; CAST between DATE and TIMESTAMP.
CREATE TABLE times (
  d DATE,
  t TIME,
  ts0 TIMESTAMP(0),
  ts3 TIMESTAMP(3),
  ts6 TIMESTAMP(6)
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (
  d DATE,
  t TIME,
  ts0 TIMESTAMP(0),
  ts3 TIMESTAMP(3),
  ts6 TIMESTAMP(6),
  ts3_date DATE,
  d_ts TIMESTAMP(3)
) WITH ('connector' = 'print');

INSERT INTO results
SELECT d, t, ts0, ts3, ts6, CAST(ts3 AS DATE), CAST(d AS TIMESTAMP(3)) FROM times;
