-- expected: by hand
-- A misspelled table name: the error names it and suggests the close one.
CREATE TABLE transactions (card_id STRING, amount DECIMAL(10, 2))
  WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');
CREATE TABLE results (card_id STRING) WITH ('connector' = 'print');
INSERT INTO results SELECT card_id FROM transaction;
