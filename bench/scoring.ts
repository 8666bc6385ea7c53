import { readFileSync } from 'node:fs';
import { openRuntime } from '../src/app/runtime.js';
import {
  importEpssScores,
  importKevCatalog,
  prioritizeMany,
  reprioritize,
  reprioritizeAfterEpss,
  type PrioritizeInput,
} from '../src/modules/scoring/index.js';
import { parseCvssVector, scoreCvss } from '../src/platform/cvss/index.js';
import { libraryScores } from '../src/platform/cvss/test-support/cvss-library-oracle.js';
import { randomVectors } from '../src/platform/cvss/test-support/random-vectors.js';
import { epssCsv, kevCatalogJson } from '../src/modules/scoring/test-support/feeds.js';
import { systemActor } from '../src/platform/actor.js';
import { loadConfig } from '../src/platform/config.js';
import { silentLogger } from '../src/platform/log.js';
import { seededRandom } from '#test-support/seeded-random.js';
import { benchPostgres, benchSqlite, type BenchDatabase } from './databases.js';
import { report } from './report.js';
import { serverCpu, serverCpuBetween } from './server-cpu.js';

export interface ScoringBenchOptions {
  /** Distinct vectors scored per version (uncached). */
  readonly vectors: number;
  /** Subjects re-prioritized after the EPSS refresh. */
  readonly subjects: number;
  /** The databases to re-prioritize on; default both. */
  readonly databases?: readonly ('sqlite' | 'postgres')[];
}

function distinctVectors(version: '3.1' | '4.0', count: number, seed: number): string[] {
  const random = seededRandom(seed);
  const out = new Set<string>();
  while (out.size < count) for (const v of randomVectors(version, count - out.size, random)) out.add(v);
  return [...out];
}

function perSecond(count: number, run: () => void): number {
  const start = performance.now();
  run();
  return (count / (performance.now() - start)) * 1000;
}

const ROUNDS = 3;

/** The 1-minute load average when a figure was taken (the machine may be shared). */
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0] ?? '?';

/**
 * CVSS scoring throughput: `scoreCvss` (parse, score, freeze, remember) on distinct vectors, each seen once,
 * so that every call misses the cache — the median of three rounds, each on its own vectors, since the
 * machine may be shared; then the same on a working set of 1,000 vectors scored again and again (the
 * cached figure, labelled); and ae-cvss-calculator on a sample, for comparison.
 */
function benchCvss(version: '3.1' | '4.0', count: number, goal: number): void {
  const tag = version === '3.1' ? 'cvss31' : 'cvss40';
  // Warm the code paths with other vectors first, so that the figure is not the JIT's.
  for (const v of distinctVectors(version, 20_000, 7)) scoreCvss(v);
  const rounds: number[] = [];
  let vectors: string[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    vectors = distinctVectors(version, count, (version === '3.1' ? 310 : 400) + round);
    rounds.push(Math.round(perSecond(vectors.length, () => vectors.forEach((v) => scoreCvss(v)))));
  }
  const median = [...rounds].sort((a, b) => a - b)[Math.floor(ROUNDS / 2)] ?? 0;
  report(`scoring.${tag}.uncached`, median, { unit: 'vectors/s', distinct: count, rounds, goal });
  const working = vectors.slice(0, 1000);
  const repeats = 200;
  report(
    `scoring.${tag}.cached`,
    perSecond(working.length * repeats, () => {
      for (let i = 0; i < repeats; i += 1) working.forEach((v) => scoreCvss(v));
    }),
    { unit: 'vectors/s', cached: true, workingSet: working.length },
  );
  const sample = vectors.slice(0, 5000).map((v) => parseCvssVector(v));
  report(
    `scoring.${tag}.ae-cvss-calculator`,
    perSecond(sample.length, () => sample.forEach((p) => libraryScores(p))),
    { unit: 'vectors/s', note: 'the library, kept as the test oracle; parsing not counted' },
  );
}

