// The enriched fraud rule of examples/fraud-detection/fraud_enriched.sql over 8000 transactions
// made by the example's own generator (gen_enriched.sh): DuckDB joins each transaction with its
// merchant's category at the transaction's time (ASOF JOIN), keeps the international ones at
// high-risk merchants, and applies the 5-minute window rule. The generator's inputs are at most
// 3 s out of order against a 5 s watermark delay, so no row is late.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

function generate(caseDir) {
  execFileSync('bash', [join(caseDir, '..', '..', '..', 'examples', 'fraud-detection', 'gen_enriched.sh'),
    '8000', '40', '5', caseDir]);
}

const W = 300000;

export default {
  generate,
  tables: {
    transactions: { path: 'transactions.json', format: 'json',
      schema: [['transaction_id', 'STRING'], ['card_id', 'STRING'], ['merchant_id', 'STRING'],
        ['amount', 'DECIMAL(10,2)'], ['merchant_country', 'STRING'], ['event_time', 'TIMESTAMP(3)']] },
    merchants: { path: 'merchants.json', format: 'json',
      schema: [['merchant_id', 'STRING'], ['category', 'STRING'], ['update_time', 'TIMESTAMP(3)']] },
  },
  queries: [{
    out: ['card_id:STRING', 'ws:TS3', 'n:BIGINT', 'total:DECIMAL(10,2)'],
    sql: `WITH risky AS (
            SELECT t.card_id, t.amount, t.event_time FROM transactions t
            ASOF JOIN merchants m ON t.merchant_id = m.merchant_id AND t.event_time >= m.update_time
            WHERE t.merchant_country <> 'CA' AND m.category IN ('gambling', 'jewelry', 'electronics', 'crypto'))
          SELECT card_id, (event_time // ${W}) * ${W} AS ws, COUNT(*) AS n, SUM(amount)::VARCHAR AS total
          FROM risky GROUP BY card_id, ws HAVING COUNT(*) > 3 AND SUM(amount) > 500`,
  }],
};
