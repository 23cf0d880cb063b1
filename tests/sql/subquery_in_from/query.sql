-- expected: by hand
-- Nested subqueries in FROM with aliases, a filter at each level.
CREATE TABLE transactions (
  card_id STRING,
  amount INT
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE results (card_id STRING, doubled INT) WITH ('connector' = 'print');

INSERT INTO results
SELECT card_id, doubled
FROM (
  SELECT card_id, amount * 2 AS doubled
  FROM (SELECT * FROM transactions WHERE amount > 10) AS big
) AS t
WHERE card_id <> 'c3' AND doubled < 100;
