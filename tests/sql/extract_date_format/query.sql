-- expected: by hand
-- EXTRACT (BIGINT) of YEAR, MONTH, DAY, HOUR, MINUTE, SECOND from TIMESTAMP(3) and DATE;
-- DATE_FORMAT with Java date-time patterns (yyyy, yy, MM, dd, HH, mm, ss, SSS).
CREATE TABLE moments (
  ts TIMESTAMP(3),
  d DATE
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (
  y BIGINT,
  mo BIGINT,
  dd BIGINT,
  h BIGINT,
  mi BIGINT,
  s BIGINT,
  d_year BIGINT,
  f_full STRING,
  f_compact STRING,
  f_short STRING,
  f_millis STRING
) WITH ('connector' = 'print');

INSERT INTO results
SELECT
  EXTRACT(YEAR FROM ts),
  EXTRACT(MONTH FROM ts),
  EXTRACT(DAY FROM ts),
  EXTRACT(HOUR FROM ts),
  EXTRACT(MINUTE FROM ts),
  EXTRACT(SECOND FROM ts),
  EXTRACT(YEAR FROM d),
  DATE_FORMAT(ts, 'yyyy-MM-dd HH:mm:ss'),
  DATE_FORMAT(ts, 'yyyyMMdd'),
  DATE_FORMAT(ts, 'dd/MM/yy HH:mm'),
  DATE_FORMAT(ts, 'HH:mm:ss.SSS')
FROM moments;
