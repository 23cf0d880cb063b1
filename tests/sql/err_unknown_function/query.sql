-- expected: by hand
-- A call of a function that does not exist.
CREATE TABLE transactions (card_id STRING, amount DECIMAL(10, 2))
  WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');
CREATE TABLE results (card_id STRING, x DECIMAL(10, 2)) WITH ('connector' = 'print');
INSERT INTO results
SELECT card_id, FOO(amount) FROM transactions;
