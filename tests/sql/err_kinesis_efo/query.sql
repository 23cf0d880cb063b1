-- Enhanced fan-out is refused with the reason.
CREATE TABLE tx (a INT) WITH (
  'connector' = 'kinesis',
  'stream.arn' = 'arn:aws:kinesis:eu-west-1:123456789012:stream/tx',
  'scan.stream.recordpublisher' = 'EFO',
  'format' = 'json'
);
CREATE TABLE o (a INT) WITH ('connector' = 'print');
INSERT INTO o SELECT a FROM tx;
