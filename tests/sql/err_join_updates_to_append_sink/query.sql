-- expected: by hand
-- A regular outer join retracts its NULL-padded rows, so its output is a changelog; the
-- filesystem sink only appends (as in Flink), and the planner says so at the INSERT's table.
CREATE TABLE a (id INT, v STRING) WITH ('connector' = 'filesystem', 'path' = 'a.csv', 'format' = 'csv');
CREATE TABLE b (id INT, w STRING) WITH ('connector' = 'filesystem', 'path' = 'b.csv', 'format' = 'csv');
CREATE TABLE o (id INT, v STRING, w STRING) WITH ('connector' = 'filesystem', 'path' = 'out', 'format' = 'csv');
INSERT INTO o SELECT a.id, a.v, b.w FROM a LEFT JOIN b ON a.id = b.id;