const cveOf = (i: number) => `CVE-2026-${String(100_000 + i)}`;
const SECTORS = ['energy', 'water', 'healthcare_public_health', 'financial_services', 'information_technology', 'transportation'] as const;
const CRITICALITIES = ['low', 'moderate', 'high'] as const;

/** Synthetic subjects: one or two CVEs each, a validator's assessment, and up to three exposed assets. */
export function benchSubjects(count: number): PrioritizeInput[] {
  const random = seededRandom(5);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  return Array.from({ length: count }, (_, i): PrioritizeInput => ({
    subjectId: `clu_bench_${String(i).padStart(7, '0')}`,
    cveIds: random() < 0.2 ? [cveOf(i), cveOf((i + 1) % count)] : [cveOf(i)],
    publicExploitReferences: random() < 0.1 ? [`https://exploits.example/${i}`] : [],
    validation: {
      validator: 'org_validator',
      assessedAt: '2026-06-01T00:00:00.000Z',
      automatable: pick(['yes', 'no'] as const),
      technicalImpact: pick(['partial', 'total'] as const),
    },
    exposure: Array.from({ length: Math.floor(random() * 4) }, (_, a) => ({
      operatorId: `org_op_${Math.floor(random() * 500)}`,
      assetId: `ast_${i}_${a}`,
      sector: pick(SECTORS),
      criticality: pick(CRITICALITIES),
      internetFacing: random() < 0.3,
    })),
  }));
}

/**
 * EPSS days as FIRST publishes them: every CVE every day, each with a new percentile; `moved` of them (a share)
 * with a new probability, the others with the day before's.
 */
function epssDays(count: number): (date: string, moved: number, seed: number) => string {
  const probabilities = Array.from({ length: count }, () => 0);
  return (date, moved, seed) => {
    const random = seededRandom(seed);
    return epssCsv(
      date,
      probabilities.map((held, i) => {
        if (random() < moved) probabilities[i] = Math.round(random() * 1e5) / 1e5;
        return [cveOf(i), probabilities[i] ?? held, Math.round(random() * 1e5) / 1e5] as const;
      }),
    );
  };
}

type Pass = 'full' | 'epss';

/**
 * Re-prioritization after an EPSS refresh, on one database: `count` subjects decided through the decision
 * service (in its batches), a KEV catalog naming 1.5 % of their CVEs, one EPSS day for every CVE; then six more
 * days, each publishing every CVE again with new percentiles and moving the probability of every CVE or of a
 * tenth of them (a realistic day), re-prioritized by the full recomputation (`reprioritize`, what the
 * `scoring.epss.updated` consumer ran before its EPSS-only pass; the same-run baseline) or the EPSS-only pass it
 * runs now (`reprioritizeAfterEpss`), in turn, so that both see the same load and table sizes.
 */
