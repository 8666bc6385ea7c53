import { cliActor, openRuntime, type Runtime } from '../src/app/runtime.js';
import { adminActorOf, bootstrap, createOrg, createUser } from '../src/modules/identity/index.js';
import { upsertAdvisories, uploadSbom } from '../src/modules/inventory/index.js';
import { cycloneDx, osvRecord, pypi } from '../src/modules/inventory/test-support/fixtures.js';
import { addAllowlistEntry, notifyConsumers, registerWebhook } from '../src/modules/notify/index.js';
import { scoringConsumers } from '../src/modules/scoring/index.js';
import { loadConfig } from '../src/platform/config.js';
import { asActor, type ServiceContext } from '../src/platform/context.js';
import { EVENT_JOB_PREFIX, type EventConsumer, type StoredEvent } from '../src/platform/events/index.js';
import { silentLogger } from '../src/platform/log.js';
import { seededRandom } from '#test-support/seeded-random.js';
import type { BenchDatabase } from './databases.js';
import { copyOf, cpuMs, loadAverage, median, onEachDatabase, SEED_ADVISORIES } from './job-replay.js';
import { SOAK_SHAPE } from './soak-workload.js';
import { report } from './report.js';
import { serverCpu, serverCpuBetween } from './server-cpu.js';

export interface ExposureBenchOptions {
  /** SBOM uploads whose `notify.exposure` jobs are replayed (each one job of a few dozen events). */
  readonly uploads: number;
  /** Replays of those jobs per way of handling them, alternating. */
  readonly rounds: number;
  /** Jobs handled together in the `grouped` way (as a runner that claimed that many of a kind together). */
  readonly group: number;
  readonly databases?: readonly ('sqlite' | 'postgres')[];
}

/** As the soak (bench/soak.ts, soak-workload.ts): its operators with a webhook each, its packages, 20-component SBOMs. */
const { operators: OPERATORS, packages: PACKAGES } = SOAK_SHAPE;
const ADVISORIES = SEED_ADVISORIES;
/** The consumers of an upload's exposure changes whose jobs are replayed. */
const CONSUMERS = ['notify.exposure', 'scoring.cluster-priority'] as const;
type ConsumerName = (typeof CONSUMERS)[number];

/**
 * How the jobs are handled: as the job runner does with one job (the consumer's handleAll), with `group` jobs
 * claimed together (handleAll given all their events), or each event on its own (its handle).
 */
type Way = 'job' | 'grouped' | 'one-by-one';

/**
 * The soak's state as `notify.exposure` meets it: operators with webhooks, the advisories, uploads that
 * came before (drained, so that the measured ones also clear items), then `uploads` more whose background
 * work is left queued. Returns the events of each queued job of each of {@link CONSUMERS}.
 */
async function seed(runtime: Runtime, uploads: number): Promise<Map<ConsumerName, StoredEvent[][]>> {
  const system = runtime.contextFor(cliActor);
  await bootstrap(system, { adminToken: null });
  const admin = asActor(system, await adminActorOf(system));
  await addAllowlistEntry(admin, { cidr: '127.0.0.1/32', note: 'bench: nothing is delivered' });
  const operators: ServiceContext[] = [];
  for (let i = 0; i < OPERATORS; i++) {
    const org = await createOrg(admin, { name: `Exposure operator ${i}`, kind: 'operator', sectors: ['energy'] });
    await createUser(system, org.id, { email: `operator${i}@exposure.bench.example`, name: `operator ${i}`, role: 'admin' });
    await registerWebhook(system, { orgId: org.id, url: `http://127.0.0.1:9/o/${i}`, events: ['advisory.*'] });
    operators.push(asActor(system, await adminActorOf(system, org.id)));
  }
  const rnd = seededRandom(20261207);
  const records = Array.from({ length: ADVISORIES }, (_, n) => ({
    record: osvRecord(`OSV-SOAK-${n}`, 'PyPI', `soak-pkg-${n % PACKAGES}`, [
      { introduced: '0' },
      { fixed: `1.${1 + Math.floor(rnd() * 6)}.0` },
    ]),
    sourceRef: `bench-${n}.json`,
  }));
  for (let i = 0; i < records.length; i += 300) await upsertAdvisories(system, records.slice(i, i + 300), { source: 'soak', tlp: 'CLEAR' });
  await runtime.jobs.drain(100_000);
  const upload = async () => {
    const components = Array.from({ length: 20 }, () => pypi(`soak-pkg-${Math.floor(rnd() * PACKAGES)}`, `1.${Math.floor(rnd() * 7)}.0`));
    const operator = operators[Math.floor(rnd() * operators.length)] ?? admin;
    const asset = { name: `plant-${Math.floor(rnd() * 20)}`, sector: 'energy' as const, criticality: 'high' as const };
    await uploadSbom(operator, { asset, bytes: Buffer.from(cycloneDx(components, 'soak plant')) });
  };
  for (let i = 0; i < uploads; i++) await upload();
  await runtime.jobs.drain(100_000);
  for (let i = 0; i < uploads; i++) await upload();
  const out = new Map<ConsumerName, StoredEvent[][]>();
  for (const consumer of CONSUMERS) {
    const jobs = await runtime.db.kysely
      .selectFrom('platform_job')
      .select('payload')
      .where('kind', '=', `${EVENT_JOB_PREFIX}${consumer}`)
      .where('status', '=', 'queued')
      .orderBy('id')
      .execute();
    out.set(
      consumer,
      jobs.map((j) => {
        const payload = JSON.parse(j.payload) as { events?: StoredEvent[] } & StoredEvent;
        return payload.events ?? [payload];
      }),
    );
  }
  return out;
}

