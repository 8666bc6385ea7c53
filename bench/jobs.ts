import { cliActor, openRuntime, type Runtime } from '../src/app/runtime.js';
import { adminActorOf, bootstrap, createOrg, createUser } from '../src/modules/identity/index.js';
import { submitDocument } from '../src/modules/intake/index.js';
import { upsertAdvisories, uploadSbom, type AdvisoryInput } from '../src/modules/inventory/index.js';
import { addAllowlistEntry, registerWebhook } from '../src/modules/notify/index.js';
import { loadConfig } from '../src/platform/config.js';
import { asActor, type ServiceContext } from '../src/platform/context.js';
import { silentLogger } from '../src/platform/log.js';
import type { BenchDatabase } from './databases.js';
import { median, onEachDatabase, replayQueued, SEED_ADVISORIES, type Replayed } from './job-replay.js';
import { report } from './report.js';
import { SOAK_SHAPE, soakWorkload, type SoakParty } from './soak-workload.js';

export interface JobsBenchOptions {
  /** Job kinds replayed, e.g. `event:validation.triage`. */
  readonly kinds: readonly string[];
  /** Requests of each kind (submissions, SBOM uploads, advisory imports) whose background work is drained first. */
  readonly before: number;
  /** Requests of each kind after them, whose jobs are left queued and replayed. */
  readonly queued: number;
  readonly rounds: number;
  /** Jobs given at once to a kind that takes several (as a runner claiming that many); 1 for none. */
  readonly group: number;
  readonly databases?: readonly ('sqlite' | 'postgres')[];
}

/** As the soak: its researcher and operator organisations, each operator with a webhook. */
const { researchers: RESEARCHERS, operators: OPERATORS } = SOAK_SHAPE;
/** Advisories loaded first, as in bench exposure. */
const ADVISORIES = SEED_ADVISORIES;

/**
 * The soak's state: its parties, advisories, then `before` of each of its writes (finding submissions, SBOM
 * uploads, advisory imports of 3 records, from the soak's own workload) worked off, then `queued` more whose
 * background work is left queued.
 */
async function seed(runtime: Runtime, options: JobsBenchOptions): Promise<void> {
  const system = runtime.contextFor(cliActor);
  await bootstrap(system, { adminToken: null });
  const admin = asActor(system, await adminActorOf(system));
  await addAllowlistEntry(admin, { cidr: '127.0.0.1/32', note: 'bench: nothing is delivered' });
  const contexts = new Map<string, ServiceContext>();
  const party = async (kind: 'researcher' | 'operator', i: number): Promise<SoakParty> => {
    const org = await createOrg(admin, { name: `Jobs ${kind} ${i}`, kind, sectors: kind === 'operator' ? ['energy'] : [] });
    const { token } = await createUser(system, org.id, { email: `${kind}${i}@jobs.bench.example`, name: `${kind} ${i}`, role: 'admin' });
    if (kind === 'operator') await registerWebhook(system, { orgId: org.id, url: `http://127.0.0.1:9/o/${i}`, events: ['advisory.*'] });
    contexts.set(token.token, asActor(system, await adminActorOf(system, org.id)));
    return { orgId: org.id, token: token.token };
  };
  const researchers: SoakParty[] = [];
  for (let i = 0; i < RESEARCHERS; i++) researchers.push(await party('researcher', i));
  const operators: SoakParty[] = [];
  for (let i = 0; i < OPERATORS; i++) operators.push(await party('operator', i));
  const workload = soakWorkload(20261207, 'admin', researchers, operators);
  const records = (body: string | undefined): AdvisoryInput[] => (JSON.parse(body ?? '{}') as { records: AdvisoryInput[] }).records;
  const preload = Array.from({ length: ADVISORIES / 3 }, () => records(workload.make.advisories().body)).flat();
  for (let i = 0; i < preload.length; i += 300) await upsertAdvisories(admin, preload.slice(i, i + 300), { source: 'soak', tlp: 'CLEAR' });
  const writes = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const submission = workload.make.submission();
      await submitDocument(contexts.get(submission.token) ?? admin, { bytes: Buffer.from(submission.body ?? '') });
      const sbom = workload.make.sbom();
      const query = new URL(sbom.path, 'http://bench').searchParams;
      await uploadSbom(contexts.get(sbom.token) ?? admin, {
        asset: { name: query.get('asset') ?? 'plant', sector: 'energy', criticality: 'high' },
        bytes: Buffer.from(sbom.body ?? ''),
      });
      await upsertAdvisories(admin, records(workload.make.advisories().body), { source: 'soak', tlp: 'CLEAR' });
    }
  };
  await runtime.jobs.drain(1_000_000);
  await writes(options.before);
  await runtime.jobs.drain(1_000_000);
  await writes(options.queued);
}

async function runOn(database: BenchDatabase, options: JobsBenchOptions): Promise<void> {
  const runtime = await openRuntime(loadConfig({ ...database.env, LOG_LEVEL: 'silent' }), silentLogger);
  try {
    await seed(runtime, options);
  } finally {
    await runtime.close();
  }
  let n = 0;
  for (const kind of options.kinds) {
    // One by one (the baseline) and in groups, alternately in each round, when the group is larger than one.
    const ways = options.group > 1 ? ([1, options.group] as const) : ([1] as const);
    const rounds = new Map<number, Replayed[]>();
    // The first replay of each way warms the code paths: not counted.
    for (let round = 0; round <= options.rounds; round++) {
      for (const group of ways) {
        const replayed = await replayQueued(database, kind, n++, group);
        if (round > 0) rounds.set(group, [...(rounds.get(group) ?? []), replayed]);
      }
    }
    const name = kind.replace(/^event:/, '');
    for (const [group, replays] of rounds) {
      const way = group === 1 ? 'one-by-one' : `grouped-${group}`;
      const meta = {
        db: database.dialect,
        jobs: replays[0]?.jobs ?? 0,
        statementsPerJob: Math.round((replays[0]?.statements ?? 0) * 10) / 10,
        load: replays.map((r) => r.load),
        ...(group === 1 ? { baseline: true } : {}),
      };
      const cpu = replays.map((r) => r.cpuMs);
      report(`jobs.${database.dialect}.${name}.${way}.cpu_ms_per_job`, median(cpu), {
        ...meta,
        unit: 'cpu ms/job',
        rounds: cpu.map((v) => Math.round(v * 100) / 100),
      });
      const server = replays.flatMap((r) => (r.serverCpuMs === null ? [] : [r.serverCpuMs]));
      if (server.length > 0)
        report(`jobs.${database.dialect}.${name}.${way}.server_cpu_ms_per_job`, median(server), {
          ...meta,
          unit: 'PostgreSQL cpu ms/job',
          rounds: server.map((v) => Math.round(v * 100) / 100),
        });
    }
  }
}

/**
 * `npm run bench -- jobs`: queued background jobs of the soak's writes (finding submissions, SBOM uploads and
 * advisory imports from its own workload, after as many worked off), replayed kind by kind on fresh copies of
 * one seeded database through the job runner's handlers: the CPU per job of this process (all of SQLite's
 * work) and of the PostgreSQL server, and the statements (round trips on PostgreSQL) each job sends — one by
 * one, and (for kinds that take several at once) `group` at a time, alternately.
 */
export async function benchJobs(options: JobsBenchOptions): Promise<void> {
  await onEachDatabase('jobs', options.databases, (db) => runOn(db, options));
}
