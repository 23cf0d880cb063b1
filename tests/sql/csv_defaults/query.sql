-- expected: by hand
-- csv with default options: ',' delimiter, '"' quotes (a doubled "" inside quotes is one "),
-- an empty field of a STRING column is the empty string (no null literal by default).
CREATE TABLE rows_in (
  id INT,
  s1 STRING,
  s2 STRING,
  ts TIMESTAMP(3),
  b BOOLEAN,
  x DOUBLE
) WITH ('connector' = 'filesystem', 'path' = 'input.csv', 'format' = 'csv');

CREATE TABLE results (id INT, s1 STRING, s2 STRING, ts TIMESTAMP(3), b BOOLEAN, x DOUBLE) WITH ('connector' = 'print');

INSERT INTO results SELECT * FROM rows_in;
