import autocannon from 'autocannon';
import { sql, type Kysely } from 'kysely';
import { cliActor, openRuntime } from '../src/app/runtime.js';
import { adminActorOf, bootstrap, createOrg, createUser } from '../src/modules/identity/index.js';
import { submitDocument } from '../src/modules/intake/index.js';
import { loadConfig } from '../src/platform/config.js';
import { asActor } from '../src/platform/context.js';
import { encodeCursor, paginate } from '../src/platform/db/pagination.js';
import { silentLogger } from '../src/platform/log.js';
import { startServer } from './api.js';
import { benchPostgres, benchSqlite, type BenchDatabase } from './databases.js';
import { generateFindings } from './intake.js';
import { report } from './report.js';

export const ADMIN_TOKEN = 'bench-admin-token-0123456789-abcdefghijklmnop';
const PAGE = 50;

// The bench reads tables the app's row types do not declare here; a loose handle is enough for raw SQL.
export type AnyDb = Kysely<Record<string, Record<string, unknown>>>;

/**
 * Inserts `times` copies of the rows of `table` that `where` selects (over alias `t`), each column copied
 * unless `replace` gives an expression for it over `t` and the copy number `n.i` (1…times). Plain SQL that
 * SQLite and PostgreSQL both run. `'z' || (100000 + n.i)` makes a six-digit id suffix, so copies of one id
 * sort in the order they were made.
 */
export async function copyRows(
  db: AnyDb,
  times: number,
  table: string,
  columns: readonly string[],
  replace: Record<string, string>,
  where: string,
): Promise<void> {
  await sql
    .raw(
      `insert into ${table} (${columns.join(', ')}) with recursive n(i) as (select 1 union all select i + 1 from n where i < ${times}) ` +
        `select ${columns.map((c) => replace[c] ?? `t.${c}`).join(', ')} from ${table} t, n where ${where}`,
    )
    .execute(db);
}

/**
 * `rows` clusters, each with one report: one real submission through intake, then its first cluster and that
 * cluster's report copied under new ids in SQL (the intake path itself is `npm run bench -- intake`).
 * Returns the API token of the researcher (an analyst) who submitted it.
 */
export async function seedClusters(database: BenchDatabase, rows: number): Promise<{ researcherToken: string }> {
  const runtime = await openRuntime(loadConfig({ ...database.env, LOG_LEVEL: 'silent' }), silentLogger);
  try {
    const system = runtime.contextFor(cliActor);
    await bootstrap(system, { adminToken: ADMIN_TOKEN });
    const org = await createOrg(asActor(system, await adminActorOf(system)), { name: 'Bench researchers', kind: 'researcher' });
    const { user, token } = await createUser(system, org.id, { email: 'lists@bench.example', name: 'lists', role: 'analyst' });
    const ctx = asActor(system, { kind: 'user', userId: user.id, orgId: org.id, orgKind: 'researcher', role: 'analyst', tokenId: null });
    const [document] = generateFindings(10).documents;
    if (document === undefined) throw new Error('no document generated');
    await submitDocument(ctx, { bytes: document.bytes });
    await runtime.jobs.drain();
    const db = runtime.db.kysely as unknown as AnyDb;
    const cluster = await db.selectFrom('intake_cluster').selectAll().orderBy('id').limit(1).executeTakeFirstOrThrow();
    const finding = await db
      .selectFrom('intake_finding')
      .selectAll()
      .where('id', '=', String(cluster.first_finding_id))
      .executeTakeFirstOrThrow();
    const copy = (table: string, columns: string[], replace: Record<string, string>, where: string) =>
      copyRows(db, rows - 1, table, columns, replace, where);
    await copy(
      'intake_cluster',
      Object.keys(cluster),
      { id: `t.id || 'z' || (100000 + n.i)`, first_finding_id: `t.first_finding_id || 'z' || (100000 + n.i)` },
      `t.id = '${String(cluster.id)}'`,
    );
    await copy(
      'intake_finding',
      Object.keys(finding),
      {
        id: `t.id || 'z' || (100000 + n.i)`,
        cluster_id: `t.cluster_id || 'z' || (100000 + n.i)`,
        position: `t.position + n.i * 1000`,
      },
      `t.id = '${String(finding.id)}'`,
    );
    await sql.raw('analyze').execute(db);
    return { researcherToken: token.token };
  } finally {
    await runtime.close();
  }
}

/** Median wall time of `run` in milliseconds, after a warm-up. */
async function medianMs(times: number, run: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? Number.NaN;
}

/**
 * The cluster at 90 % of `rows` clusters not merged away, newest first, and the cursor of the list page after it
 * (as paginate() encodes the cluster list's cursor).
 */
export async function clusterAt90(db: AnyDb, rows: number): Promise<{ id: string; cursor: string }> {
  const at90 = await db
    .selectFrom('intake_cluster')
    .select('id')
    .where('merged_into', 'is', null)
    .orderBy('id', 'desc')
    .offset(Math.floor(rows * 0.9))
    .limit(1)
    .executeTakeFirstOrThrow();
  const id = String(at90.id);
  return { id, cursor: encodeCursor({ k: id, id }) };
}

