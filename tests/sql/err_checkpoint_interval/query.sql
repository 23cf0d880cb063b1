-- expected: by hand
-- A checkpoint interval that is not a duration.
SET 'execution.checkpointing.interval' = 'often';
SELECT 1 AS one;
