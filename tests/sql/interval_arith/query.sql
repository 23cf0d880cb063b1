-- expected: by hand
-- INTERVAL literals in several forms added to / subtracted from TIMESTAMP(3) and DATE, across
-- midnight, a month end, a year end and 29 February.
CREATE TABLE moments (
  id INT,
  ts TIMESTAMP(3),
  d DATE
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (
  id INT,
  plus_5_min TIMESTAMP(3),
  minus_10_min TIMESTAMP(3),
  plus_1m30s TIMESTAMP(3),
  plus_2_h TIMESTAMP(3),
  plus_day_to_sec TIMESTAMP(3),
  minus_1_day TIMESTAMP(3),
  plus_1y2m TIMESTAMP(3),
  d_plus_day DATE,
  d_plus_month DATE
) WITH ('connector' = 'print');

INSERT INTO results
SELECT
  id,
  ts + INTERVAL '5' MINUTE,
  ts - INTERVAL '10' MINUTES,
  ts + INTERVAL '1:30' MINUTE TO SECOND,
  ts + INTERVAL '2' HOUR,
  ts + INTERVAL '1 02:03:04.5' DAY TO SECOND,
  ts - INTERVAL '1' DAY,
  ts + INTERVAL '1-2' YEAR TO MONTH,
  d + INTERVAL '1' DAY,
  d + INTERVAL '1' MONTH
FROM moments;
