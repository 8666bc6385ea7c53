// `npx tsx bench/intake-background.ts [sqlite|postgres] [findings]`: intake of `findings` (untimed), then its
// background work (`jobs.drain()`, as `npm run bench -- intake` times it), measured per finding: wall, the
// process's CPU (user and system) and the main thread's, each other thread's CPU, wall per job kind, and the
// bytes the process read and wrote (/proc/self/io: rchar counts SQLite's page reads that missed its cache,
// wchar its log writes). With BENCH_COUNT=1, SQLite statements by text (count, time); BENCH_DBSTAT=1, the
// largest tables and indexes in pages; BENCH_CPU_PROF=FILE, a CPU profile of the main thread. Issue 14 used it
// to find what grows from 10,000 to 100,000 findings.
import { writeFileSync, readdirSync, readFileSync } from 'node:fs';
import { tracingChannel } from 'node:diagnostics_channel';
import { loadavg } from 'node:os';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { openRuntime } from '../src/app/runtime.js';
import { submitDocument } from '../src/modules/intake/index.js';
import { loadConfig } from '../src/platform/config.js';
import { silentLogger } from '../src/platform/log.js';
import { benchPostgres, benchSqlite } from './databases.js';
import { mainThreadCpuMs, sampled } from './cpu-stages.js';
import { benchSubmitters, generateFindings } from './intake.js';

const statementMs = new Map<string, { n: number; ms: number }>();
let counting = false;
if (process.env.BENCH_COUNT === '1') {
  const prepare = Database.prototype.prepare;
  const patched = new WeakSet<object>();
  Database.prototype.prepare = function (this: Database.Database, source: string) {
    const statement = prepare.call(this, source);
    const proto = Object.getPrototypeOf(statement) as Record<string, (...a: unknown[]) => unknown>;
    if (!patched.has(proto)) {
      patched.add(proto);
      for (const method of ['all', 'run', 'get', 'iterate']) {
        const original = proto[method]!;
        proto[method] = function (this: { source: string }, ...a: unknown[]) {
          if (!counting) return original.apply(this, a);
          const start = performance.now();
          const out = original.apply(this, a);
          const key = this.source.replace(/\s+/g, ' ').slice(0, 140);
          const t = statementMs.get(key) ?? { n: 0, ms: 0 };
          t.n++;
          t.ms += performance.now() - start;
          statementMs.set(key, t);
          return out;
        };
      }
    }
    return statement;
  } as typeof Database.prototype.prepare;
}

const kinds = new Map<string, { n: number; ms: number }>();
const traced = tracingChannel<unknown, { kind: string; jobs?: number; at?: number }>('clearinghouse:job');
traced.subscribe({
  start(c) {
    (c as { at?: number }).at = performance.now();
  },
  end() {},
  asyncStart() {},
  asyncEnd(c) {
    const ctx = c as { kind: string; jobs?: number; at: number };
    const t = kinds.get(ctx.kind) ?? { n: 0, ms: 0 };
    t.n += ctx.jobs ?? 1;
    t.ms += performance.now() - ctx.at;
    kinds.set(ctx.kind, t);
  },
  error() {},
});

function threadTicks(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.split(') ')[1]!.split(' ');
      out.set(`${tid}:${name}`, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // gone
    }
  }
  return out;
}

const dialect = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'postgres';
const total = Number(process.argv[3] ?? 10_000);
const database = dialect === 'sqlite' ? benchSqlite('intake-bg') : await benchPostgres('intake_bg');
if (database === null) process.exit(1);
const { documents } = generateFindings(total);
const runtime = await openRuntime(loadConfig({ ...database.env, LOG_LEVEL: 'silent' }), silentLogger);
try {
  const submitters = await benchSubmitters(runtime);
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let d = documents[next++]; d !== undefined; d = documents[next++])
        await submitDocument(submitters.get(d.tool)!, { bytes: d.bytes });
    }),
  );
  if (process.env.BENCH_SETTLE_MS) await new Promise((r) => setTimeout(r, Number(process.env.BENCH_SETTLE_MS)));
  const ioOf = () =>
    Object.fromEntries(
      readFileSync('/proc/self/io', 'utf8')
        .trim()
        .split('\n')
        .map((l) => [l.split(':')[0]!, Number(l.split(':')[1])]),
    );
  const ioBefore = ioOf();
  const threadsBefore = threadTicks();
  const mainBefore = mainThreadCpuMs()!;
  const cpu = process.cpuUsage();
  const heapBefore = process.memoryUsage().heapUsed;
  counting = true;
  const start = performance.now();
  let ran = 0;
  if (process.env.BENCH_CPU_PROF) {
    const { profile } = await sampled(1000, async () => (ran = await runtime.jobs.drain()));
    writeFileSync(process.env.BENCH_CPU_PROF, JSON.stringify(profile));
  } else ran = await runtime.jobs.drain();
  const wallMs = performance.now() - start;
  counting = false;
  const used = process.cpuUsage(cpu);
  const mainMs = mainThreadCpuMs()! - mainBefore;
  const threadsAfter = threadTicks();
  const ioAfter = ioOf();
  const io = Object.fromEntries(Object.keys(ioAfter).map((k) => [k, Math.round(((ioAfter[k]! - ioBefore[k]!) / total) * 10) / 10]));
  const per = (ms: number) => Math.round((ms * 1000 * 10) / total) / 10;
  const others = [...threadsAfter]
    .map(([k, t]) => [k, t - (threadsBefore.get(k) ?? 0)] as const)
    .filter(([, t]) => t > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([k, t]) => `${k}=${per(t)}`);
  console.log(
    JSON.stringify({
      bench: `intake-background.${dialect}`,
      tree: process.cwd().split('/').pop(),
      findings: total,
      jobs: ran,
      wall_us: per(wallMs),
      cpu_us: per((used.user + used.system) / 1000),
      user_us: per(used.user / 1000),
      system_us: per(used.system / 1000),
      main_thread_cpu_us: per(mainMs),
      threads_us: others,
      kinds_wall_us: Object.fromEntries([...kinds].map(([k, t]) => [k, { jobs: t.n, us: per(t.ms) }])),
      io_per_finding: io,
      heap_mib: [Math.round(heapBefore / 2 ** 20), Math.round(process.memoryUsage().heapUsed / 2 ** 20)],
      load_average: loadavg().map((l) => Math.round(l * 10) / 10),
    }),
  );
  if (process.env.BENCH_COUNT === '1') {
    let sum = 0;
    for (const t of statementMs.values()) sum += t.ms;
    console.error(`statements total ${per(sum)} µs/finding`);
    for (const [text, t] of [...statementMs].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25))
      console.error(
        `${per(t.ms).toFixed(1).padStart(7)} µs/f ${String(t.n).padStart(7)}× ${((t.ms * 1000) / t.n).toFixed(1).padStart(8)} µs/each  ${text}`,
      );
  }
  if (process.env.BENCH_DBSTAT === '1' && dialect === 'sqlite') {
    const rows = await sql<{
      name: string;
      pages: number;
      bytes: number;
    }>`select name, count(*) as pages, sum(payload) as bytes from dbstat group by name order by pages desc limit 15`.execute(
      runtime.db.kysely,
    );
    for (const r of rows.rows) console.error(`dbstat ${r.name} ${r.pages} pages ${Math.round(r.bytes / 2 ** 20)} MiB payload`);
  }
} finally {
  await runtime.close();
  await database.drop();
}
