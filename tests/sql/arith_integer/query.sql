-- expected: by hand
-- Integer arithmetic: INT / INT is INT truncated toward zero (as Java), unary minus,
-- precedence of * over +, NULL in any operand gives NULL.
CREATE TABLE pairs (
  a INT,
  b INT
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (
  a INT,
  b INT,
  sum_ab INT,
  diff INT,
  prod INT,
  quot INT,
  neg INT,
  prec INT,
  paren INT
) WITH ('connector' = 'print');

INSERT INTO results
SELECT a, b, a + b, a - b, a * b, a / b, -a, a + b * 2, (a + b) * 2 FROM pairs;
