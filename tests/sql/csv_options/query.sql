-- expected: by hand
-- csv options: 'csv.field-delimiter', 'csv.quote-character' (a single quote, written ''''
-- in SQL; a doubled quote inside a quoted field is one quote), 'csv.null-literal', and
-- 'csv.ignore-parse-errors' = 'true' (a field that cannot be converted becomes NULL).
CREATE TABLE semi (
  id INT,
  name STRING,
  amount DECIMAL(10, 2),
  city STRING
) WITH (
  'connector' = 'filesystem',
  'path' = 'input.csv',
  'format' = 'csv',
  'csv.field-delimiter' = ';',
  'csv.quote-character' = '''',
  'csv.null-literal' = 'N/A',
  'csv.ignore-parse-errors' = 'true'
);

CREATE TABLE results (id INT, name STRING, amount DECIMAL(10, 2), city STRING) WITH ('connector' = 'print');

INSERT INTO results SELECT id, name, amount, city FROM semi;
