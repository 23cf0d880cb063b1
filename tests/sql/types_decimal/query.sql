-- expected: by hand
-- DECIMAL(p, s) up to p = 38 read from CSV, rendered with exactly s fraction digits, and the
-- result types of + and * (Flink: + gives max(s1, s2) and max(p1-s1, p2-s2) + max(s1, s2) + 1,
-- * gives p1 + p2 + 1 and s1 + s2; above 38 the scale shrinks but keeps min(s, 6)).
CREATE TABLE amounts (
  a DECIMAL(10, 2),
  big DECIMAL(38, 2),
  c DECIMAL(5, 0)
) WITH ('connector' = 'filesystem', 'path' = 'input.csv', 'format' = 'csv');

CREATE TABLE results (
  a DECIMAL(10, 2),
  big DECIMAL(38, 2),
  c DECIMAL(5, 0),
  a_plus_c DECIMAL(11, 2),
  big_plus_1 DECIMAL(38, 2),
  a_times_c DECIMAL(16, 2)
) WITH ('connector' = 'print');

INSERT INTO results SELECT a, big, c, a + c, big + 1, a * c FROM amounts;
