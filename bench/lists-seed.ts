import { sql } from 'kysely';
import { openRuntime } from '../src/app/runtime.js';
import { loadConfig } from '../src/platform/config.js';
import { silentLogger } from '../src/platform/log.js';
import type { BenchDatabase } from './databases.js';
import { clusterAt90, copyRows, seedClusters, type AnyDb } from './pagination.js';

/** The e-mail of the researcher {@link seedClusters} creates (an analyst of a researcher organisation). */
export const RESEARCHER_EMAIL = 'lists@bench.example';

/**
 * The data of the hot list routes at `rows` rows each: {@link seedClusters}'s clusters and findings, then, copied
 * in SQL from the rows its one real submission made, `rows` triage rows (the validation queue), `rows` audit
 * events (the audit log; their hashes are not a chain — no list checks it) and `rows` reports of which 1 in 500
 * are the researcher's and the rest another organisation's (a selective filter for the researcher's lists).
 * Returns the researcher's token and the cursor of a cluster page at 90 % of the clusters.
 */
export async function seedLists(database: BenchDatabase, rows: number): Promise<{ researcherToken: string; clusterCursorAt90: string }> {
  const seeded = await seedClusters(database, rows);
  const runtime = await openRuntime(loadConfig({ ...database.env, LOG_LEVEL: 'silent' }), silentLogger);
  try {
    const db = runtime.db.kysely as unknown as AnyDb;
    const triage = await db.selectFrom('validation_triage').selectAll().limit(1).executeTakeFirstOrThrow();
    await copyRows(
      db,
      rows - 1,
      'validation_triage',
      Object.keys(triage),
      { cluster_id: `t.cluster_id || 'z' || (100000 + n.i)`, queue_key: `t.queue_key || 'z' || (100000 + n.i)` },
      `t.cluster_id = '${String(triage.cluster_id)}'`,
    );
    const event = await db.selectFrom('audit_event').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    await copyRows(
      db,
      rows - 1,
      'audit_event',
      Object.keys(event),
      { seq: `t.seq + n.i`, hash: `t.hash || n.i` },
      `t.seq = ${String(event.seq)}`,
    );
    const report = await db.selectFrom('validation_report').selectAll().limit(1).executeTakeFirstOrThrow();
    await copyRows(
      db,
      rows - 1,
      'validation_report',
      Object.keys(report),
      {
        finding_id: `t.finding_id || 'z' || (100000 + n.i)`,
        cluster_id: `t.cluster_id || 'z' || (100000 + n.i)`,
        reporter_org_id: `case when n.i % 500 = 0 then t.reporter_org_id else 'org_other' end`,
      },
      `t.finding_id = '${String(report.finding_id)}'`,
    );
    await sql.raw('analyze').execute(db);
    return { ...seeded, clusterCursorAt90: (await clusterAt90(db, rows)).cursor };
  } finally {
    await runtime.close();
  }
}
