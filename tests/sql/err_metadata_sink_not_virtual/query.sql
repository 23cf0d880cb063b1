-- expected: by hand
-- A table with a METADATA column that is not VIRTUAL cannot be a sink here (no connector writes
-- metadata); the error points at the column's METADATA clause.
CREATE TABLE readings (
  sensor STRING,
  reading INT
) WITH (
  'connector' = 'filesystem',
  'path' = 'input.json',
  'format' = 'json'
);
CREATE TABLE results (
  sensor STRING,
  src STRING METADATA FROM 'file.name'
) WITH ('connector' = 'print');
INSERT INTO results SELECT sensor FROM readings;
