-- expected: by hand
-- Backtick-quoted identifiers: reserved words, a hyphen and a space in names, a table alias.
CREATE TABLE `my-source` (
  `id` INT,
  `value` INT,
  `from` STRING,
  `user name` STRING
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE `results` (`select` INT, `user name` STRING, `from` STRING) WITH ('connector' = 'print');

INSERT INTO `results`
SELECT `value` * 2 AS `select`, `t`.`user name`, `from`
FROM `my-source` AS `t`
WHERE `t`.`id` <> 2;
