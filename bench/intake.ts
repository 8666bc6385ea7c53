import { loadavg } from 'node:os';
import { cliActor, openRuntime, type Runtime } from '../src/app/runtime.js';
import { adminActorOf, bootstrap, createOrg, createUser } from '../src/modules/identity/index.js';
import { submitDocument, uploadThreadsBusyMs } from '../src/modules/intake/index.js';
import { loadConfig } from '../src/platform/config.js';
import { insertMany, withTransaction, type Database } from '../src/platform/db/index.js';
import { asActor, type ServiceContext } from '../src/platform/context.js';
import { silentLogger } from '../src/platform/log.js';
import { benchPostgres, benchSqlite, type BenchDatabase } from './databases.js';
import { profileStages, type Stage, type StageTimes } from './cpu-stages.js';
import { report } from './report.js';
import { serverCpu, serverCpuBetween } from './server-cpu.js';
import { seededRandom } from '#test-support/seeded-random.js';

const TOOLS = ['deepscan-ai', 'codeql', 'semgrep', 'vulnhunter-llm', 'fuzzgrep'];
const PER_DOCUMENT = 1000;

/** Submissions in flight at once during intake (BENCH_INTAKE_CONCURRENCY, default 4: several scanners). */
const CONCURRENCY = Math.max(1, Number(process.env.BENCH_INTAKE_CONCURRENCY ?? 4));

const WORDS =
  'the handler passes user input unchecked into a query buffer allocation path parser length header value request session token template command shell file name encoding boundary integer overflow'.split(
    ' ',
  );

interface Vulnerability {
  readonly pkg: string;
  readonly cwe: string;
  readonly file: string;
  readonly fn: string;
  readonly words: string[];
}

/**
 * A bootstrapped runtime's submitters: one researcher organisation and analyst per scanning tool of
 * {@link generateFindings}, each document submitted as its tool's (`submitters.get(document.tool)`).
 */
export async function benchSubmitters(runtime: Runtime): Promise<Map<string, ServiceContext>> {
  const system = runtime.contextFor(cliActor);
  await bootstrap(system, { adminToken: null });
  const submitters = new Map<string, ServiceContext>();
  for (const tool of TOOLS) {
    const org = await createOrg(asActor(system, await adminActorOf(system)), { name: `${tool} operators`, kind: 'researcher' });
    const { user } = await createUser(system, org.id, { email: `${tool}@bench.example`, name: tool, role: 'analyst' });
    submitters.set(
      tool,
      asActor(system, { kind: 'user', userId: user.id, orgId: org.id, orgKind: 'researcher', role: 'analyst', tokenId: null }),
    );
  }
  return submitters;
}

/**
 * 100,000 native findings from five tools: 65 % first reports, 30 % exact duplicates (the same bug from
 * another tool, reworded and on another line: same fingerprint), 5 % near duplicates (the same bug after a
 * refactor renamed its function, described in nearly the same words: another fingerprint, similar text).
 */
export function generateFindings(total: number): { documents: { tool: string; bytes: Buffer }[]; nearDuplicates: number } {
  const rnd = seededRandom(20260602);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const seen: Vulnerability[] = [];
  const findings: Record<string, unknown>[] = [];
  let nearDuplicates = 0;
  const toFinding = (v: Vulnerability, fn: string, words: string[]) => ({
    title: `${v.cwe} in ${fn}`,
    description: words.join(' '),
    target: { purl: `pkg:npm/${v.pkg}@1.${Math.floor(rnd() * 20)}.0` },
    cwe: [v.cwe],
    location: { path: v.file, function: fn, startLine: 1 + Math.floor(rnd() * 2000) },
  });
  for (let i = 0; i < total; i++) {
    const roll = rnd();
    if (seen.length > 100 && roll < 0.3) {
      const v = pick(seen);
      findings.push(toFinding(v, v.fn, [...v.words].reverse()));
    } else if (seen.length > 100 && roll < 0.35) {
      const v = pick(seen);
      nearDuplicates += 1;
      findings.push(toFinding(v, `${v.fn}_v2`, [...v.words.slice(0, -1), pick(WORDS)]));
    } else {
      const v: Vulnerability = {
        pkg: `lib-${Math.floor(rnd() * 2000)}`,
        cwe: pick(['CWE-79', 'CWE-89', 'CWE-22', 'CWE-787', 'CWE-416', 'CWE-20', 'CWE-78', 'CWE-502']),
        file: `src/${pick(['api', 'core', 'util', 'io', 'net'])}/${Math.floor(rnd() * 500)}.js`,
        fn: `handler${Math.floor(rnd() * 100000)}`,
        words: Array.from({ length: 24 }, () => pick(WORDS)),
      };
      seen.push(v);
      findings.push(toFinding(v, v.fn, v.words));
    }
  }
  const documents = [];
  for (let i = 0; i < findings.length; i += PER_DOCUMENT) {
    const tool = TOOLS[(i / PER_DOCUMENT) % TOOLS.length] as string;
    const doc = {
      schema: 'clearinghouse/findings@1',
      provenance: { tool: { name: tool, version: '1.0' }, aiGenerated: tool.includes('ai') || tool.includes('llm') },
      findings: findings.slice(i, i + PER_DOCUMENT),
    };
    documents.push({ tool, bytes: Buffer.from(JSON.stringify(doc)) });
  }
  return { documents, nearDuplicates };
}

