// `npx tsx bench/intake-ab.ts [sqlite|postgres] [findings]`: intake only (no background work, no baselines) for
// same-run A/B pairs of intake changes on a shared machine. Prints one JSON line: the main thread's CPU per
// finding by stage, the other threads' CPU, the statements per document, on SQLite the write-ahead log's pages
// per document (checkpoints held back, so the log only grows), on PostgreSQL the server's CPU per finding, and
// a digest of what deduplication decided (each finding's outcome and cluster, clusters by order of first
// report, each cluster's counts and labels, the keys and anchors stored): equal digests mean the same clusters.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { sql } from 'kysely';
import { openRuntime } from '../src/app/runtime.js';
import { submitDocument, uploadThreadsBusyMs } from '../src/modules/intake/index.js';
import { loadConfig } from '../src/platform/config.js';
import { silentLogger } from '../src/platform/log.js';
import { SqliteCheckpointer } from '../src/platform/db/sqlite-checkpointer.js';
import { benchPostgres, benchSqlite } from './databases.js';
import { profileStages, sampled } from './cpu-stages.js';
import { benchSubmitters, generateFindings, INTAKE_STAGES, stagesPerFinding } from './intake.js';
import { serverCpu, serverCpuBetween } from './server-cpu.js';

let statements = 0;
const statementMs = new Map<string, number>();
let counting = false;
const pgQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
  if (counting) statements++;
  return pgQuery.apply(this, args);
} as typeof pg.Client.prototype.query;
const patched = new WeakSet<object>();
const prepare = Database.prototype.prepare;
// Counting SQLite's statements wraps better-sqlite3's calls, which costs the main thread a few µs per finding:
// only with BENCH_COUNT=1 (counts are the same from run to run; CPU figures come from runs without it).
if (process.env.BENCH_COUNT === '1')
  Database.prototype.prepare = function (this: Database.Database, source: string) {
    const statement = prepare.call(this, source);
    const proto = Object.getPrototypeOf(statement) as Record<string, (...a: unknown[]) => unknown>;
    if (!patched.has(proto)) {
      patched.add(proto);
      for (const method of ['all', 'run', 'get', 'iterate']) {
        const original = proto[method]!;
        proto[method] = function (this: { source: string }, ...a: unknown[]) {
          if (!counting) return original.apply(this, a);
          statements++;
          const start = performance.now();
          const out = original.apply(this, a);
          const key = this.source.replace(/\s+/g, ' ').slice(0, 90);
          statementMs.set(key, (statementMs.get(key) ?? 0) + performance.now() - start);
          return out;
        };
      }
    }
    return statement;
  } as typeof Database.prototype.prepare;

const walMode = process.env.BENCH_WAL !== '0';
if (walMode) {
  // Checkpoints held back: the log then holds every page each commit wrote (it is never rewound).
  SqliteCheckpointer.prototype.committed = () => {};
}

const dialect = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'postgres';
const total = Number(process.argv[3] ?? 100_000);
const concurrency = Number(process.env.BENCH_INTAKE_CONCURRENCY ?? 4);

const database = dialect === 'sqlite' ? benchSqlite('intake-ab') : await benchPostgres('intake_ab');
if (database === null) process.exit(1);
const { documents } = generateFindings(total);
const runtime = await openRuntime(loadConfig({ ...database.env, LOG_LEVEL: 'silent' }), silentLogger);
try {
  const submitters = await benchSubmitters(runtime);
  const walFile = dialect === 'sqlite' ? path.join(database.env['CLEARINGHOUSE_DATA_DIR']!, 'clearinghouse.sqlite-wal') : null;
  if (walFile !== null && walMode) {
    await sql`pragma wal_checkpoint(truncate)`.execute(runtime.db.kysely);
    await sql`pragma wal_autocheckpoint = 0`.execute(runtime.db.kysely);
  }
  const walBytes = () => {
    try {
      return walFile === null ? 0 : statSync(walFile).size;
    } catch {
      return 0;
    }
  };
  const walBefore = walBytes();
  const serverUrl = database.env['DATABASE_URL'];
  const serverBefore = serverUrl === undefined ? null : await serverCpu(serverUrl);
  const busyBefore = uploadThreadsBusyMs();
  const threadsBefore = threadTicks();
  statements = 0;
  counting = true;
  const start = performance.now();
  let next = 0;
  const work = () =>
    Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let d = documents[next++]; d !== undefined; d = documents[next++])
          await submitDocument(submitters.get(d.tool)!, { bytes: d.bytes });
      }),
    );
  const { times } = process.env.BENCH_PROFILE ? await selfTimes(work) : await profileStages(INTAKE_STAGES, work);
  const ms = performance.now() - start;
  counting = false;
  const threadsAfter = threadTicks();
  const serverSeconds =
    serverUrl === undefined || serverBefore === null ? null : serverCpuBetween(serverBefore, await serverCpu(serverUrl));
  const walPages = walMode && walFile !== null ? (walBytes() - walBefore) / (4096 + 24) : null;
  const per = (v: number) => Math.round((v * 1000 * 10) / total) / 10;
  const cpuMs = times.cpuMs.user + times.cpuMs.system;
  const mainMs = times.mainThreadCpuMs ?? cpuMs;
  const otherThreads = [...threadsAfter]
    .filter(([tid]) => tid !== process.pid)
    .map(([tid, t]) => [tid, t - (threadsBefore.get(tid) ?? 0)] as const);
  console.log(
    JSON.stringify({
      bench: `intake-ab.${dialect}`,
      tree: path.basename(process.cwd()),
      findings: total,
      findings_per_s: Math.round((total / ms) * 1000),
      cpu_us: per(cpuMs),
      main_thread_cpu_us: per(mainMs),
      other_threads_cpu_us: per(cpuMs - mainMs),
      upload_threads_busy_us: per(uploadThreadsBusyMs() - busyBefore),
      busiest_other_threads_cpu_us: otherThreads
        .map(([, t]) => per(t))
        .sort((a, b) => b - a)
        .slice(0, 4),
      stages_us: stagesPerFinding(times, mainMs, per),
      idle_us: per(times.stages['idle'] ?? 0),
      statements_per_document:
        dialect === 'sqlite' && process.env.BENCH_COUNT !== '1' ? null : Math.round((statements / documents.length) * 10) / 10,
      wal_pages_per_document: walPages === null ? null : Math.round(walPages / documents.length),
      server_cpu_us: serverSeconds === null ? null : per(serverSeconds * 1000),
      digest: await digestOf(runtime.db.kysely),
      load_average: loadavg().map((l) => Math.round(l * 10) / 10),
    }),
  );
  for (const [text, ms] of [...statementMs].sort((a, b) => b[1] - a[1]).slice(0, 15))
    console.error(`${((ms * 1000) / total).toFixed(2).padStart(6)} µs/finding  ${text}`);
} finally {
  await runtime.close();
  await database.drop();
}