async function benchReprioritization(database: BenchDatabase, count: number): Promise<void> {
  const db = database.dialect;
  const runtime = await openRuntime(loadConfig({ ...database.env, LOG_LEVEL: 'silent' }), silentLogger);
  try {
    const ctx = runtime.contextFor(systemActor('bench'));
    const kev = Array.from({ length: Math.floor(count * 0.015) }, (_, i) => ({ cveID: cveOf(i * 67) }));
    await importKevCatalog(ctx, { data: kevCatalogJson('2026.06.01', '2026-06-01T12:00:00.000Z', kev), source: 'bench' });
    const epssDay = epssDays(count);
    await importEpssScores(ctx, { data: epssDay('2026-06-01', 1, 1), source: 'bench' });
    const inputs = benchSubjects(count);
    let start = performance.now();
    const created = await prioritizeMany(ctx, inputs);
    report('scoring.prioritize.initial', (created.subjects / (performance.now() - start)) * 1000, {
      unit: 'subjects/s',
      subjects: created.subjects,
      db,
    });

    // Wall seconds, this process's CPU seconds (all of SQLite's work, none of PostgreSQL's server) and the
    // PostgreSQL server processes' CPU seconds, per pass.
    const url = database.env.DATABASE_URL;
    const serverNow = async () => (url === undefined ? new Map<number, number>() : serverCpu(url));
    const rounds = new Map<string, { seconds: number[]; cpu: number[]; server: number[]; changed: number[]; load: string[] }>();
    const days: readonly (readonly [Pass, number])[] = [
      ['full', 1],
      ['epss', 1],
      ['full', 0.1],
      ['epss', 0.1],
      ['epss', 1],
      ['epss', 0.1],
    ];
    for (const [index, [pass, moved]] of days.entries()) {
      const day = `2026-06-${String(index + 2).padStart(2, '0')}`;
      start = performance.now();
      const epss = await importEpssScores(ctx, { data: epssDay(day, moved, index + 2), source: 'bench' });
      if (index === 0) report('scoring.epss.import', (performance.now() - start) / 1000, { unit: 's', scores: epss.rows, db });
      const server = await serverNow();
      start = performance.now();
      const cpu = process.cpuUsage();
      const summary = pass === 'full' ? await reprioritize(ctx, { reason: 'epss' }) : await reprioritizeAfterEpss(ctx);
      const used = process.cpuUsage(cpu);
      const held = rounds.get(`${pass}:${moved}`) ?? { seconds: [], cpu: [], server: [], changed: [], load: [] };
      held.seconds.push(Math.round(performance.now() - start) / 1000);
      held.cpu.push(Math.round((used.user + used.system) / 1000) / 1000);
      if (url !== undefined) held.server.push(serverCpuBetween(server, await serverNow()));
      held.load.push(loadAverage());
      held.changed.push(summary.changed);
      rounds.set(`${pass}:${moved}`, held);
    }
    const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    for (const moved of [1, 0.1]) {
      const none = { seconds: [], cpu: [], server: [], changed: [], load: [] };
      const full = rounds.get(`full:${moved}`) ?? none;
      const epss = rounds.get(`epss:${moved}`) ?? none;
      const name = moved === 1 ? 'scoring.reprioritize.after-epss' : 'scoring.reprioritize.after-epss.tenth-moved';
      const context = { db, subjects: count, scoresMoved: moved };
      report(`${name}.full-recompute`, mean(full.seconds), {
        unit: 's',
        ...context,
        rounds: full.seconds,
        cpuSeconds: full.cpu,
        ...(url === undefined ? {} : { serverCpuSeconds: full.server }),
        changed: full.changed,
        loadAverage: full.load,
      });
      report(name, mean(epss.seconds), {
        unit: 's',
        goal: 5,
        ...context,
        rounds: epss.seconds,
        cpuSeconds: epss.cpu,
        ...(url === undefined ? {} : { serverCpuSeconds: epss.server }),
        changed: epss.changed,
        loadAverage: epss.load,
        ratioToFullRecompute: Math.round((mean(epss.seconds) / mean(full.seconds)) * 1000) / 1000,
        cpuRatioToFullRecompute: Math.round((mean(epss.cpu) / mean(full.cpu)) * 1000) / 1000,
      });
    }
  } finally {
    await runtime.close();
    await database.drop();
  }
}

/** `npm run bench -- scoring`. */
export async function benchScoring(options: ScoringBenchOptions): Promise<void> {
  if (options.vectors > 0) {
    benchCvss('3.1', options.vectors, 200_000);
    benchCvss('4.0', options.vectors, 50_000);
  }
  const databases = options.databases ?? ['sqlite', 'postgres'];
  if (databases.includes('sqlite')) await benchReprioritization(benchSqlite('scoring'), options.subjects);
  const pg = databases.includes('postgres') ? await benchPostgres('scoring') : null;
  if (pg !== null) await benchReprioritization(pg, options.subjects);
}
