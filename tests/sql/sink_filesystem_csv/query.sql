-- expected: by hand
-- filesystem sink, csv format: one line per row, ',' between fields, NULL as an empty field,
-- BOOLEAN as true / false, DECIMAL with its scale, DOUBLE like Java.
CREATE TABLE src (
  id INT,
  name STRING,
  amount DECIMAL(10, 2),
  ok BOOLEAN,
  x DOUBLE
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE csv_out (
  id INT,
  name STRING,
  amount DECIMAL(10, 2),
  ok BOOLEAN,
  x DOUBLE
) WITH ('connector' = 'filesystem', 'path' = 'out', 'format' = 'csv');

INSERT INTO csv_out SELECT * FROM src WHERE id <> 3;
