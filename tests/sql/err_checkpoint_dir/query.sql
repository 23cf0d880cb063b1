-- expected: by hand
-- A checkpoint folder that is not a valid URI: the error points at the SET value.
SET 'execution.checkpointing.interval' = '1 s';
SET 'state.checkpoints.dir' = 'file://relative/folder';
SELECT 1 AS one;
