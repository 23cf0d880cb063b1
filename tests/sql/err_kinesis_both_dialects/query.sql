-- The start position in both option dialects: an error at the second one.
CREATE TABLE tx (a INT) WITH (
  'connector' = 'kinesis',
  'stream' = 'tx',
  'scan.stream.initpos' = 'LATEST',
  'source.init.position' = 'TRIM_HORIZON',
  'format' = 'json'
);
CREATE TABLE o (a INT) WITH ('connector' = 'print');
INSERT INTO o SELECT a FROM tx;
