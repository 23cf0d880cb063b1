-- expected: by hand
-- SET, both comment styles, several statements in one file, comment markers inside a literal.
SET 'pipeline.name' = 'comments-test';
/* A block comment
   spanning lines; CREATE TABLE nothing (x INT); */
CREATE TABLE src ( -- a trailing line comment
  id INT, /* an inline block comment */ note STRING
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');
CREATE TABLE results (id INT, note STRING, tag STRING) WITH ('connector' = 'print');
-- INSERT INTO results SELECT 0, 'commented out', 'x' FROM src;
INSERT INTO results SELECT id, note, 'a--b /* not a comment */' FROM src WHERE id > 1; -- done
/* the end */
