-- expected: by hand (layout: Flink SQL client streaming tableau, column widths from the types:
-- INT 11, STRING 30 (max column width), DECIMAL(p, s) p + 2, at least 6 for <NULL>)
-- Two bare SELECTs in one file, each printing its own table.
CREATE TABLE people (
  id INT,
  name STRING,
  score DECIMAL(5, 1)
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

SELECT id, name, score FROM people WHERE id <= 3;

SELECT UPPER(name) AS upper_name, score * 2 AS doubled FROM people WHERE score IS NOT NULL;
