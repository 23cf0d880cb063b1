-- expected: by hand
-- A folder source in csv: the bad record is the 2nd line of the second file, and the error
-- names that file under the folder given in 'path'.
CREATE TABLE orders (
  id INT,
  qty INT
) WITH ('connector' = 'filesystem', 'path' = 'in', 'format' = 'csv');
CREATE TABLE results (id INT, qty INT) WITH ('connector' = 'print');
INSERT INTO results SELECT id, qty FROM orders;