/** Each thread's CPU milliseconds (Linux, /proc/self/task), by thread id. */
function threadTicks(): Map<number, number> {
  const out = new Map<number, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      try {
        const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        out.set(Number(tid), (Number(fields[11]) + Number(fields[12])) * 10);
      } catch {
        // gone
      }
    }
  } catch {
    // not Linux
  }
  return out;
}

/** What deduplication decided, independent of ids: see the file's comment. */
async function digestOf(db: typeof runtime.db.kysely): Promise<Record<string, unknown>> {
  const findings = await sql<{ cluster_id: string; outcome: string; fingerprint: string }>`
    select f.cluster_id, f.outcome, f.fingerprint from intake_finding f join intake_submission s on s.id = f.submission_id
    order by s.filename, s.sha256, f.position`.execute(db);
  // Submissions in flight at once commit in any order: order findings by their document (the bytes' hash is
  // one per document), then position; clusters by their first finding in that order.
  const ordinal = new Map<string, number>();
  const hash = createHash('sha256');
  for (const f of findings.rows) {
    if (!ordinal.has(f.cluster_id)) ordinal.set(f.cluster_id, ordinal.size);
    hash.update(`${ordinal.get(f.cluster_id)} ${f.fingerprint.startsWith('none:') ? '' : f.fingerprint}\n`);
  }
  const clusters = await sql<{
    id: string;
    finding_count: number;
    reporter_count: number;
    cwes: string;
    aliases: string;
    title: string | null;
  }>`
    select id, finding_count, reporter_count, cwes, aliases, title from intake_cluster`.execute(db);
  const byOrdinal = clusters.rows.map(
    (c) => [ordinal.get(c.id) ?? -1, Number(c.finding_count), Number(c.reporter_count), c.cwes, c.aliases, c.title] as const,
  );
  byOrdinal.sort((a, b) => a[0] - b[0]);
  const clusterHash = createHash('sha256').update(JSON.stringify(byOrdinal)).digest('hex').slice(0, 16);
  const count = async (table: string) =>
    Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0]!.n);
  const outcomes = await sql<{
    outcome: string;
    n: number;
  }>`select outcome, count(*) as n from intake_finding group by outcome order by outcome`.execute(db);
  return {
    findings: hash.digest('hex').slice(0, 16),
    clusters: clusterHash,
    cluster_count: clusters.rows.length,
    outcomes: Object.fromEntries(outcomes.rows.map((o) => [o.outcome, Number(o.n)])),
    keys: await count('intake_cluster_key'),
    anchors: await count('intake_anchor'),
    candidates: await count('intake_candidate'),
  };
}

/** With BENCH_PROFILE=N: the N functions of the main thread with the most self time, on stderr, instead of stages. */
async function selfTimes(work: () => Promise<unknown>) {
  interface Node {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }
  const cpu = process.cpuUsage();
  const { profile } = await sampled<unknown, { nodes: Node[]; samples: number[]; timeDeltas: number[] }>(1000, work);
  const used = process.cpuUsage(cpu);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let sampledMs = 0;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)!.callFrame;
    const key = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\/(node_modules|src)\//, '$1/')}:${frame.lineNumber + 1}`;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    sampledMs += ms;
    self.set(key, (self.get(key) ?? 0) + ms);
  });
  for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.BENCH_PROFILE)))
    console.error(`${((ms / sampledMs) * 100).toFixed(1).padStart(5)} %  ${key}`);
  return {
    times: {
      stages: {} as Record<string, number>,
      cpuMs: { user: used.user / 1000, system: used.system / 1000 },
      mainThreadCpuMs: null,
      sampledMs,
    },
  };
}
