// `npm run bench [-- name …]`: runs the named benchmarks (all by default) and prints one JSON line per figure.
import { benchApi } from './api.js';
import { benchIntake } from './intake.js';
import { describeMachine } from './report.js';

const benches: Record<string, () => Promise<void>> = {
  api: () => benchApi({ seconds: Number(process.env.BENCH_SECONDS ?? 10), connections: Number(process.env.BENCH_CONNECTIONS ?? 16) }),
  intake: () => benchIntake(),
};

const names = process.argv.slice(2).filter((a) => a !== '--');
const unknown = names.filter((n) => !(n in benches));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
console.error(`machine: ${describeMachine()}`);
for (const name of names.length > 0 ? names : Object.keys(benches)) {
  await benches[name]!();
}
