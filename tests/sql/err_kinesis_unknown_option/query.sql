-- A misspelt option is named.
CREATE TABLE tx (a INT) WITH (
  'connector' = 'kinesis',
  'stream' = 'tx',
  'aws.region' = 'us-east-1',
  'scan.stream.intpos' = 'LATEST',
  'format' = 'json'
);
CREATE TABLE o (a INT) WITH ('connector' = 'print');
INSERT INTO o SELECT a FROM tx;
