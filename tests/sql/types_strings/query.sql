-- expected: by hand
-- CHAR(n), VARCHAR(n), STRING; CAST to CHAR(n) pads with spaces, CAST to VARCHAR(n) cuts
-- (Flink 1.15+ cast rules); CHAR_LENGTH counts characters, not bytes.
CREATE TABLE words (
  code CHAR(3),
  name VARCHAR(10),
  note STRING
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (
  code CHAR(3),
  name VARCHAR(10),
  note STRING,
  name6 CHAR(6),
  note_len INT,
  note3 VARCHAR(3)
) WITH ('connector' = 'print');

INSERT INTO results
SELECT code, name, note, CAST(name AS CHAR(6)), CHAR_LENGTH(note), CAST(note AS VARCHAR(3))
FROM words;