/** Handles every job's events on a fresh copy one way: this process's CPU ms per job, and PostgreSQL's. */
async function replay(database: BenchDatabase, name: ConsumerName, jobs: readonly StoredEvent[][], way: Way, group: number, n: number) {
  const copy = await copyOf(database, n);
  const runtime = await openRuntime(loadConfig({ ...copy.env, LOG_LEVEL: 'silent' }), silentLogger);
  try {
    const deps = { contextFor: runtime.contextFor, publicUrl: runtime.config.publicUrl };
    const consumer = [...notifyConsumers(deps), ...scoringConsumers(deps)].find((c) => c.name === name) as EventConsumer;
    const url = copy.env.DATABASE_URL;
    const serverBefore = url === undefined ? null : await serverCpu(url);
    const perJob: number[] = [];
    const load = loadAverage();
    const size = way === 'grouped' ? group : 1;
    for (let i = 0; i < jobs.length; i += size) {
      const together = jobs.slice(i, i + size);
      const start = cpuMs();
      if (way !== 'one-by-one' && consumer.handleAll !== undefined) await consumer.handleAll(together.flat());
      else for (const event of together.flat()) await consumer.handle(event);
      const cpu = cpuMs() - start;
      perJob.push(...together.map(() => cpu / together.length));
    }
    const server = url === undefined || serverBefore === null ? null : serverCpuBetween(serverBefore, await serverCpu(url));
    return { perJob, server, load };
  } finally {
    await runtime.close();
    await copy.drop();
  }
}

async function runOn(database: BenchDatabase, options: ExposureBenchOptions): Promise<void> {
  let seeded: Map<ConsumerName, StoredEvent[][]>;
  const runtime = await openRuntime(loadConfig({ ...database.env, LOG_LEVEL: 'silent' }), silentLogger);
  try {
    seeded = await seed(runtime, options.uploads);
  } finally {
    await runtime.close();
  }
  let copies = 0;
  for (const [name, jobs] of seeded) {
    const events = jobs.reduce((sum, j) => sum + j.length, 0);
    const figures = new Map<Way, { cpu: number[]; server: number[]; load: string[] }>();
    // The first replay of each way warms the code paths: not counted.
    for (let round = 0; round <= options.rounds; round++) {
      for (const way of ['job', 'grouped', 'one-by-one'] as const) {
        const { perJob, server, load } = await replay(database, name, jobs, way, options.group, copies++);
        if (round === 0) continue;
        const f = figures.get(way) ?? { cpu: [], server: [], load: [] };
        f.cpu.push(perJob.reduce((a, b) => a + b, 0) / perJob.length);
        if (server !== null) f.server.push((server * 1000) / perJob.length);
        f.load.push(load);
        figures.set(way, f);
      }
    }
    for (const [way, f] of figures) {
      const meta = {
        unit: 'cpu ms/job',
        db: database.dialect,
        jobs: jobs.length,
        eventsPerJob: Math.round((events / jobs.length) * 10) / 10,
        rounds: f.cpu.map((v) => Math.round(v * 10) / 10),
        load: f.load,
        ...(way === 'grouped' ? { group: options.group } : {}),
        ...(way === 'one-by-one' ? { baseline: true } : {}),
      };
      report(`exposure.${database.dialect}.${name}.${way}.cpu_ms_per_job`, median(f.cpu), meta);
      if (f.server.length > 0)
        report(`exposure.${database.dialect}.${name}.${way}.server_cpu_ms_per_job`, median(f.server), {
          ...meta,
          unit: 'PostgreSQL cpu ms/job',
          rounds: f.server.map((v) => Math.round(v * 10) / 10),
        });
    }
  }
}

/**
 * `npm run bench -- exposure`: the `notify.exposure` and `scoring.cluster-priority` jobs of SBOM uploads in
 * the soak's state (its operators, packages and SBOM shape, ~900 advisories, so ~45 exposure changes a job), replayed on fresh
 * copies of one seeded database: the CPU per job of this process (all of SQLite's work) and of the
 * PostgreSQL server, handled as the job runner does with one job (`job`), with `group` jobs claimed together
 * (`grouped`) and, the same-run baseline, each event on its own (`one-by-one`, what a consumer without
 * handleAll runs), alternately.
 */
export async function benchExposure(options: ExposureBenchOptions): Promise<void> {
  await onEachDatabase('exposure', options.databases, (db) => runOn(db, options));
}
