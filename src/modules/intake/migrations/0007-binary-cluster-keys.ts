import { insertMany, type Migration } from '../../../platform/db/index.js';

/**
 * A key's bytes as cluster-key-bytes.ts stored them when this was written, frozen here (a migration does the
 * same thing forever): 2 and the 32 bytes of a version-2 fingerprint, 1 and an alias's UTF-8, 0 and any other
 * key's. `intake-migrations.test.ts` holds it equal to the store's.
 */
export function keyBytesAtVersion7(key: string): Buffer {
  const fingerprint = /^fp:fp2:([0-9a-f]{64})$/.exec(key);
  if (fingerprint !== null) return Buffer.concat([Buffer.of(2), Buffer.from(fingerprint[1]!, 'hex')]);
  if (key.startsWith('alias:')) return Buffer.concat([Buffer.of(1), Buffer.from(key.slice('alias:'.length), 'utf8')]);
  return Buffer.concat([Buffer.of(0), Buffer.from(key, 'utf8')]);
}

/** Rows copied per statement. */
const BATCH = 5000;

/**
 * Identity keys stored as bytes, without their `kind` (the key's first byte says it): the key index is written
 * at random places, so its entries' size decides how many pages each submission's commit rewrites — `fp:fp2:`
 * and 64 hex digits are 71 bytes as text and 33 as bytes. Same-run pair at 100,000 findings (SQLite): 1,690 →
 * 1,506 pages of the log per 1,000-finding submission (issue 14).
 *
 * The table is rebuilt, its rows copied in key order, a batch at a time, in the migration's transaction: a
 * key keeps its cluster, finding and time.
 */
export const binaryClusterKeys: Migration = {
  name: '0007_binary_cluster_keys',
  async up(db, caps) {
    await db.schema
      .createTable('intake_cluster_key_bytes')
      .addColumn('key', caps.types.binary, (c) => c.primaryKey())
      .addColumn('cluster_id', 'text', (c) => c.notNull())
      .addColumn('finding_id', 'text', (c) => c.notNull())
      .addColumn('created_at', caps.types.timestamp, (c) => c.notNull())
      .execute();
    let after: string | null = null;
    for (;;) {
      const from: string | null = after;
      const rows: { key: unknown; cluster_id: unknown; finding_id: unknown; created_at: unknown }[] = await db
        .selectFrom('intake_cluster_key')
        .select(['key', 'cluster_id', 'finding_id', 'created_at'])
        .$if(from !== null, (q) => q.where('key', '>', from))
        .orderBy('key')
        .limit(BATCH)
        .execute();
      if (rows.length === 0) break;
      await insertMany(
        db,
        caps,
        'intake_cluster_key_bytes',
        ['key', 'cluster_id', 'finding_id', 'created_at'],
        rows.map((r) => [keyBytesAtVersion7(String(r.key)), r.cluster_id, r.finding_id, r.created_at]),
      );
      after = String(rows[rows.length - 1]!.key);
    }
    await db.schema.dropTable('intake_cluster_key').execute();
    await db.schema.alterTable('intake_cluster_key_bytes').renameTo('intake_cluster_key').execute();
    await db.schema.createIndex('intake_cluster_key_cluster').on('intake_cluster_key').column('cluster_id').execute();
  },
};
