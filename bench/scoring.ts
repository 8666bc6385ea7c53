import { openRuntime } from '../src/app/runtime.js';
import { importEpssScores, importKevCatalog, prioritizeMany, reprioritize, type PrioritizeInput } from '../src/modules/scoring/index.js';
import { parseCvssVector, scoreCvss } from '../src/platform/cvss/index.js';
import { libraryScores } from '../src/platform/cvss/test-support/cvss-library-oracle.js';
import { randomVectors } from '../src/platform/cvss/test-support/random-vectors.js';
import { epssCsv, kevCatalogJson } from '../src/modules/scoring/test-support/feeds.js';
import { systemActor } from '../src/platform/actor.js';
import { loadConfig } from '../src/platform/config.js';
import { silentLogger } from '../src/platform/log.js';
import { seededRandom } from '../test/support/seeded-random.js';
import { benchSqlite } from './databases.js';
import { report } from './report.js';

export interface ScoringBenchOptions {
  /** Distinct vectors scored per version (uncached). */
  readonly vectors: number;
  /** Subjects re-prioritized after the EPSS refresh. */
  readonly subjects: number;
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
function subjects(count: number): PrioritizeInput[] {
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

function epssDay(date: string, count: number, seed: number): string {
  const random = seededRandom(seed);
  return epssCsv(
    date,
    Array.from({ length: count }, (_, i) => [cveOf(i), Math.round(random() * 1e5) / 1e5, Math.round(random() * 1e5) / 1e5] as const),
  );
}

/**
 * A full re-prioritization on SQLite after an EPSS refresh: `count` subjects decided through the decision
 * service (in its batches), a KEV catalog naming 1.5 % of their CVEs, one EPSS day for every CVE; then the
 * next EPSS day is imported and every decision recomputed — what the `scoring.epss.updated` consumer runs.
 */
async function benchReprioritization(count: number): Promise<void> {
  const database = benchSqlite('scoring');
  const runtime = await openRuntime(loadConfig({ ...database.env, LOG_LEVEL: 'silent' }), silentLogger);
  try {
    const ctx = runtime.contextFor(systemActor('bench'));
    const kev = Array.from({ length: Math.floor(count * 0.015) }, (_, i) => ({ cveID: cveOf(i * 67) }));
    await importKevCatalog(ctx, { data: kevCatalogJson('2026.06.01', '2026-06-01T12:00:00.000Z', kev), source: 'bench' });
    await importEpssScores(ctx, { data: epssDay('2026-06-01', count, 1), source: 'bench' });
    const inputs = subjects(count);
    let start = performance.now();
    const created = await prioritizeMany(ctx, inputs);
    report('scoring.prioritize.initial', (created.subjects / (performance.now() - start)) * 1000, {
      unit: 'subjects/s',
      subjects: created.subjects,
      db: 'sqlite',
    });

    start = performance.now();
    const epss = await importEpssScores(ctx, { data: epssDay('2026-06-02', count, 2), source: 'bench' });
    report('scoring.epss.import', (performance.now() - start) / 1000, { unit: 's', scores: epss.rows, db: 'sqlite' });

    start = performance.now();
    const summary = await reprioritize(ctx, { reason: 'epss' });
    const seconds = (performance.now() - start) / 1000;
    report('scoring.reprioritize.after-epss', seconds, { unit: 's', goal: 10, db: 'sqlite', ...summary });
  } finally {
    await runtime.close();
    await database.drop();
  }
}

/** `npm run bench -- scoring`. */
export async function benchScoring(options: ScoringBenchOptions): Promise<void> {
  benchCvss('3.1', options.vectors, 200_000);
  benchCvss('4.0', options.vectors, 50_000);
  await benchReprioritization(options.subjects);
}
