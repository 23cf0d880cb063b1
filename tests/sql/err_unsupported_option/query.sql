-- expected: by hand
-- An option the filesystem connector does not know; the error points at the option key.
CREATE TABLE transactions (
  card_id STRING,
  amount DECIMAL(10, 2)
) WITH (
  'connector' = 'filesystem',
  'path' = 'input.json',
  'format' = 'json',
  'foo' = 'bar'
);
CREATE TABLE results (card_id STRING) WITH ('connector' = 'print');
INSERT INTO results SELECT card_id FROM transactions;
