-- expected: by hand
-- FLOAT and DOUBLE rendered like Java's Float.toString / Double.toString: at least one
-- fraction digit, E notation below 1.0E-3 and from 1.0E7 on.
CREATE TABLE reals (
  f FLOAT,
  d DOUBLE
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (f FLOAT, d DOUBLE, d2 DOUBLE) WITH ('connector' = 'print');

INSERT INTO results SELECT f, d, d * 2 FROM reals;
