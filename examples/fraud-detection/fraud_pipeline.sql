-- The seed pipeline of the Kinesis architecture article, as one job: card transactions from a
-- Kinesis stream -> the fraud rule of fraud.sql -> alerts to the 'fraud-alerts' stream AND an
-- audit log of every alert in an S3 data lake, partitioned by date and hour (Hive-style folders
-- dt=.../hr=..., a _SUCCESS file once an hour is complete), read by Athena or Glue as they are.
-- The statement set reads the stream once and computes the windows once for both sinks; the job
-- checkpoints to S3 every 10 s: the audit log is exactly-once, the alert stream at-least-once.
-- Runs against AWS, or locally with demo_kinesis.sh (AWS_ENDPOINT_URL_KINESIS / _S3 set).
SET 'execution.checkpointing.interval' = '10 s';
SET 'state.checkpoints.dir' = 's3://fraud-lake/checkpoints';

CREATE TABLE transactions (
  transaction_id STRING,
  card_id STRING,
  amount DECIMAL(10, 2),
  merchant_country STRING,
  event_time TIMESTAMP(3),
  WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
  'connector' = 'kinesis',
  'stream' = 'transactions',
  'aws.region' = 'us-east-1',
  'scan.stream.initpos' = 'LATEST',
  'format' = 'json'
);

CREATE TABLE fraud_alerts (
  card_id STRING,
  window_start TIMESTAMP(3),
  tx_count BIGINT,
  total_amount DECIMAL(10, 2)
) PARTITIONED BY (card_id) WITH (
  'connector' = 'kinesis',
  'stream' = 'fraud-alerts',
  'aws.region' = 'us-east-1',
  'format' = 'json'
);

CREATE TABLE fraud_audit (
  card_id STRING,
  window_start TIMESTAMP(3),
  tx_count BIGINT,
  total_amount DECIMAL(10, 2),
  dt STRING,
  hr STRING
) PARTITIONED BY (dt, hr) WITH (
  'connector' = 'filesystem',
  'path' = 's3://fraud-lake/audit',
  'format' = 'json',
  'sink.partition-commit.trigger' = 'partition-time',
  'partition.time-extractor.timestamp-pattern' = '$dt $hr:00:00',
  'sink.partition-commit.delay' = '1 h',
  'sink.partition-commit.policy.kind' = 'success-file'
);

CREATE VIEW alerts AS
SELECT
  card_id,
  TUMBLE_START(event_time, INTERVAL '5' MINUTE) AS window_start,
  COUNT(*) AS tx_count,
  SUM(amount) AS total_amount
FROM transactions
WHERE merchant_country <> 'CA'
GROUP BY card_id, TUMBLE(event_time, INTERVAL '5' MINUTE)
HAVING COUNT(*) > 3 AND SUM(amount) > 500;

EXECUTE STATEMENT SET
BEGIN
INSERT INTO fraud_alerts SELECT card_id, window_start, tx_count, total_amount FROM alerts;
INSERT INTO fraud_audit
SELECT card_id, window_start, tx_count, total_amount,
       DATE_FORMAT(window_start, 'yyyy-MM-dd'), DATE_FORMAT(window_start, 'HH')
FROM alerts;
END;
