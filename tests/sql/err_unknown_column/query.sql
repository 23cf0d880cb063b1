-- expected: by hand
-- A misspelled column: the error names the table and suggests the close column.
CREATE TABLE transactions (
  card_id STRING,
  amount DECIMAL(10, 2)
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');
CREATE TABLE results (card_id STRING, amount DECIMAL(10, 2)) WITH ('connector' = 'print');
INSERT INTO results SELECT card_id, amout FROM transactions;
