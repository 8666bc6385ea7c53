// `npm run soak -- --minutes N [--rate R] [--db sqlite|pg] [--concurrency C] [--kinds K,…] [--drain S]`: the mixed workload of soak.ts on
// SQLite (one server) and PostgreSQL (two servers on one database), both unless --db names one. One JSON
// line per figure on stdout, progress and a human summary on stderr; exit 1 when any error was seen.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { harnessArgs, harnessUsage } from '#test-support/harness-args.js';
import { describeMachine, report } from './report.js';
import { runSoak, SOAK_KINDS, type SoakKind, type SoakResult } from './soak.js';

const USAGE =
  'usage: npm run soak -- --minutes N [--rate R] [--db sqlite|pg] [--concurrency C] [--kinds list,record,submission,sbom,advisories] [--drain SECONDS] [--cpu-prof DIR] [--probe DIR]';

function fail(message: string): never {
  return harnessUsage(USAGE, message);
}

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) fail(`--${name} must be a positive number, got "${raw}"`);
  return value;
}

const MiB = 2 ** 20;

function summarize(r: SoakResult): string {
  const lines = [
    `${r.dialect}, ${r.servers} server process(es), ${r.seconds} s offered ${r.offeredRate} req/s: ${r.requests} requests, ${r.requestsPerSecond.toFixed(0)} req/s, ${r.skipped} skipped (cap in flight reached), ${r.errorCount} errors; load average ${r.load.start.toFixed(2)} → ${r.load.end.toFixed(2)}`,
    ...Object.entries(r.kinds).map(
      ([kind, k]) =>
        `  ${kind.padEnd(11)} ${String(k.requests).padStart(8)} requests  p50 ${k.p50Ms.toFixed(1)} ms  p99 ${k.p99Ms.toFixed(1)} ms  ${k.errors} errors`,
    ),
    '  per route and caller:',
    ...r.routes.map(
      (k) =>
        `    ${k.route.padEnd(46)} ${String(k.requests).padStart(8)}  p50 ${k.p50Ms.toFixed(1)} ms  p99 ${k.p99Ms.toFixed(1)} ms  ${k.errors} errors`,
    ),
    `  refused for a full backlog (503 + Retry-After, nothing accepted): ${r.refused}`,
    ...(r.pgWaits === null
      ? []
      : [
          `  PostgreSQL connections, ${r.pgWaits.samples} samples, ${r.pgWaits.busy} busy connection-samples:`,
          ...r.pgWaits.states.slice(0, 8).map((w) => `    ${(w.share * 100).toFixed(1).padStart(5)} % ${w.state}: ${w.queries[0] ?? ''}`),
        ]),
    `  webhooks: ${r.deliveries.verified} signed deliveries verified, ${r.deliveries.rejected} rejected`,
    ...(['start', 'end'] as const).map((when) => {
      const j = r.jobs[when];
      const failed = j.failedKinds.length > 0 ? ` (${j.failedKinds.join(', ')})` : '';
      const top = j.topKinds.map((k) => `${k.kind} ${k.pending}`).join(', ');
      return `  background jobs at the ${when}: ${j.pending} queued, ${j.running} running, ${j.failed} failed${failed}; ${j.validatorSlots} validation slots open for partners; most queued: ${top || 'none'}`;
    }),
    `  background jobs finished: ${r.jobsDone.clock} while the clock ran (${(r.jobsDone.clock / r.seconds).toFixed(1)}/s)${r.jobsDone.drain === null ? '' : `, ${r.jobsDone.drain} in the wait after it`}`,
    `  CPU while the clock ran: server(s) ${r.cpu.servers.map((c) => `${c.toFixed(1)} s`).join(' + ')} = ${((sum(r.cpu.servers) * 1000) / Math.max(1, r.requests)).toFixed(2)} ms per request (${(sum(r.cpu.servers) / r.seconds).toFixed(2)} cores); load generator ${r.cpu.driver.toFixed(1)} s (${(r.cpu.driver / r.seconds).toFixed(2)} cores)${r.cpu.database === null ? '' : `; PostgreSQL ${r.cpu.database.toFixed(1)} s = ${((r.cpu.database * 1000) / Math.max(1, r.requests)).toFixed(2)} ms per request (${(r.cpu.database / r.seconds).toFixed(2)} cores)`}`,
    ...(r.drain === null
      ? []
      : [
          `  after the clock: ${r.drain.cpu.toFixed(1)} s of server CPU in ${r.drain.seconds} s to work off the backlog (${r.drain.left} left) = ${(((sum(r.cpu.servers) + r.drain.cpu) * 1000) / Math.max(1, r.requests)).toFixed(2)} ms per request, background work included`,
        ]),
    ...r.memory.map(
      (m) =>
        `  server pid ${m.pid}: RSS ${(m.startRss / MiB).toFixed(0)} MiB at start, ${(m.warmRss / MiB).toFixed(0)} after warm-up, ${(m.endRss / MiB).toFixed(0)} at the end (${growth(m).toFixed(1)} % since warm-up), peak ${(m.peakRss / MiB).toFixed(0)}`,
    ),
    ...r.errors.map((e) => `  error: ${e.count} × ${e.method} ${e.path} → ${e.status === 0 ? 'network error' : e.status}: ${e.example}`),
  ];
  return lines.join('\n');
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

interface Probe {
  readonly pid: number;
  readonly intervals: readonly {
    at: number;
    elu: number;
    cpuMs: number;
    rssMiB: number;
    heapMiB: number;
    heapTotalMiB?: number;
    externalMiB?: number;
    brkHeapMiB?: number;
    spaces?: Record<string, number>;
    prepared?: number;
    preparedMs?: number;
  }[];
  readonly routes: readonly { key: string; n: number; ms: number; meanMs: number }[];
  readonly statements: readonly { key: string; n: number; ms: number; meanMs: number }[];
  readonly gaps?: readonly { key: string; n: number; ms: number; meanMs: number }[];
  readonly jobs?: readonly { key: string; n: number; ms: number; meanMs: number }[];
  readonly cpu?: readonly { key: string; n: number; ms: number; meanMs: number }[];
  readonly locks?: readonly { key: string; n: number; ms: number; meanMs: number }[];
  readonly lockStatements?: readonly { key: string; n: number; ms: number; meanMs: number }[];
}

/** What soak-probe.ts wrote for each server of the run: event-loop utilisation, time per route and per statement. */
function probeSummary(dir: string, r: SoakResult): string {
  const lines: string[] = [];
  for (const m of r.memory) {
    let probe: Probe;
    try {
      probe = JSON.parse(readFileSync(path.join(dir, `probe-${m.pid}.json`), 'utf8')) as Probe;
    } catch {
      lines.push(`  server pid ${m.pid}: no probe file`);
      continue;
    }
    const busy = probe.intervals.slice(1, -1);
    const elu = busy.length === 0 ? 0 : sum(busy.map((i) => i.elu)) / busy.length;
    lines.push(
      `  server pid ${m.pid}: event-loop utilisation ${(elu * 100).toFixed(0)} % (5-s intervals, ends excluded); RSS/heap MiB every 5 s: ${probe.intervals.map((i) => `${i.rssMiB}/${i.heapMiB}`).join(' ')}`,
    );
    const memory = probe.intervals.filter((_, i) => i % 6 === 0 || i === probe.intervals.length - 1);
    if (memory[0]?.heapTotalMiB !== undefined) {
      lines.push(
        '    memory every 30 s, MiB (RSS = V8 heap reserved + C heap (brk) + threads, code, …; old = V8 old space in use): at s: RSS / V8 reserved / old / external / C heap; SQLite statements compiled (ms)',
      );
      for (const i of memory)
        lines.push(
          `      ${String(i.at).padStart(4)}: ${i.rssMiB} / ${i.heapTotalMiB} / ${i.spaces?.old_space ?? '?'} / ${i.externalMiB} / ${i.brkHeapMiB ?? '?'}; ${i.prepared ?? '?'} (${i.preparedMs ?? '?'})`,
        );
    }
    const routeMs = sum(probe.routes.map((x) => x.ms));
    lines.push('    server-side time per route (arrival to last byte), the largest totals first:');
    for (const x of probe.routes.slice(0, 16))
      lines.push(
        `      ${x.key.padEnd(46)} ${String(x.n).padStart(7)} × ${x.meanMs.toFixed(1).padStart(7)} ms = ${((100 * x.ms) / routeMs).toFixed(1).padStart(5)} %`,
      );
    if (probe.statements.length > 0) {
      const sqlMs = sum(probe.statements.map((x) => x.ms));
      lines.push(`    SQLite statements: ${(sqlMs / 1000).toFixed(1)} s on the event loop; the largest totals:`);
      for (const x of probe.statements.slice(0, 25))
        lines.push(`      ${(x.ms / 1000).toFixed(2).padStart(6)} s ${String(x.n).padStart(7)} × ${x.meanMs.toFixed(3)} ms  ${x.key}`);
    }
    if (probe.gaps !== undefined && probe.gaps.length > 0) {
      lines.push(
        `    PostgreSQL: ${(sum(probe.gaps.map((x) => x.ms)) / 1000).toFixed(1)} s idle in transaction waiting for this process; the largest totals:`,
      );
      for (const x of probe.gaps.slice(0, 12))
        lines.push(`      ${(x.ms / 1000).toFixed(2).padStart(6)} s ${String(x.n).padStart(7)} × ${x.meanMs.toFixed(1)} ms  ${x.key}`);
    }
    if (probe.locks !== undefined && probe.locks.length > 0) {
      const statements = new Map((probe.lockStatements ?? []).map((x) => [x.key, x.meanMs]));
      lines.push('    PostgreSQL advisory locks held by this process (grant to COMMIT answered), the largest totals first:');
      for (const x of probe.locks.slice(0, 10))
        lines.push(
          `      ${(x.ms / 1000).toFixed(2).padStart(6)} s ${String(x.n).padStart(6)} × ${x.meanMs.toFixed(1).padStart(6)} ms, ${(statements.get(x.key) ?? 0).toFixed(1)} statements  ${x.key}`,
        );
    }
    if (probe.cpu !== undefined && probe.cpu.length > 0) {
      const cpuMs = sum(probe.cpu.map((x) => x.ms)) + sum((probe.jobs ?? []).map((x) => x.ms));
      lines.push(
        `    event-loop time per route (SOAK_PROBE_CPU=1: callbacks a request's handling scheduled), warm-up included, the largest totals first:`,
      );
      for (const x of probe.cpu)
        lines.push(
          `      ${x.key.padEnd(46)} ${String(x.n).padStart(7)} × ${x.meanMs.toFixed(2).padStart(7)} ms = ${((100 * x.ms) / cpuMs).toFixed(1).padStart(5)} %`,
        );
    }
    if (probe.jobs !== undefined && probe.jobs.length > 0) {
      lines.push(
        `    background jobs: ${(sum(probe.jobs.map((x) => x.ms)) / 1000).toFixed(1)} s on the event loop (SOAK_PROBE_JOBS=1), per kind, the largest totals first:`,
      );
      for (const x of probe.jobs)
        lines.push(
          `      ${(x.ms / 1000).toFixed(2).padStart(7)} s ${String(x.n).padStart(7)} jobs × ${x.meanMs.toFixed(2).padStart(7)} ms  ${x.key}`,
        );
    }
  }
  return lines.join('\n');
}

/** RSS change from after the warm-up to the end, in percent. */
function growth(m: SoakResult['memory'][number]): number {
  return m.warmRss === 0 ? 0 : ((m.endRss - m.warmRss) / m.warmRss) * 100;
}

function figures(r: SoakResult, meta: Record<string, unknown>): void {
  const base = `soak.${r.dialect}`;
  const all = { ...meta, dialect: r.dialect, servers: r.servers, seconds: r.seconds, load1: [r.load.start, r.load.end] };
  report(`${base}.requests_per_s`, r.requestsPerSecond, { ...all, requests: r.requests, skipped: r.skipped, goal: 1000 });
  report(`${base}.errors`, r.errorCount, { ...all, goal: 0, errors: r.errors });
  for (const [kind, k] of Object.entries(r.kinds)) {
    report(`${base}.${kind}.p50_ms`, k.p50Ms, { ...all, requests: k.requests, errors: k.errors });
    report(`${base}.${kind}.p99_ms`, k.p99Ms, { ...all, requests: k.requests, errors: k.errors });
  }
  for (const k of r.routes)
    report(`${base}.route`, k.p50Ms, { ...all, route: k.route, requests: k.requests, p99Ms: k.p99Ms, errors: k.errors });
  report(`${base}.refused`, r.refused, all);
  report(`${base}.jobs_done_per_s`, r.jobsDone.clock / r.seconds, { ...all, done: r.jobsDone.clock, doneInDrain: r.jobsDone.drain });
  report(`${base}.server_cpu_ms_per_request`, (sum(r.cpu.servers) * 1000) / Math.max(1, r.requests), {
    ...all,
    serverCpuSeconds: r.cpu.servers,
    databaseCpuSeconds: r.cpu.database,
    driverCpuSeconds: r.cpu.driver,
    ...(r.drain === null ? {} : { drain: r.drain }),
  });
  if (r.cpu.database !== null)
    report(`${base}.database_cpu_ms_per_request`, (r.cpu.database * 1000) / Math.max(1, r.requests), {
      ...all,
      databaseCpuSeconds: r.cpu.database,
    });
  if (r.pgWaits !== null) report(`${base}.pg_waits`, r.pgWaits.busy, { ...all, samples: r.pgWaits.samples, states: r.pgWaits.states });
  report(`${base}.webhook_deliveries`, r.deliveries.verified, { ...all, rejected: r.deliveries.rejected });
  for (const when of ['start', 'end'] as const) {
    const j = r.jobs[when];
    report(`${base}.jobs_backlog_${when}`, j.pending + j.running, {
      ...all,
      failed: j.failed,
      failedKinds: j.failedKinds,
      topKinds: j.topKinds,
      validatorSlots: j.validatorSlots,
    });
  }
  r.memory.forEach((m, i) => {
    report(`${base}.server${i}.rss_start_mib`, m.startRss / MiB, all);
    report(`${base}.server${i}.rss_warm_mib`, m.warmRss / MiB, all);
    report(`${base}.server${i}.rss_end_mib`, m.endRss / MiB, { ...all, peakMib: Math.round(m.peakRss / MiB) });
    report(`${base}.server${i}.rss_growth_pct`, growth(m), { ...all, from: 'after warm-up', goal: 10 });
  });
}

const values = harnessArgs(USAGE, {
  minutes: { type: 'string' },
  rate: { type: 'string' },
  db: { type: 'string' },
  concurrency: { type: 'string' },
  'cpu-prof': { type: 'string' },
  probe: { type: 'string' },
  kinds: { type: 'string' },
  drain: { type: 'string' },
});
if (values.minutes === undefined) fail('--minutes is required');
const minutes = positive('minutes', values.minutes, 10);
const rate = positive('rate', values.rate, 1000);
const concurrency = positive('concurrency', values.concurrency, 64);
if (values.db !== undefined && values.db !== 'sqlite' && values.db !== 'pg') fail(`--db must be sqlite or pg, got "${values.db}"`);
const kinds = values.kinds === undefined ? undefined : values.kinds.split(',').map((k) => k.trim());
for (const k of kinds ?? []) if (!(k in SOAK_KINDS)) fail(`--kinds: unknown kind "${k}" (${Object.keys(SOAK_KINDS).join(', ')})`);
const drainSeconds = values.drain === undefined ? 0 : positive('drain', values.drain, 0);
const dbs: readonly ('sqlite' | 'pg')[] = values.db === undefined ? ['sqlite', 'pg'] : [values.db];
// The servers write their probe files and profiles there when they exit: a folder missing then loses them silently.
for (const dir of [values.probe, values['cpu-prof']]) if (dir !== undefined) mkdirSync(path.resolve(dir), { recursive: true });

console.error(`machine: ${describeMachine()}`);
let errors = 0;
for (const db of dbs) {
  const result = await runSoak({
    seconds: minutes * 60,
    rate,
    db,
    concurrency,
    drainSeconds,
    ...(kinds === undefined ? {} : { kinds: kinds as SoakKind[] }),
    ...(values['cpu-prof'] === undefined ? {} : { cpuProfDir: path.resolve(values['cpu-prof']) }),
    ...(values.probe === undefined ? {} : { probeDir: path.resolve(values.probe) }),
    progress: (line) => console.error(`[soak ${db}] ${line}`),
  });
  figures(result, { minutes, rate, concurrency, ...(kinds === undefined ? {} : { kinds }) });
  console.error(summarize(result));
  if (values.probe !== undefined) console.error(probeSummary(path.resolve(values.probe), result));
  errors += result.errorCount;
}
process.exit(errors > 0 ? 1 : 0);