/** The list's own keyset query (what paginate() builds for `GET /api/v1/clusters`, minus the access policy). */
async function sqlFigures(database: BenchDatabase, rows: number): Promise<string> {
  const runtime = await openRuntime(loadConfig({ ...database.env, LOG_LEVEL: 'silent' }), silentLogger);
  try {
    const db = runtime.db.kysely as unknown as AnyDb;
    const { id, cursor } = await clusterAt90(db, rows);
    const list = (page: { cursor?: string }) =>
      paginate(
        db.selectFrom('intake_cluster as c').selectAll('c').where('c.merged_into', 'is', null),
        { limit: PAGE, ...page },
        {
          sort: 'c.id',
          id: 'c.id',
          sortOf: (r) => String(r.id),
          idOf: (r) => String(r.id),
          direction: 'desc',
        },
      );
    const plain = () =>
      sql`select * from intake_cluster where merged_into is null and id < ${id} order by id desc limit ${PAGE + 1}`.execute(db);
    const meta = { dialect: database.dialect, rows, limit: PAGE };
    const first = await medianMs(200, () => list({}));
    const page90 = await medianMs(200, () => list({ cursor }));
    const baseline = await medianMs(200, plain);
    report(`pagination.${database.dialect}.sql.first_page_ms`, first, meta);
    report(`pagination.${database.dialect}.sql.page_at_90pct_ms`, page90, meta);
    report(`pagination.${database.dialect}.sql.plain_keyset_baseline_ms`, baseline, {
      ...meta,
      query: 'where id < ? order by id desc limit 51',
    });
    report(`pagination.${database.dialect}.sql.page_at_90pct_to_first`, page90 / first, meta);
    return cursor;
  } finally {
    await runtime.close();
  }
}

const ROUNDS = 2;

export interface Figures {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
}

export function average(runs: readonly Figures[]): Figures {
  const mean = (pick: (f: Figures) => number) => runs.reduce((sum, f) => sum + pick(f), 0) / runs.length;
  return { rps: mean((f) => f.rps), p50: mean((f) => f.p50), p99: mean((f) => f.p99) };
}

/** Requests per second and median latency of one URL, from autocannon over loopback, as `token`'s holder (the admin by default). */
export async function drive(url: string, seconds: number, connections: number, token = ADMIN_TOKEN): Promise<Figures> {
  const request = { url, headers: { authorization: `Bearer ${token}` } };
  const check = await fetch(url, { headers: request.headers });
  const body = (await check.json()) as { items?: unknown[] };
  if (!check.ok || body.items?.length === 0) throw new Error(`${url} answered ${check.status} with ${body.items?.length ?? 0} items`);
  await autocannon({ ...request, connections, duration: 1 });
  const result = await autocannon({ ...request, connections, duration: seconds });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx answers and ${result.errors} errors for ${url}`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

async function httpFigures(database: BenchDatabase, rows: number, cursor: string, options: BenchPaginationOptions): Promise<number> {
  const env = { ...database.env, CLEARINGHOUSE_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'info', CLEARINGHOUSE_RATE_LIMIT: '10000000' };
  const server = await startServer(env);
  const base = server.url;
  try {
    const meta = {
      dialect: database.dialect,
      rows,
      limit: PAGE,
      connections: options.connections,
      seconds: options.seconds,
      rounds: ROUNDS,
    };
    // Interleaved rounds, averaged: on a shared machine the load drifts within a run.
    const urls = [
      `${base}/api/v1/orgs?limit=${PAGE}`,
      `${base}/api/v1/clusters?limit=${PAGE}`,
      `${base}/api/v1/clusters?limit=${PAGE}&cursor=${cursor}`,
    ];
    const runs: Figures[][] = urls.map(() => []);
    for (let round = 0; round < ROUNDS; round++)
      for (const [i, url] of urls.entries()) runs[i]?.push(await drive(url, options.seconds, options.connections));
    const [orgs, first, page90] = runs.map(average) as [Figures, Figures, Figures];
    report(`pagination.${database.dialect}.http.orgs_baseline.requests_per_s`, orgs.rps, { ...meta, route: 'GET /api/v1/orgs (2 rows)' });
    report(`pagination.${database.dialect}.http.clusters_first_page.requests_per_s`, first.rps, meta);
    report(`pagination.${database.dialect}.http.clusters_first_page.p50_ms`, first.p50, meta);
    report(`pagination.${database.dialect}.http.clusters_first_page.p99_ms`, first.p99, meta);
    report(`pagination.${database.dialect}.http.clusters_page_at_90pct.requests_per_s`, page90.rps, meta);
    report(`pagination.${database.dialect}.http.clusters_page_at_90pct.p50_ms`, page90.p50, meta);
    report(`pagination.${database.dialect}.http.clusters_page_at_90pct.p99_ms`, page90.p99, meta);
    report(`pagination.${database.dialect}.http.page_at_90pct_to_first_rps`, first.rps / page90.rps, meta);
    return first.rps;
  } finally {
    server.stop();
  }
}

export interface BenchPaginationOptions {
  readonly rows: number;
  readonly seconds: number;
  readonly connections: number;
}

/**
 * `npm run bench -- pagination`: a page at 90 % of `rows` clusters against the first page, as SQL (with a plain
 * keyset query as the baseline) and over HTTP as the coordinator admin (with GET /api/v1/orgs as the
 * baseline), on SQLite and PostgreSQL at the same data.
 */
export async function benchPagination(options: BenchPaginationOptions): Promise<void> {
  const rps: Record<string, number> = {};
  for (const open of [async () => benchSqlite('pagination'), () => benchPostgres('pagination')]) {
    const database = await open();
    if (database === null) continue;
    try {
      await seedClusters(database, options.rows);
      const cursor = await sqlFigures(database, options.rows);
      rps[database.dialect] = await httpFigures(database, options.rows, cursor, options);
    } finally {
      await database.drop();
    }
  }
  if (rps.sqlite !== undefined && rps.postgres !== undefined)
    report('pagination.http.clusters_first_page.sqlite_to_postgres_rps', rps.sqlite / rps.postgres, { rows: options.rows, goal: '≤ 2' });
}
