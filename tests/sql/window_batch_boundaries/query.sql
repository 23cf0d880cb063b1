-- expected: tests/oracle/gen.mjs (which also generates input.json, 10,000 rows)
-- Enough rows to cross several 4096-row batches: out-of-order rows within the 5 s bound and,
-- every 97th row, a row up to 2 minutes behind (late or not by the exact rule). Per-key
-- 1-minute TVF windows, plus a global legacy window with COUNT(DISTINCT).
CREATE TABLE tx (
  k STRING,
  amount DECIMAL(10, 2),
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'filesystem', 'path' = 'input.json', 'format' = 'json');

CREATE TABLE per_key (
  window_start TIMESTAMP(3),
  k STRING,
  cnt BIGINT,
  total DECIMAL(38, 2),
  lo DECIMAL(10, 2),
  hi DECIMAL(10, 2)
) WITH ('connector' = 'print', 'print-identifier' = 'key');

CREATE TABLE overall (
  w_end TIMESTAMP(3),
  cnt BIGINT,
  n_keys BIGINT
) WITH ('connector' = 'print', 'print-identifier' = 'all');

INSERT INTO per_key
SELECT window_start, k, COUNT(*), SUM(amount), MIN(amount), MAX(amount)
FROM TABLE(TUMBLE(TABLE tx, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, k;

INSERT INTO overall
SELECT TUMBLE_END(ts, INTERVAL '1' MINUTE), COUNT(*), COUNT(DISTINCT k)
FROM tx
GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE);
