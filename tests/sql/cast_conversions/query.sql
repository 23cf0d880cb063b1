-- expected: by hand
-- CAST between strings, numbers, booleans, dates and timestamps. Numeric rules (Flink):
-- DOUBLE -> DECIMAL rounds HALF_UP (2.125 -> 2.13); DECIMAL or DOUBLE -> INT truncates
-- toward zero; BOOLEAN -> STRING is TRUE / FALSE; DECIMAL -> STRING keeps the scale.
CREATE TABLE raw_in (
  si STRING,
  sd STRING,
  sts STRING,
  d DECIMAL(10, 2),
  dbl DOUBLE,
  i INT,
  b BOOLEAN
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (
  si_int INT,
  sd_date DATE,
  sts_ts TIMESTAMP(3),
  d_str STRING,
  b_str STRING,
  d_int INT,
  dbl_dec DECIMAL(10, 2),
  dbl_int INT,
  i_dbl DOUBLE,
  ts_date DATE,
  i_str STRING
) WITH ('connector' = 'print');

INSERT INTO results
SELECT
  CAST(si AS INT),
  CAST(sd AS DATE),
  CAST(sts AS TIMESTAMP(3)),
  CAST(d AS STRING),
  CAST(b AS STRING),
  CAST(d AS INT),
  CAST(dbl AS DECIMAL(10, 2)),
  CAST(dbl AS INT),
  CAST(i AS DOUBLE),
  CAST(CAST(sts AS TIMESTAMP(3)) AS DATE),
  CAST(i AS STRING) || 'x'
FROM raw_in;
