-- expected: by hand
-- BOOLEAN values, AND / OR / NOT with NULL (three-valued logic), a WHERE on a NULL-able
-- predicate (only TRUE passes), and 'print-identifier'.
CREATE TABLE flags (
  a BOOLEAN,
  b BOOLEAN
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (
  a BOOLEAN,
  b BOOLEAN,
  a_and_b BOOLEAN,
  a_or_b BOOLEAN,
  not_a BOOLEAN
) WITH ('connector' = 'print');

CREATE TABLE filtered (a BOOLEAN, b BOOLEAN) WITH ('connector' = 'print', 'print-identifier' = 'notab');

INSERT INTO results SELECT a, b, a AND b, a OR b, NOT a FROM flags;

INSERT INTO filtered SELECT a, b FROM flags WHERE NOT (a AND b);
