/**
 * `pnpm bench` runs every benchmark, `pnpm bench <name>` one. Each prints its figure next to
 * a baseline measured in the same run and writes tests/bench/results/<name>.json.
 */
import { auditAppend } from './audit-append.bench.js';
import { billingClose } from './billing-close.bench.js';
import { derive } from './derive.bench.js';
import { record, type Bench } from './harness.js';
import { ingest } from './ingest.bench.js';
import { ledgerSplits } from './ledger-splits.bench.js';
import { search } from './search.bench.js';
import { usageIngest } from './usage-ingest.bench.js';
import { dataQuery } from './data-query.bench.js';
import { usageRollup } from './usage-rollup.bench.js';

const BENCHES: Bench[] = [auditAppend, search, ingest, derive, usageIngest, usageRollup, dataQuery, billingClose, ledgerSplits];

const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const unknown = wanted.filter((name) => !BENCHES.some((bench) => bench.name === name));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${BENCHES.map((bench) => bench.name).join(', ')}`);
  process.exit(2);
}
const selected = wanted.length ? BENCHES.filter((bench) => wanted.includes(bench.name)) : BENCHES;
let allMet = true;
for (const bench of selected) {
  console.log(`\n▶ ${bench.name}: ${bench.description}`);
  const result = record(bench, await bench.run());
  allMet &&= result.met;
  const goal = typeof result.goal === 'string' ? `goal ${result.goal}` : bench.lowerIsBetter ? `goal ≤ ${result.goal} ${result.unit}` : `goal ratio ≥ ${result.goal}`;
  console.log(`  ${result.value} ${result.unit}  (baseline ${result.baseline} ${result.unit}, ratio ${result.ratio}, ${goal}: ${result.met ? 'met' : 'NOT met'})`);
  if (result.notes) console.log(`  ${result.notes}`);
}
process.exit(allMet ? 0 : 1);
