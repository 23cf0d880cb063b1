-- expected: by hand
-- json format options. 'json.ignore-parse-errors' = 'true': a line that is not JSON is
-- skipped, a field that cannot be converted becomes NULL (Flink: "Fields are set to null in
-- case of errors"); missing fields are NULL ('json.fail-on-missing-field' = 'false', also the
-- default); unknown fields are ignored.
CREATE TABLE lenient (
  id INT,
  name STRING,
  amount DECIMAL(10, 2),
  ok BOOLEAN
) WITH (
  'connector' = 'filesystem',
  'path' = 'lenient.json',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);

CREATE TABLE strict_missing (
  id INT,
  name STRING,
  amount DECIMAL(10, 2)
) WITH (
  'connector' = 'filesystem',
  'path' = 'missing.json',
  'format' = 'json',
  'json.fail-on-missing-field' = 'false'
);

CREATE TABLE out_lenient (id INT, name STRING, amount DECIMAL(10, 2), ok BOOLEAN)
  WITH ('connector' = 'print', 'print-identifier' = 'lenient');
CREATE TABLE out_missing (id INT, name STRING, amount DECIMAL(10, 2))
  WITH ('connector' = 'print', 'print-identifier' = 'missing');

INSERT INTO out_lenient SELECT * FROM lenient;
INSERT INTO out_missing SELECT * FROM strict_missing;
