-- expected: by hand
-- Integer division by zero at run time fails the job.
CREATE TABLE pairs (a INT, b INT) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');
CREATE TABLE results (q INT) WITH ('connector' = 'print');
INSERT INTO results SELECT a / b FROM pairs;