/** Intake's stages, as `profileStages` attributes samples: the first listed on a stack wins. */
export const INTAKE_STAGES: readonly Stage[] = [
  { name: 'commit', functions: ['commitTransaction'] },
  { name: 'sql statements', functions: ['executeQuery'] },
  // Large uploads are read on upload threads (upload-threads.ts): on the main thread, what is left of this
  // stage is handing them over and taking the answers.
  { name: 'upload hand-off', functions: ['readUploadOffThread', '#answer'] },
  { name: 'parse and validate', functions: ['parseSubmission', 'decodeUpload'] },
  { name: 'fingerprint', functions: ['findingIdentity'] },
  { name: 'finding json', functions: ['compactFinding'] },
  { name: 'dedup plan', functions: ['assignClusters'] },
  { name: 'row writes', functions: ['applyPlan', 'recordAnchors'] },
  { name: 'answer', functions: ['outcomesOf', 'storedOutcomes'] },
];

/**
 * The main thread's CPU time (`mainMs`) split in the proportions of its busy samples (idle ones left out), each
 * stage as `per` turns milliseconds into its figure, largest first.
 */
export function stagesPerFinding(times: StageTimes, mainMs: number, per: (ms: number) => number): Record<string, number> {
  const busyMs = times.sampledMs - (times.stages['idle'] ?? 0);
  return Object.fromEntries(
    Object.entries(times.stages)
      .filter(([name]) => name !== 'idle')
      .sort(([, a], [, b]) => b - a)
      .map(([name, stageMs]) => [name, per((mainMs * stageMs) / busyMs)]),
  );
}

const PLAIN_COLUMNS = ['id', 'document', 'title', 'description', 'purl', 'cwe', 'location', 'finding'];

/**
 * The plain-transaction baseline: the same findings, parsed, inserted as rows of one scratch table (one
 * column per field, the finding's JSON beside them) in one transaction with multi-row INSERTs — what
 * storing them costs on this database with nothing else done. Returns the milliseconds, parsing included.
 */
