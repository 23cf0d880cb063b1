-- expected: by hand
-- UPPER, LOWER, CONCAT, ||, CHAR_LENGTH; CONCAT and || return NULL if any argument is NULL.
CREATE TABLE names (
  id INT,
  first_name STRING,
  last_name STRING
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (
  id INT,
  up STRING,
  low STRING,
  full_name STRING,
  dashed STRING,
  len INT
) WITH ('connector' = 'print');

INSERT INTO results
SELECT
  id,
  UPPER(first_name),
  LOWER(last_name),
  CONCAT(first_name, ' ', last_name),
  first_name || '-' || last_name,
  CHAR_LENGTH(first_name)
FROM names;
