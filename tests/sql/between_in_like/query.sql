-- expected: by hand
-- BETWEEN (inclusive) and NOT BETWEEN, IN / NOT IN lists, LIKE with % and _, NOT LIKE,
-- LIKE ... ESCAPE; NULL operands give NULL.
CREATE TABLE people (
  id INT,
  name STRING,
  amount INT
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (
  id INT,
  btw BOOLEAN,
  not_btw BOOLEAN,
  in_list BOOLEAN,
  not_in_list BOOLEAN,
  starts_a BOOLEAN,
  second_o BOOLEAN,
  not_ends_e BOOLEAN,
  escaped BOOLEAN
) WITH ('connector' = 'print');

INSERT INTO results
SELECT
  id,
  amount BETWEEN 10 AND 20,
  amount NOT BETWEEN 10 AND 20,
  id IN (1, 3, 5),
  name NOT IN ('bob', 'eve'),
  name LIKE 'a%',
  name LIKE '_o%',
  name NOT LIKE '%e',
  name LIKE '100!%%' ESCAPE '!'
FROM people;
