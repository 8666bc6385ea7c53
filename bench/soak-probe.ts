// Loaded into a soak server with `--import` (soak --probe): what the server itself sees, written as JSON to
// `probe-<pid>.json` in $SOAK_PROBE_DIR when it exits. Event-loop utilisation and CPU per interval, server-side time per route
// (from the request's arrival to the end of its answer), and on SQLite the time spent in each statement (the
// calls into better-sqlite3 run on the event loop, so their sum is time no request could use).
import { AsyncLocalStorage, createHook } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { channel, tracingChannel } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';

const dir = process.env.SOAK_PROBE_DIR;
const file = dir === undefined ? undefined : path.join(dir, `probe-${process.pid}.json`);

interface Tally {
  n: number;
  ms: number;
}
const add = (map: Map<string, Tally>, key: string, ms: number) => {
  const t = map.get(key);
  if (t === undefined) map.set(key, { n: 1, ms });
  else {
    t.n++;
    t.ms += ms;
  }
};

/** `/api/v1/clusters/01J…?limit=50` → `/api/v1/clusters/:id`. */
export function routeOfUrl(method: string, url: string): string {
  const bare = url.replace(/\?.*$/, '');
  return `${method} ${bare.replace(/\/(?=[^/]*\d)[^/]{16,}|\/OSV-SOAK-\d+/g, '/:id')}`;
}

const routes = new Map<string, Tally>();
const started = new WeakMap<IncomingMessage, number>();
/**
 * With SOAK_PROBE_CPU=1, the route of the request whose work a callback does: entered when the request
 * starts, so every callback its handling schedules carries it (see {@link cpu}).
 */
const routeOfWork = new AsyncLocalStorage<string>();
const cpuByWork = process.env.SOAK_PROBE_CPU === '1' || process.env.SOAK_PROBE_JOBS === '1';
channel('http.server.request.start').subscribe((message) => {
  const request = (message as { request: IncomingMessage }).request;
  started.set(request, performance.now());
  if (cpuByWork) routeOfWork.enterWith(routeOfUrl(request.method ?? '?', request.url ?? ''));
});
channel('http.server.response.finish').subscribe((message) => {
  const request = (message as { request: IncomingMessage }).request;
  const t0 = started.get(request);
  if (t0 !== undefined) add(routes, routeOfUrl(request.method ?? '?', request.url ?? ''), performance.now() - t0);
});

/** SQL text with literals and parameter lists folded, so that one shape is one line. */
function shapeOf(sql: string): string {
  return sql
    .replace(/\s+/g, ' ')
    .replace(/(\?, )+\?/g, '?…')
    .replace(/\((\?…|\?)\)(, \((\?…|\?)\))+/g, '(…)…')
    .slice(0, 160);
}

const statements = new Map<string, Tally>();
/**
 * Statements SQLite compiled (better-sqlite3's prepare: the connection's statement cache missed) and the time it
 * took: a count that keeps rising with the requests is a cache compiling the same texts again and again.
 */
const prepared = { count: 0, ms: 0 };
/**
 * SOAK_PROBE_PREPARES=1: how often each statement text was compiled (kept in memory for the run: not for memory
 * figures). Written as the distinct texts, the ones compiled more than once, and the shapes compiled most.
 */
const preparedTexts = process.env.SOAK_PROBE_PREPARES === '1' ? new Map<string, number>() : undefined;
if (file !== undefined) {
  try {
    const require = createRequire(path.join(process.cwd(), 'package.json'));
    const Database = require('better-sqlite3') as { prototype: { prepare(sql: string): object } };
    const prepare = Database.prototype.prepare;
    const patched = new WeakSet<object>();
    Database.prototype.prepare = function (this: unknown, sql: string) {
      const t0 = performance.now();
      const statement = prepare.call(this, sql) as Record<string, (...args: unknown[]) => unknown>;
      prepared.count++;
      prepared.ms += performance.now() - t0;
      if (preparedTexts !== undefined) preparedTexts.set(sql, (preparedTexts.get(sql) ?? 0) + 1);
      const proto = Object.getPrototypeOf(statement) as Record<string, (...args: unknown[]) => unknown>;
      if (!patched.has(proto)) {
        patched.add(proto);
        for (const name of ['run', 'all', 'get']) {
          const original = proto[name] as (...args: unknown[]) => unknown;
          proto[name] = function (this: { source: string }, ...args: unknown[]) {
            const t0 = performance.now();
            try {
              return original.apply(this, args);
            } finally {
              add(statements, shapeOf(this.source), performance.now() - t0);
            }
          };
        }
      }
      return statement;
    };
  } catch {
    // PostgreSQL servers have no better-sqlite3 calls to time.
  }
}

/**
 * PostgreSQL: time a connection sat in a transaction between an answer and this process's next statement
 * (what pg_stat_activity shows as `idle in transaction`), by the statement that answered and the code that
 * sent the next one (its first frames in src/).
 */
const gaps = new Map<string, Tally>();
/**
 * PostgreSQL: how long each advisory lock was held (from its grant to the answer to COMMIT), by key (its last part
 * folded; "(shared)" when taken shared), every lock a transaction takes, in whichever statement it is taken.
 */
