-- expected: by hand
-- CREATE TABLE with computed columns, PRIMARY KEY ... NOT ENFORCED and WITH options.
-- total is DECIMAL(10, 2) * INT = DECIMAL(21, 2) (Flink: p1 + p2 + 1, s1 + s2, INT as DECIMAL(10, 0)).
CREATE TABLE orders (
  order_id INT,
  item STRING,
  price DECIMAL(10, 2),
  qty INT,
  total AS price * qty,
  item_upper AS UPPER(item),
  cents AS CAST(price * 100 AS BIGINT),
  PRIMARY KEY (order_id) NOT ENFORCED
) WITH (
  'connector' = 'filesystem',
  'path' = 'input.json',
  'format' = 'json'
);

CREATE TABLE results (
  order_id INT,
  item_upper STRING,
  total DECIMAL(21, 2),
  qty_plus INT,
  cents BIGINT
) WITH ('connector' = 'print');

INSERT INTO results SELECT order_id, item_upper, total, qty + 1, cents FROM orders;
