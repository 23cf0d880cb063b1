-- expected: by hand
-- The file ends in the middle of a statement (no newline at the end of the file either):
-- the error is at the end of the input, line 5 column 35.
CREATE TABLE results (id INT) WITH ('connector' = 'print');
INSERT INTO results SELECT id FROM