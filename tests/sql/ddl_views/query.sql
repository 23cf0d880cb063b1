-- expected: by hand
-- CREATE VIEW and CREATE TEMPORARY VIEW, a view over a view, SELECT * from a view.
CREATE TABLE people (
  id INT,
  name STRING,
  age INT,
  city STRING
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE VIEW adults AS
  SELECT id, name, age, city FROM people WHERE age >= 18;

CREATE TEMPORARY VIEW adults_in_paris AS
  SELECT id, UPPER(name) AS name_upper FROM adults WHERE city = 'Paris';

CREATE TABLE results (id INT, name_upper STRING) WITH ('connector' = 'print');

INSERT INTO results SELECT * FROM adults_in_paris;
