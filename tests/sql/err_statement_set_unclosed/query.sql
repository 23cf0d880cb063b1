CREATE TABLE t (a INT) WITH ('connector' = 'filesystem', 'path' = 'x.json', 'format' = 'json');
CREATE TABLE o (a INT) WITH ('connector' = 'print');
BEGIN STATEMENT SET;
INSERT INTO o SELECT a FROM t;
