-- expected: by hand
-- TO_TIMESTAMP(string) with the default pattern 'yyyy-MM-dd HH:mm:ss' and with an explicit
-- pattern; the result is TIMESTAMP(3).
CREATE TABLE raw_in (
  id INT,
  s STRING,
  f STRING
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (id INT, ts_default TIMESTAMP(3), ts_pattern TIMESTAMP(3)) WITH ('connector' = 'print');

INSERT INTO results SELECT id, TO_TIMESTAMP(s), TO_TIMESTAMP(f, 'dd/MM/yyyy HH:mm') FROM raw_in;
