-- expected: tests/oracle/gen.mjs
-- Interval joins (inner, left, right, full outer) and a window over an interval join.
CREATE TABLE orders (order_id INT, product STRING, amount DECIMAL(10, 2), ots TIMESTAMP(3),
  WATERMARK FOR ots AS ots - INTERVAL '5' SECOND)
  WITH ('connector' = 'filesystem', 'path' = 'orders.csv', 'format' = 'csv', 'csv.null-literal' = 'null');
CREATE TABLE shipments (oid INT, carrier STRING, sts TIMESTAMP(3),
  WATERMARK FOR sts AS sts - INTERVAL '5' SECOND)
  WITH ('connector' = 'filesystem', 'path' = 'shipments.csv', 'format' = 'csv', 'csv.null-literal' = 'null');

CREATE TABLE inner_out (order_id INT, product STRING, amount DECIMAL(10, 2), ots TIMESTAMP(3), oid INT,
  carrier STRING, sts TIMESTAMP(3)) WITH ('connector' = 'print', 'print-identifier' = 'inner');
CREATE TABLE left_out (order_id INT, product STRING, amount DECIMAL(10, 2), ots TIMESTAMP(3), oid INT,
  carrier STRING, sts TIMESTAMP(3)) WITH ('connector' = 'print', 'print-identifier' = 'left');
CREATE TABLE right_out (order_id INT, product STRING, amount DECIMAL(10, 2), ots TIMESTAMP(3), oid INT,
  carrier STRING, sts TIMESTAMP(3)) WITH ('connector' = 'print', 'print-identifier' = 'right');
CREATE TABLE full_out (order_id INT, product STRING, amount DECIMAL(10, 2), ots TIMESTAMP(3), oid INT,
  carrier STRING, sts TIMESTAMP(3)) WITH ('connector' = 'print', 'print-identifier' = 'full');
CREATE TABLE window_out (window_start TIMESTAMP(3), window_end TIMESTAMP(3), n BIGINT, total DECIMAL(38, 2))
  WITH ('connector' = 'print', 'print-identifier' = 'window');

INSERT INTO inner_out
SELECT o.order_id, o.product, o.amount, o.ots, s.oid, s.carrier, s.sts
FROM orders o, shipments s
WHERE o.order_id = s.oid AND o.ots BETWEEN s.sts - INTERVAL '30' MINUTE AND s.sts;

INSERT INTO left_out
SELECT o.order_id, o.product, o.amount, o.ots, s.oid, s.carrier, s.sts
FROM orders o LEFT JOIN shipments s
  ON o.order_id = s.oid AND s.sts > o.ots AND s.sts < o.ots + INTERVAL '20' MINUTE;

INSERT INTO right_out
SELECT o.order_id, o.product, o.amount, o.ots, s.oid, s.carrier, s.sts
FROM orders o RIGHT OUTER JOIN shipments s
  ON o.order_id = s.oid AND o.ots BETWEEN s.sts - INTERVAL '10' MINUTE AND s.sts + INTERVAL '10' MINUTE
  AND o.amount > 20;

INSERT INTO full_out
SELECT o.order_id, o.product, o.amount, o.ots, s.oid, s.carrier, s.sts
FROM orders o FULL OUTER JOIN shipments s
  ON s.oid = o.order_id AND o.ots BETWEEN s.sts - INTERVAL '30' MINUTE AND s.sts;

-- A window after the join: the join keeps o.ots a time attribute.
CREATE VIEW shipped AS
SELECT o.order_id, o.amount, o.ots, s.sts
FROM orders o JOIN shipments s ON o.order_id = s.oid AND o.ots BETWEEN s.sts - INTERVAL '30' MINUTE AND s.sts;

INSERT INTO window_out
SELECT window_start, window_end, COUNT(*), SUM(amount)
FROM TABLE(TUMBLE(TABLE shipped, DESCRIPTOR(ots), INTERVAL '1' HOUR))
GROUP BY window_start, window_end;

-- A window after an outer interval join: rows padded with NULLs come out when the bound has
-- passed, yet none may be late for the window (the join holds its output watermark back).
CREATE TABLE leftwindow_out (window_start TIMESTAMP(3), window_end TIMESTAMP(3), n BIGINT, shipped BIGINT)
  WITH ('connector' = 'print', 'print-identifier' = 'leftwindow');
CREATE VIEW maybe_shipped AS
SELECT o.order_id, o.ots, s.sts
FROM orders o LEFT JOIN shipments s ON o.order_id = s.oid AND s.sts BETWEEN o.ots AND o.ots + INTERVAL '15' MINUTE;
INSERT INTO leftwindow_out
SELECT window_start, window_end, COUNT(*), COUNT(sts)
FROM TABLE(TUMBLE(TABLE maybe_shipped, DESCRIPTOR(ots), INTERVAL '1' HOUR))
GROUP BY window_start, window_end;
