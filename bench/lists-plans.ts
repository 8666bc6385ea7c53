// `npx tsx bench/lists-plans.ts [rows]`: the query plans of the hot list routes at `rows` clusters (default
// 100,000) on SQLite (EXPLAIN QUERY PLAN) and PostgreSQL (EXPLAIN ANALYZE), first page and a page at 90 %.
// Not a figure: a check that every list seeks to its cursor through an index. Prints to stdout.
import Database from 'better-sqlite3';
import pg from 'pg';
import { sql } from 'kysely';
import { cliActor, openRuntime } from '../src/app/runtime.js';
import { WIRED } from '../src/app/modules.js';
import { adminActorOf } from '../src/modules/identity/index.js';
import { listClusters, sharedClusters } from '../src/modules/intake/index.js';
import { listAuditEvents } from '../src/modules/audit/index.js';
import { listMyReports, listTriageQueue } from '../src/modules/validation/index.js';
import { listEvents } from '../src/modules/audit/store.js';
import { loadConfig } from '../src/platform/config.js';
import { asActor } from '../src/platform/context.js';
import { encodeCursor } from '../src/platform/db/pagination.js';
import { silentLogger } from '../src/platform/log.js';
import { benchPostgres, benchSqlite, type BenchDatabase } from './databases.js';
import { seedLists, RESEARCHER_EMAIL } from './lists-seed.js';
import type { AnyDb } from './pagination.js';

const captured: { text: string; values: unknown[] }[] = [];
let capturing = false;

// Record what the app sends, without changing it.
const pgQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
  if (capturing && typeof args[0] === 'string') captured.push({ text: args[0], values: (args[1] as unknown[]) ?? [] });
  return pgQuery.apply(this, args);
} as typeof pg.Client.prototype.query;
const prepare = Database.prototype.prepare;
Database.prototype.prepare = function (this: Database.Database, source: string) {
  if (capturing) captured.push({ text: source, values: [] });
  return prepare.call(this, source);
} as typeof Database.prototype.prepare;

async function plans(database: BenchDatabase, rows: number): Promise<void> {
  await seedLists(database, rows);
  const runtime = await openRuntime(loadConfig({ ...database.env, LOG_LEVEL: 'silent' }), silentLogger);
  const system = runtime.contextFor(cliActor);
  const system0 = () => system;
  try {
    const db = runtime.db.kysely as unknown as AnyDb;
    const researcherRow = await db.selectFrom('identity_user').selectAll().where('email', '=', RESEARCHER_EMAIL).executeTakeFirstOrThrow();
    const researcher = asActor(system0(), {
      kind: 'user',
      userId: String(researcherRow.id),
      orgId: String(researcherRow.org_id),
      orgKind: 'researcher',
      role: 'analyst',
      tokenId: null,
    });

    const admin = asActor(system, await adminActorOf(system));
    const nth = async (table: string, column: string, direction: 'asc' | 'desc', where = '1 = 1') =>
      String(
        (
          (
            await sql
              .raw(
                `select ${column} as v from ${table} where ${where} order by ${column} ${direction} limit 1 offset ${Math.floor(rows * 0.9)}`,
              )
              .execute(db)
          ).rows[0] as { v: unknown }
        ).v,
      );
    const clusterAt90 = await nth('intake_cluster', 'id', 'desc');
    const queueAt90 = await nth('validation_triage', 'queue_key', 'asc', `state = 'received' and active = 1`);
    const queueRow = await db
      .selectFrom('validation_triage')
      .select('cluster_id')
      .where('queue_key', '=', queueAt90)
      .executeTakeFirstOrThrow();
    const seqAt90 = Number(await nth('audit_event', 'seq', 'desc'));
    // The shared-records export (governance) walks the clusters in ascending id order, afterId as its cursor.
    const clusterAt90Ascending = await nth('intake_cluster', 'id', 'asc');
    const lists: [string, (cursor: string | undefined) => Promise<unknown>, string][] = [
      ['GET /api/v1/clusters', (cursor) => listClusters(admin, { limit: 50, cursor }), encodeCursor({ k: clusterAt90, id: clusterAt90 })],
      [
        'GET /api/v1/validation/queue',
        (cursor) => listTriageQueue(admin, { limit: 50, cursor }),
        encodeCursor({ k: queueAt90, id: String(queueRow.cluster_id) }),
      ],
      [
        'GET /api/v1/audit',
        (cursor) => listAuditEvents(admin, { limit: 50, cursor }, WIRED.labelledSubjects),
        encodeCursor({ k: seqAt90, id: 'x' }),
      ],
      [
        'GET /api/v1/clusters?state=received',
        (cursor) => listClusters(admin, { limit: 50, cursor, state: 'received' }),
        encodeCursor({ k: clusterAt90, id: clusterAt90 }),
      ],
      [
        'GET /api/v1/clusters as the researcher',
        (cursor) => listClusters(researcher, { limit: 50, cursor }),
        encodeCursor({ k: clusterAt90, id: clusterAt90 }),
      ],
      [
        'GET /api/v1/validation/my-reports (1 in 500 are mine)',
        (cursor) => listMyReports(researcher, { limit: 50, cursor }),
        encodeCursor({ k: clusterAt90, id: clusterAt90 }),
      ],
      [
        'shared clusters (export, TAXII) as the researcher',
        (afterId) => sharedClusters(researcher, { limit: 50, afterId: afterId ?? null }),
        clusterAt90Ascending,
      ],
      [
        'audit store, one organisation (org admin scope)',
        (cursor) =>
          listEvents(
            runtime.db.kysely,
            { scopeOrgId: researcher.actor.kind === 'user' ? researcher.actor.orgId : '' },
            { limit: 50, cursor },
          ),
        encodeCursor({ k: seqAt90, id: 'x' }),
      ],
    ];
    for (const [name, list, cursor] of lists) {
      for (const [where, c] of [
        ['first page', undefined],
        ['page at 90 %', cursor],
      ] as const) {
        captured.length = 0;
        capturing = true;
        await list(c);
        capturing = false;
        const statements = captured.filter((q) => / limit /i.test(q.text));
        for (const q of statements) {
          console.log(`\n=== ${database.dialect} · ${name} · ${where}\n${q.text}`);
          if (database.dialect === 'postgres') {
            const plan = await sql
              .raw(`explain (analyze, buffers off) ${q.text.replace(/\$(\d+)/g, (_, n: string) => literal(q.values[Number(n) - 1]))}`)
              .execute(db);
            console.log((plan.rows as Record<string, string>[]).map((r) => Object.values(r)[0]).join('\n'));
          } else {
            const plan = await sql.raw(`explain query plan ${q.text.replace(/\?/g, 'null')}`).execute(db);
            console.log((plan.rows as { detail: string }[]).map((r) => r.detail).join('\n'));
          }
        }
      }
    }
  } finally {
    await runtime.close();
  }
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return String(value);
  return `'${String(value).replace(/'/g, "''")}'`;
}

const rows = Number(process.argv[2] ?? 100_000);
for (const open of [async () => benchSqlite('plans'), () => benchPostgres('plans')]) {
  const database = await open();
  if (database === null) continue;
  try {
    await plans(database, rows);
  } finally {
    await database.drop();
  }
}