async function plainTransaction(db: Database, documents: readonly { bytes: Buffer }[]): Promise<number> {
  await db.kysely.schema
    .createTable('bench_plain_finding')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('document', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('purl', 'text')
    .addColumn('cwe', 'text')
    .addColumn('location', 'text')
    .addColumn('finding', 'text', (c) => c.notNull())
    .execute();
  const start = performance.now();
  await withTransaction(db, async (trx) => {
    for (const [index, d] of documents.entries()) {
      const { findings } = JSON.parse(d.bytes.toString('utf8')) as { findings: Record<string, unknown>[] };
      const rows = findings.map((f, i) => [
        `${index}-${i}`,
        index,
        f['title'],
        f['description'],
        (f['target'] as { purl?: string } | undefined)?.purl ?? null,
        JSON.stringify(f['cwe'] ?? null),
        JSON.stringify(f['location'] ?? null),
        JSON.stringify(f),
      ]);
      await insertMany(trx, db.caps, 'bench_plain_finding', PLAIN_COLUMNS, rows);
    }
  });
  const ms = performance.now() - start;
  await db.kysely.schema.dropTable('bench_plain_finding').execute();
  return ms;
}

/** The background work's wall milliseconds and this process's CPU milliseconds meanwhile (user + system). */
interface BackgroundTimes {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/**
 * Intake of `total` findings on a fresh database, then its background work; prints every figure, or only
 * measures the background work with `backgroundOnly`. Answers the background work's times.
 */
async function runOn(database: BenchDatabase, total: number, options: { backgroundOnly?: boolean } = {}): Promise<BackgroundTimes> {
  const { documents, nearDuplicates } = generateFindings(total);
  const runtime = await openRuntime(loadConfig({ ...database.env, LOG_LEVEL: 'silent' }), silentLogger);
  try {
    const submitters = await benchSubmitters(runtime);

    const parseStart = performance.now();
    let parsed = 0;
    for (const d of documents) parsed += (JSON.parse(d.bytes.toString('utf8')) as { findings: unknown[] }).findings.length;
    const parseMs = performance.now() - parseStart;

    let fresh = 0;
    // PostgreSQL's own CPU while it takes the findings: this process's CPU figure leaves it out, and on a
    // shared machine the wall time hides it.
    const serverUrl = database.env['DATABASE_URL'];
    const serverBefore = serverUrl === undefined ? null : await serverCpu(serverUrl);
    const threadsBusyBefore = uploadThreadsBusyMs();
    const start = performance.now();
    // Scanners submit at once: CONCURRENCY submissions in flight, each answered when its commit is durable.
    let next = 0;
    const { times } = await profileStages(INTAKE_STAGES, () =>
      Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let d = documents[next++]; d !== undefined; d = documents[next++]) {
            const ctx = submitters.get(d.tool)!;
            const answer = await submitDocument(ctx, { bytes: d.bytes });
            fresh += answer.findings.filter((f) => f.outcome === 'new').length;
          }
        }),
      ),
    );
    const ms = performance.now() - start;
    const threadsBusyMs = uploadThreadsBusyMs() - threadsBusyBefore;
    const serverSeconds =
      serverUrl === undefined || serverBefore === null ? null : serverCpuBetween(serverBefore, await serverCpu(serverUrl));

    const nearStart = performance.now();
    const nearCpu = process.cpuUsage();
    await runtime.jobs.drain();
    const nearMs = performance.now() - nearStart;
    const nearCpuUsed = process.cpuUsage(nearCpu);
    const background = { wallMs: nearMs, cpuMs: (nearCpuUsed.user + nearCpuUsed.system) / 1000 };
    if (options.backgroundOnly) return background;
    const proposals = Number(
      (
        await runtime.db.kysely
          .selectFrom('intake_candidate')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

    const plainMs = await plainTransaction(runtime.db, documents);

    const meta = { dialect: database.dialect, findings: parsed, documents: documents.length, submitters_in_flight: CONCURRENCY };
    report(`intake.${database.dialect}.findings_per_s`, (parsed / ms) * 1000, meta);
    report(`intake.${database.dialect}.ratio_to_json_parse`, ms / parseMs, { ...meta, json_parse_ms: Math.round(parseMs) });
    report(`intake.${database.dialect}.plain_transaction_findings_per_s`, (parsed / plainMs) * 1000, {
      ...meta,
      baseline: 'the same findings parsed and inserted as rows of one table in one transaction (multi-row INSERTs)',
    });
    report(`intake.${database.dialect}.ratio_to_plain_transaction`, ms / plainMs, { ...meta, plain_transaction_ms: Math.round(plainMs) });
    const perFinding = (msTotal: number) => Math.round((msTotal * 1000 * 10) / parsed) / 10;
    const cpuMs = times.cpuMs.user + times.cpuMs.system;
    // The main thread's CPU time (the process's where the system cannot tell threads apart) split in the
    // proportions of its busy samples (idle ones left out): an estimate that charges the time a loaded machine
    // took the thread away evenly to every stage. The other threads' time is the upload threads' reading, V8's
    // collector helpers, and the log's flushes and checkpoints.
    const mainMs = times.mainThreadCpuMs ?? cpuMs;
    report(`intake.${database.dialect}.cpu_us_per_finding`, perFinding(cpuMs), {
      ...meta,
      user_us: perFinding(times.cpuMs.user),
      system_us: perFinding(times.cpuMs.system),
      main_thread_cpu_us: times.mainThreadCpuMs === null ? null : perFinding(times.mainThreadCpuMs),
      other_threads_cpu_us: times.mainThreadCpuMs === null ? null : perFinding(cpuMs - times.mainThreadCpuMs),
      // Wall time of the upload threads' work (parse, validate, fingerprint, JSON): their CPU on a quiet machine.
      upload_threads_busy_us: perFinding(threadsBusyMs),
      // The server processes of the database's connections (PostgreSQL on this machine): not in the figure itself.
      server_cpu_us: serverSeconds === null ? null : perFinding(serverSeconds * 1000),
      main_thread_stages_cpu_us: stagesPerFinding(times, mainMs, perFinding),
      // Waiting for the database's answer (PostgreSQL) or a busy machine's scheduler, per finding.
      idle_us: perFinding(times.stages['idle'] ?? 0),
      load_average: loadavg().map((l) => Math.round(l * 10) / 10),
    });
    report(`intake.${database.dialect}.new_clusters`, fresh, { ...meta, expected_at_most: parsed - Math.round(parsed * 0.3) });
    report(`intake.${database.dialect}.background_work_findings_per_s`, (parsed / nearMs) * 1000, {
      ...meta,
      covers: 'near-duplicate proposals, validation triage, advisory indexing',
      wall_ms: Math.round(nearMs),
      cpu_ms: Math.round(background.cpuMs),
      load_average: loadavg().map((l) => Math.round(l * 10) / 10),
    });
    report(`intake.${database.dialect}.near_duplicate_proposals`, proposals, { ...meta, near_duplicates_generated: nearDuplicates });
    return background;
  } finally {
    await runtime.close();
    await database.drop();
  }
}

