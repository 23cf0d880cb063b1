CREATE TABLE t (a INT) WITH ('connector' = 'filesystem', 'path' = 'x.json', 'format' = 'json');
BEGIN STATEMENT SET;
SELECT a FROM t;
END;
