-- expected: by hand (location assumed: the target table name of the INSERT)
-- INSERT whose query produces fewer columns than the target table has.
CREATE TABLE transactions (card_id STRING, amount DECIMAL(10, 2))
  WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');
CREATE TABLE alerts (card_id STRING, amount DECIMAL(10, 2), note STRING) WITH ('connector' = 'print');
INSERT INTO alerts SELECT card_id, amount FROM transactions;
