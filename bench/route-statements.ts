// `npx tsx bench/route-statements.ts [rows] [url]`: every SQL statement one request to a list route sends, with
// its wall time, on SQLite and PostgreSQL at `rows` clusters (default 100,000), and PostgreSQL's EXPLAIN ANALYZE
// of each. Not a figure: what a request costs in round trips and where a slower database spends it.
import Database from 'better-sqlite3';
import pg from 'pg';
import { sql } from 'kysely';
import { openRuntime } from '../src/app/runtime.js';
import { buildServer } from '../src/app/server.js';
import { loadConfig } from '../src/platform/config.js';
import { silentLogger } from '../src/platform/log.js';
import { sampled } from './cpu-stages.js';
import { benchPostgres, benchSqlite, type BenchDatabase } from './databases.js';
import { seedClusters, ADMIN_TOKEN } from './pagination.js';

interface Sent {
  readonly text: string;
  readonly values: unknown[];
  ms: number;
}
const sent: Sent[] = [];
let capturing = false;

const pgQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
  const result = pgQuery.apply(this, args);
  if (capturing && typeof args[0] === 'string' && result instanceof Promise) {
    const entry: Sent = { text: args[0], values: (args[1] as unknown[]) ?? [], ms: 0 };
    const start = performance.now();
    sent.push(entry);
    void result.then(
      () => (entry.ms = performance.now() - start),
      () => undefined,
    );
  }
  return result;
} as typeof pg.Client.prototype.query;
const prepare = Database.prototype.prepare;
Database.prototype.prepare = function (this: Database.Database, source: string) {
  const statement = prepare.call(this, source);
  if (!capturing) return statement;
  for (const method of ['all', 'run', 'get', 'iterate'] as const) {
    const original = statement[method].bind(statement) as (...a: unknown[]) => unknown;
    (statement as unknown as Record<string, unknown>)[method] = (...a: unknown[]) => {
      const start = performance.now();
      const out = original(...a);
      sent.push({ text: source, values: a, ms: performance.now() - start });
      return out;
    };
  }
  return statement;
} as typeof Database.prototype.prepare;

interface Profile {
  readonly nodes: readonly { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** The 25 functions with the most self time, and each package's share (node_modules/<name>, or ours). */
function printSelfTimes(profile: Profile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const packages = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    total += ms;
    const frame = byId.get(id)!.callFrame;
    const key = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\/(node_modules|src)\//, '$1/')}:${frame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + ms);
    const pkg =
      /node_modules\/((@[^/]+\/)?[^/]+)/.exec(frame.url)?.[1] ??
      (frame.url.includes('/src/') ? 'ours' : frame.url === '' ? frame.functionName : 'node');
    packages.set(pkg, (packages.get(pkg) ?? 0) + ms);
  });
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `${((v / total) * 100).toFixed(1).padStart(5)} %  ${k}`)
      .join('\n');
  console.log(`sampled ${total.toFixed(0)} ms\n${top(packages, 15)}\n\n${top(self, 30)}`);
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return String(value);
  return `'${String(value).replace(/'/g, "''")}'`;
}

async function run(database: BenchDatabase, rows: number, url: string): Promise<void> {
  await seedClusters(database, rows);
  const runtime = await openRuntime(
    loadConfig({ ...database.env, LOG_LEVEL: 'silent', CLEARINGHOUSE_RATE_LIMIT: '10000000' }),
    silentLogger,
  );
  const app = await buildServer(runtime);
  try {
    const request = () => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    for (let i = 0; i < 30; i++) await request();
    const rounds = 50;
    const start = performance.now();
    for (let i = 0; i < rounds; i++) await request();
    const perRequest = (performance.now() - start) / rounds;
    // The load window only: 16 concurrent callers for `rounds` requests each, under V8's sampling profiler.
    const loadStart = performance.now();
    const { profile } = await sampled<void, Profile>(500, async () => {
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          for (let i = 0; i < rounds; i++) await request();
        }),
      );
    });
    const loadMs = performance.now() - loadStart;
    console.log(`\n##### ${database.dialect}: ${((16 * rounds) / loadMs) * 1000} requests/s with 16 concurrent in-process callers`);
    printSelfTimes(profile);
    sent.length = 0;
    capturing = true;
    const answer = await request();
    capturing = false;
    console.log(
      `\n##### ${database.dialect}: ${url} → ${answer.statusCode}, ${perRequest.toFixed(2)} ms per request in-process (mean of ${rounds})`,
    );
    console.log(`${sent.length} statements, ${sent.reduce((s, x) => s + x.ms, 0).toFixed(2)} ms in them`);
    for (const q of sent) {
      console.log(`\n-- ${q.ms.toFixed(2)} ms\n${q.text}`);
      if (database.dialect === 'postgres' && /^\s*select/i.test(q.text)) {
        const plan = await sql
          .raw(`explain (analyze, buffers off) ${q.text.replace(/\$(\d+)/g, (_, n: string) => literal(q.values[Number(n) - 1]))}`)
          .execute(runtime.db.kysely);
        console.log((plan.rows as Record<string, string>[]).map((r) => Object.values(r)[0]).join('\n'));
      }
    }
  } finally {
    await app.close();
    await runtime.close();
  }
}

const rows = Number(process.argv[2] ?? 100_000);
const url = process.argv[3] ?? '/api/v1/clusters?limit=50';
for (const open of [async () => benchSqlite('statements'), () => benchPostgres('statements')]) {
  const database = await open();
  if (database === null) continue;
  try {
    await run(database, rows, url);
  } finally {
    await database.drop();
  }
}
