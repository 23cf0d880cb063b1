-- expected: by hand
-- SELECT * and column aliases, a WHERE combining AND / OR / IS NULL with parentheses,
-- expressions over columns, a constant column.
CREATE TABLE items (
  id INT,
  kind STRING,
  price INT,
  note STRING
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE all_cols (id INT, kind STRING, price INT, note STRING) WITH ('connector' = 'print', 'print-identifier' = 'star');
CREATE TABLE picked (ident INT, total INT, flag STRING) WITH ('connector' = 'print', 'print-identifier' = 'pick');

INSERT INTO all_cols SELECT * FROM items WHERE (price > 10 AND kind = 'x') OR note IS NULL;

INSERT INTO picked SELECT id AS ident, price * 3 + 1 AS total, 'k' AS flag FROM items WHERE NOT kind = 'y';
