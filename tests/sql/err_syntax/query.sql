-- expected: by hand
-- A syntax error: `SELECT * FORM t` (no alias can follow *), reported at the unexpected token.
CREATE TABLE t (id INT) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');
CREATE TABLE results (id INT) WITH ('connector' = 'print');

/* the statement below is wrong */
INSERT INTO results
SELECT * FORM t;
