-- expected: by hand
-- DECIMAL result types of Flink (LogicalTypeMerging): INT counts as DECIMAL(10, 0);
--   DECIMAL(10,2) * INT        -> DECIMAL(21, 2)
--   DECIMAL(10,2) / INT        -> DECIMAL(21, 13)  scale max(6, s1 + p2 + 1), HALF_UP
--   DECIMAL(10,2) + INT        -> DECIMAL(13, 2)
--   DECIMAL(10,2) * 1.5        -> DECIMAL(13, 3)   (1.5 is DECIMAL(2, 1))
--   DECIMAL(10,2) - 0.005      -> DECIMAL(12, 3)
--   DECIMAL(38,10) * same      -> DECIMAL(38, 6)   (precision 77 > 38: scale cut to 6, HALF_UP)
--   DECIMAL * DOUBLE           -> DOUBLE
CREATE TABLE prices (
  price DECIMAL(10, 2),
  qty INT,
  rate DOUBLE,
  x DECIMAL(38, 10)
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (
  p_times_q DECIMAL(21, 2),
  p_div_3 DECIMAL(21, 13),
  p_plus_1 DECIMAL(13, 2),
  p_times_lit DECIMAL(13, 3),
  p_times_rate DOUBLE,
  x_squared DECIMAL(38, 6),
  p_minus_lit DECIMAL(12, 3)
) WITH ('connector' = 'print');

INSERT INTO results
SELECT price * qty, price / 3, price + 1, price * 1.5, price * rate, x * x, price - 0.005
FROM prices;
