// `npm run bench [-- name …]`: runs the named benchmarks (all by default) and prints one JSON line per figure.
import { benchApi } from './api.js';
import { benchCli } from './cli.js';
import { benchConsole } from './console.js';
import { benchCsaf } from './csaf.js';
import { benchExposure } from './exposure.js';
import { benchHousekeeping } from './housekeeping.js';
import { benchMatch } from './match.js';
import { benchMatchCli } from './match-cli.js';
import { benchIntake } from './intake.js';
import { benchJobs } from './jobs.js';
import { benchLine } from './line.js';
import { benchLists } from './lists.js';
import { benchNotify } from './notify.js';
import { benchPagination } from './pagination.js';
import { describeMachine } from './report.js';
import { benchScoring } from './scoring.js';
import { benchScanning } from './scanning.js';

const benches: Record<string, () => Promise<void>> = {
  api: () => benchApi({ seconds: Number(process.env.BENCH_SECONDS ?? 10), connections: Number(process.env.BENCH_CONNECTIONS ?? 16) }),
  cli: async () => benchCli({ runs: Number(process.env.BENCH_CLI_RUNS ?? 5) }),
  console: () => benchConsole({ runs: Number(process.env.BENCH_CONSOLE_RUNS ?? 10) }),
  csaf: () => benchCsaf({ seconds: Number(process.env.BENCH_SECONDS ?? 5) }),
  exposure: () =>
    benchExposure({
      uploads: Number(process.env.BENCH_EXPOSURE_UPLOADS ?? 40),
      rounds: Number(process.env.BENCH_ROUNDS ?? 3),
      group: Number(process.env.BENCH_JOB_GROUP ?? 4),
      databases: process.env.BENCH_DATABASES?.split(',') as ('sqlite' | 'postgres')[] | undefined,
    }),
  housekeeping: () =>
    benchHousekeeping({
      events: Number(process.env.BENCH_ROWS ?? 120_000),
      rounds: Number(process.env.BENCH_ROUNDS ?? 2),
      databases: process.env.BENCH_DATABASES?.split(',') as ('sqlite' | 'postgres')[] | undefined,
    }),
  jobs: () =>
    benchJobs({
      kinds: (process.env.BENCH_JOB_KINDS ?? 'event:validation.triage,event:inventory.reverse-match').split(','),
      before: Number(process.env.BENCH_JOBS_BEFORE ?? 200),
      queued: Number(process.env.BENCH_JOBS_QUEUED ?? 60),
      rounds: Number(process.env.BENCH_ROUNDS ?? 3),
      group: Number(process.env.BENCH_JOB_GROUP ?? 4),
      databases: process.env.BENCH_DATABASES?.split(',') as ('sqlite' | 'postgres')[] | undefined,
    }),
  line: () => benchLine({ operators: Number(process.env.BENCH_OPERATORS ?? 10_000) }),
  match: () =>
    benchMatch({
      advisories: 200_000,
      sbomComponents: 10_000,
      operators: 10_000,
      componentsPerOperator: 500,
      naiveComponents: Number(process.env.BENCH_NAIVE_COMPONENTS ?? 200),
    }),
  lists: () =>
    benchLists({
      rows: Number(process.env.BENCH_ROWS ?? 100_000),
      seconds: Number(process.env.BENCH_SECONDS ?? 5),
      connections: Number(process.env.BENCH_CONNECTIONS ?? 16),
    }),
  'match-cli': async () => benchMatchCli({ runs: Number(process.env.BENCH_CLI_RUNS ?? 3) }),
  intake: () => benchIntake(),
  notify: () =>
    benchNotify({
      operators: Number(process.env.BENCH_OPERATORS ?? 10_000),
      concurrency: Number(process.env.BENCH_CONNECTIONS ?? 64),
    }),
  pagination: () =>
    benchPagination({
      rows: Number(process.env.BENCH_ROWS ?? 100_000),
      seconds: Number(process.env.BENCH_SECONDS ?? 5),
      connections: Number(process.env.BENCH_CONNECTIONS ?? 16),
    }),
  scanning: () =>
    benchScanning({
      campaigns: Number(process.env.BENCH_CAMPAIGNS ?? 100_000),
      probes: Number(process.env.BENCH_PROBES ?? 2_000),
      naiveProbes: Number(process.env.BENCH_NAIVE_PROBES ?? 20),
      leaseClaims: Number(process.env.BENCH_LEASE_CLAIMS ?? 2_000),
      leaseConcurrency: Number(process.env.BENCH_CONNECTIONS ?? 16),
    }),
  scoring: () =>
    benchScoring({
      vectors: Number(process.env.BENCH_VECTORS ?? 200_000),
      subjects: Number(process.env.BENCH_SUBJECTS ?? 100_000),
      databases: process.env.BENCH_DATABASES?.split(',') as ('sqlite' | 'postgres')[] | undefined,
    }),
};

const names = process.argv.slice(2).filter((a) => a !== '--');
if (names.includes('--help')) {
  console.log(`usage: npm run bench [-- name …]\nbenchmarks: ${Object.keys(benches).join(', ')}`);
  process.exit(0);
}
const unknown = names.filter((n) => !(n in benches));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
console.error(`machine: ${describeMachine()}`);
for (const name of names.length > 0 ? names : Object.keys(benches)) {
  await benches[name]!();
}