const locks = new Map<string, Tally>();
/** The same holds' statements sent after the grant, COMMIT included (`ms` is the count). */
const lockStatements = new Map<string, Tally>();
if (file !== undefined) {
  try {
    const require = createRequire(path.join(process.cwd(), 'package.json'));
    const pg = require('pg') as { Client: { prototype: { query(...args: unknown[]): unknown } } };
    const query = pg.Client.prototype.query;
    const inTransaction = new WeakMap<object, { last: string; at: number }>();
    /** Per connection, the advisory locks its transaction holds: since when, and the statements since. */
    const holding = new WeakMap<object, Map<string, { at: number; statements: number }>>();
    const LOCKS = /pg_advisory_xact_lock(_shared)?\(hashtext\(\$(\d+)\)\)/g;
    pg.Client.prototype.query = function (this: object, ...args: unknown[]) {
      const first = args[0];
      const text = typeof first === 'string' ? first : ((first as { text?: string } | null)?.text ?? '');
      const parameters = (args[1] as unknown[] | undefined) ?? (first as { values?: unknown[] } | null)?.values ?? [];
      for (const held of holding.get(this)?.values() ?? []) held.statements++;
      const lockKeys = [...text.matchAll(LOCKS)].map(
        (m) => `${String(parameters[Number(m[2]) - 1] ?? '?').replace(/:[^:]+$/, ':…')}${m[1] === undefined ? '' : ' (shared)'}`,
      );
      const open = inTransaction.get(this);
      if (open !== undefined) {
        const where = (new Error().stack ?? '')
          .split('\n')
          .filter((line) => line.includes('/src/') && !line.includes('/src/platform/db/'))
          .slice(0, 3)
          .map((line) =>
            line
              .trim()
              .replace(/^at /, '')
              .replace(/\(?file:\/\/\/work\/[^/]+\//, '')
              .replace(/\)$/, ''),
          )
          .join(' < ');
        add(gaps, `after ${open.last.slice(0, 40)} → ${where || text.slice(0, 60)}`, performance.now() - open.at);
      }
      const result = query.apply(this, args);
      const lower = text.trimStart().slice(0, 8).toLowerCase();
      if (result instanceof Promise) {
        void result.then(
          () => {
            if (lockKeys.length > 0) {
              let held = holding.get(this);
              if (held === undefined) holding.set(this, (held = new Map()));
              for (const key of lockKeys) if (!held.has(key)) held.set(key, { at: performance.now(), statements: 0 });
            }
            if (lower.startsWith('commit') || lower.startsWith('rollback')) {
              for (const [key, h] of holding.get(this) ?? []) {
                add(locks, key, performance.now() - h.at);
                add(lockStatements, key, h.statements);
              }
              holding.delete(this);
            }
            if (lower.startsWith('commit') || lower.startsWith('rollback')) inTransaction.delete(this);
            else if (lower.startsWith('begin') || inTransaction.has(this))
              inTransaction.set(this, { last: text.replace(/\s+/g, ' '), at: performance.now() });
          },
          () => inTransaction.delete(this),
        );
      }
      return result;
    };
  } catch {
    // No pg here.
  }
}

/**
 * Event-loop time per job kind and per route (SOAK_PROBE_JOBS=1 or SOAK_PROBE_CPU=1): the job runner traces
 * each job on `clearinghouse:job` (job-runner.ts); the kind is bound to an async store at its start, and a
 * request's route when it starts, so every callback their work schedules carries them, and the time between a
 * callback's before and after hooks (outermost only) is charged to that kind, else that route, else to
 * `(other)` (timers, the HTTP parser before a request starts, idle connections). Synchronous SQLite
 * statements run inside those callbacks, so on SQLite this is the work's whole main-thread cost. The hooks
 * (promise hooks included) cost time of their own: compare shares, and CPU figures of runs without them.
 */
const jobs = new Map<string, Tally>();
const cpu = new Map<string, Tally>();
if (file !== undefined && cpuByWork) {
  const kindOf = new AsyncLocalStorage<string>();
  const traced = tracingChannel<unknown, { kind: string; jobs?: number }>('clearinghouse:job');
  traced.start.bindStore(kindOf, (context) => context.kind);
  const counts = new Map<string, number>();
  traced.asyncEnd.subscribe((context) => {
    // A group of jobs run together is traced once.
    const { kind, jobs: n = 1 } = context as { kind: string; jobs?: number };
    counts.set(kind, (counts.get(kind) ?? 0) + n);
  });
  let depth = 0;
  let since = 0;
  createHook({
    before() {
      if (depth++ === 0) since = performance.now();
    },
    after() {
      if (--depth !== 0) return;
      // Read after the callback: the request's start enters its route inside the parser's callback.
      const ms = performance.now() - since;
      const kind = kindOf.getStore();
      if (kind !== undefined) add(jobs, kind, ms);
      else add(cpu, routeOfWork.getStore() ?? '(other)', ms);
    },
  }).enable();
  process.on('exit', () => {
    // n: jobs finished, not callbacks; requests answered, not callbacks.
    for (const [k, t] of jobs) t.n = counts.get(k) ?? 0;
    for (const [k, t] of cpu) t.n = routes.get(k)?.n ?? 0;
  });
}

interface Interval {
  at: number;
  elu: number;
  cpuMs: number;
  rssMiB: number;
  heapMiB: number;
  /** V8's heap as reserved, memory outside it held by JavaScript objects (Buffers among them), ArrayBuffers alone. */
  heapTotalMiB: number;
  externalMiB: number;
  arrayBuffersMiB: number;
  /** Used MiB per V8 heap space (new, old, code, large objects…). */
  spaces: Record<string, number>;
  /**
   * Resident MiB of the C heap grown by brk (`[heap]` in /proc/self/smaps): the main thread's malloc arena,
   * where SQLite's page cache and statements, Buffers' memory and the HTTP parser's allocations live.
   */
  brkHeapMiB: number;
  /** SQLite statements compiled so far, and the time it took. */
  prepared: number;
  preparedMs: number;
}
/** Resident kB of the `[heap]` mapping, 0 where /proc cannot tell. */
function brkHeapKb(): number {
  try {
    const smaps = readFileSync('/proc/self/smaps', 'utf8');
    const at = smaps.indexOf('[heap]');
    if (at < 0) return 0;
    const rss = /Rss:\s+(\d+) kB/.exec(smaps.slice(at));
    return rss === null ? 0 : Number(rss[1]);
  } catch {
    return 0;
  }
}
const intervals: Interval[] = [];
const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
let lastElu = performance.eventLoopUtilization();
let lastCpu = process.cpuUsage();
const origin = performance.now();
const snapshotsDue = (process.env.SOAK_PROBE_HEAP_AT ?? '')
  .split(',')
  .filter((x) => x.trim() !== '')
  .map(Number)
  .sort((a, b) => a - b);
const timer = setInterval(() => {
  const elu = performance.eventLoopUtilization(lastElu);
  lastElu = performance.eventLoopUtilization();
  const cpu = process.cpuUsage(lastCpu);
  lastCpu = process.cpuUsage();
  const memory = process.memoryUsage();
  intervals.push({
    at: Math.round((performance.now() - origin) / 1000),
    elu: Math.round(elu.utilization * 1000) / 1000,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    rssMiB: Math.round(memory.rss / 2 ** 20),
    heapMiB: Math.round(memory.heapUsed / 2 ** 20),
    heapTotalMiB: mib(memory.heapTotal),
    externalMiB: mib(memory.external),
    arrayBuffersMiB: mib(memory.arrayBuffers),
    brkHeapMiB: Math.round(brkHeapKb() / 102.4) / 10,
    prepared: prepared.count,
    preparedMs: Math.round(prepared.ms),
    spaces: Object.fromEntries(getHeapSpaceStatistics().map((space) => [space.space_name, mib(space.space_used_size)])),
  });
  // SOAK_PROBE_HEAP_AT=60,150: a heap snapshot into the probe's folder at each of those seconds since the server
  // loaded, to compare by constructor (Chrome DevTools, or bench/heap-compare.ts).
  const at = (performance.now() - origin) / 1000;
  while (dir !== undefined && snapshotsDue.length > 0 && at >= (snapshotsDue[0] as number)) {
    const second = snapshotsDue.shift() as number;
    writeHeapSnapshot(path.join(dir, `heap-${process.pid}-${second}s.heapsnapshot`));
  }
}, 5000);
timer.unref();

function preparesSummary(texts: Map<string, number>) {
  const shapes = new Map<string, Tally>();
  for (const [text, n] of texts) add(shapes, shapeOf(text), n);
  return {
    distinctTexts: texts.size,
    textsCompiledAgain: [...texts.values()].filter((n) => n > 1).length,
    compiledAgain: [...texts.values()].reduce((sum, n) => sum + n - 1, 0),
    distinctShapes: shapes.size,
    // ms holds the compilations here, n the distinct texts of the shape.
    shapes: [...shapes]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, 30)
      .map(([shape, t]) => ({ shape, texts: t.n, compiled: t.ms })),
    again: [...texts]
      .filter(([, n]) => n > 1)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([text, n]) => ({ text: shapeOf(text), n })),
  };
}

const sorted = (map: Map<string, Tally>) =>
  [...map].sort((a, b) => b[1].ms - a[1].ms).map(([key, t]) => ({ key, n: t.n, ms: Math.round(t.ms), meanMs: t.ms / Math.max(1, t.n) }));

if (file !== undefined) {
  process.on('exit', () => {
    writeFileSync(
      file,
      JSON.stringify({
        pid: process.pid,
        intervals,
        routes: sorted(routes),
        statements: sorted(statements),
        gaps: sorted(gaps),
        locks: sorted(locks),
        lockStatements: sorted(lockStatements),
        jobs: sorted(jobs),
        cpu: sorted(cpu),
        ...(preparedTexts === undefined ? {} : { prepares: preparesSummary(preparedTexts) }),
      }),
    );
  });
}
