-- expected: by hand
-- METADATA columns of the filesystem source (Flink's keys 'file.name' and 'file.path'): declared
-- between payload columns, with and without FROM and VIRTUAL, read by a computed column, a filter
-- and the select list. Each row names the file it came from; 'path' is the folder 'in'.
CREATE TABLE readings (
  `file.name` STRING METADATA VIRTUAL,
  sensor STRING,
  src_path STRING METADATA FROM 'file.path',
  reading INT,
  src_upper AS UPPER(`file.name`),
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND
) WITH (
  'connector' = 'filesystem',
  'path' = 'in',
  'format' = 'json'
);

CREATE TABLE results (
  sensor STRING,
  reading INT,
  file_name STRING,
  file_path STRING,
  upper_name STRING
) WITH ('connector' = 'print');

INSERT INTO results
SELECT sensor, reading, `file.name`, src_path, src_upper
FROM readings
WHERE `file.name` <> 'c.json';
