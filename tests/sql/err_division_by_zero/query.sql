-- expected: by hand (reading of e2e-spec.md: the messages listed there are the MESSAGE part;
-- an error raised by a SQL expression is located, here at the '/' operator as PostgreSQL does)
-- Integer division by zero at run time fails the job.
CREATE TABLE pairs (a INT, b INT) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');
CREATE TABLE results (q INT) WITH ('connector' = 'print');
INSERT INTO results SELECT a / b FROM pairs;
