-- expected: by hand
-- A metadata key the filesystem connector does not offer: the error points at the column's
-- METADATA clause and lists the keys there are.
CREATE TABLE readings (
  sensor STRING,
  reading INT,
  size BIGINT METADATA FROM 'file.size' VIRTUAL
) WITH (
  'connector' = 'filesystem',
  'path' = 'input.json',
  'format' = 'json'
);
CREATE TABLE results (sensor STRING, size BIGINT) WITH ('connector' = 'print');
INSERT INTO results SELECT sensor, size FROM readings;
