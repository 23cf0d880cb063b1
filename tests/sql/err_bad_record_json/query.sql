-- expected: by hand
-- A JSON record whose amount cannot be parsed as DECIMAL(10, 2) fails the job (the default
-- 'json.ignore-parse-errors' = 'false'); the error names the file and the record's line.
CREATE TABLE transactions (
  card_id STRING,
  amount DECIMAL(10, 2)
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');
CREATE TABLE results (card_id STRING, amount DECIMAL(10, 2)) WITH ('connector' = 'print');
INSERT INTO results SELECT card_id, amount FROM transactions;