/**
 * `npm run bench -- intake`: the full intake path for 100,000 native findings, on SQLite and PostgreSQL, and
 * whether its background work stays linear: the same at a tenth of the findings, background work only, and
 * the cost per finding at full size over that at a tenth (issue 14's goal: at most 1.3).
 */
export async function benchIntake(
  total = Number(process.env.BENCH_INTAKE_FINDINGS ?? 100_000),
  databases: readonly string[] = process.env.BENCH_DATABASES?.split(',') ?? ['sqlite', 'postgres'],
): Promise<void> {
  const openers = { sqlite: async () => benchSqlite('intake'), postgres: () => benchPostgres('intake') };
  for (const open of (['sqlite', 'postgres'] as const).filter((d) => databases.includes(d)).map((d) => openers[d])) {
    const small = Math.round(total / 10);
    const smallDb = await open();
    if (smallDb === null) continue;
    const smallTimes = await runOn(smallDb, small, { backgroundOnly: true });
    const fullDb = await open();
    if (fullDb === null) continue;
    const fullTimes = await runOn(fullDb, total);
    const smallMs = smallTimes.wallMs;
    const fullMs = fullTimes.wallMs;
    const perFinding = (ms: number, n: number) => Math.round((ms * 1000 * 10) / n) / 10;
    report(`intake.${smallDb.dialect}.background_work_per_finding_ratio`, fullMs / total / (smallMs / small), {
      dialect: smallDb.dialect,
      [`findings_per_s_at_${small}`]: Math.round((small / smallMs) * 1000),
      [`findings_per_s_at_${total}`]: Math.round((total / fullMs) * 1000),
      [`us_per_finding_at_${small}`]: perFinding(smallMs, small),
      [`us_per_finding_at_${total}`]: perFinding(fullMs, total),
      // This process's CPU per finding: what a busy machine bends least (PostgreSQL's own work is not in it).
      cpu_ratio: Math.round((fullTimes.cpuMs / total / (smallTimes.cpuMs / small)) * 100) / 100,
      [`cpu_us_per_finding_at_${small}`]: perFinding(smallTimes.cpuMs, small),
      [`cpu_us_per_finding_at_${total}`]: perFinding(fullTimes.cpuMs, total),
      goal: '≤ 1.3',
      load_average: loadavg().map((l) => Math.round(l * 10) / 10),
    });
  }
}
