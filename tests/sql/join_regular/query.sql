-- expected: tests/oracle/gen.mjs
-- Regular joins (no time bound): inner with a residual, left/right/full outer, three tables,
-- a non-equi condition. Outer joins print changelogs; expected.final is their end state.
SET 'table.exec.state.ttl' = '1 h';
CREATE TABLE customers (id INT, name STRING, region_id INT)
  WITH ('connector' = 'filesystem', 'path' = 'customers.csv', 'format' = 'csv', 'csv.null-literal' = 'null');
CREATE TABLE orders (order_id INT, cust_id INT, amount DECIMAL(10, 2))
  WITH ('connector' = 'filesystem', 'path' = 'orders.csv', 'format' = 'csv', 'csv.null-literal' = 'null');
CREATE TABLE regions (rid INT, region STRING)
  WITH ('connector' = 'filesystem', 'path' = 'regions.csv', 'format' = 'csv', 'csv.null-literal' = 'null');

CREATE TABLE inner_out (order_id INT, cust_id INT, amount DECIMAL(10, 2), id INT, name STRING, region_id INT)
  WITH ('connector' = 'print', 'print-identifier' = 'inner');
CREATE TABLE left_out (order_id INT, cust_id INT, amount DECIMAL(10, 2), id INT, name STRING, region_id INT)
  WITH ('connector' = 'print', 'print-identifier' = 'left');
CREATE TABLE right_out (order_id INT, cust_id INT, amount DECIMAL(10, 2), id INT, name STRING, region_id INT)
  WITH ('connector' = 'print', 'print-identifier' = 'right');
CREATE TABLE full_out (order_id INT, cust_id INT, amount DECIMAL(10, 2), id INT, name STRING, region_id INT)
  WITH ('connector' = 'print', 'print-identifier' = 'full');
CREATE TABLE three_out (order_id INT, name STRING, region STRING)
  WITH ('connector' = 'print', 'print-identifier' = 'three');
CREATE TABLE nonequi_out (rid INT, region STRING, id INT, name STRING)
  WITH ('connector' = 'print', 'print-identifier' = 'nonequi');

INSERT INTO inner_out
SELECT o.order_id, o.cust_id, o.amount, c.id, c.name, c.region_id
FROM orders o JOIN customers c ON o.cust_id = c.id AND o.amount > 50;

INSERT INTO left_out
SELECT o.order_id, o.cust_id, o.amount, c.id, c.name, c.region_id
FROM orders o LEFT JOIN customers c ON o.cust_id = c.id AND c.name <> 'bo';

INSERT INTO right_out
SELECT o.order_id, o.cust_id, o.amount, c.id, c.name, c.region_id
FROM orders o RIGHT JOIN customers c ON o.cust_id = c.id;

INSERT INTO full_out
SELECT o.order_id, o.cust_id, o.amount, c.id, c.name, c.region_id
FROM orders o FULL JOIN customers c ON c.id = o.cust_id AND o.amount < 150;

-- A view over a join, and three tables in one query.
CREATE VIEW big_orders AS SELECT o.order_id, c.name, c.region_id FROM orders o, customers c
WHERE o.cust_id = c.id AND o.amount > 100;
INSERT INTO three_out
SELECT b.order_id, b.name, g.region FROM big_orders b, regions g WHERE b.region_id = g.rid;

-- Three tables in one query: two joins, the WHERE below them.
CREATE TABLE direct_out (order_id INT, name STRING, region STRING)
  WITH ('connector' = 'print', 'print-identifier' = 'direct');
INSERT INTO direct_out
SELECT o.order_id, c.name, g.region
FROM orders o JOIN customers c ON o.cust_id = c.id JOIN regions g ON c.region_id = g.rid
WHERE o.amount > 100;

INSERT INTO nonequi_out
SELECT g.rid, g.region, c.id, c.name FROM regions g JOIN customers c ON c.region_id > g.rid AND c.name = 'ann';
