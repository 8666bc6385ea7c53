import { systemClock, type Clock } from '../clock.js';
import { sha256Hex } from '../hash.js';
import type { Database } from '../db/index.js';
import { SHA256_HEX, type BlobEntry, type BlobRef, type BlobStore } from './blob-store.js';

const PAGE = 1000;

/**
 * Blobs in the `platform_blob` table, for clustered servers that share no file system. A write is one
 * statement, so a crash leaves no partial blob; `stored_at` is when its bytes were last stored, by `clock`.
 */
export class DbBlobStore implements BlobStore {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock = systemClock,
  ) {}

  async put(bytes: Uint8Array): Promise<BlobRef> {
    const sha256 = sha256Hex(bytes);
    const storedAt = this.clock.now().toISOString();
    await this.db.kysely
      .insertInto('platform_blob')
      .values({
        sha256,
        size: bytes.byteLength,
        content: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        stored_at: storedAt,
      })
      .onConflict((oc) => oc.column('sha256').doUpdateSet({ stored_at: storedAt }))
      .execute();
    return { sha256, size: bytes.byteLength };
  }

  async get(sha256: string): Promise<Buffer | null> {
    if (!SHA256_HEX.test(sha256)) throw new RangeError(`not a SHA-256 hex digest: ${sha256}`);
    const row = (await this.db.kysely.selectFrom('platform_blob').select('content').where('sha256', '=', sha256).executeTakeFirst()) as
      { content: Buffer } | undefined;
    if (row === undefined) return null;
    const bytes = Buffer.from(row.content);
    if (sha256Hex(bytes) !== sha256) throw new Error(`blob ${sha256} is corrupt in the database`);
    return bytes;
  }

  async delete(sha256: string): Promise<void> {
    if (!SHA256_HEX.test(sha256)) throw new RangeError(`not a SHA-256 hex digest: ${sha256}`);
    await this.db.kysely.deleteFrom('platform_blob').where('sha256', '=', sha256).execute();
  }

  async has(sha256: string): Promise<boolean> {
    const row = await this.db.kysely.selectFrom('platform_blob').select('sha256').where('sha256', '=', sha256).executeTakeFirst();
    return row !== undefined;
  }

  async *entries(): AsyncIterable<BlobEntry> {
    let after = '';
    for (;;) {
      const rows = (await this.db.kysely
        .selectFrom('platform_blob')
        .select(['sha256', 'size', 'stored_at'])
        .where('sha256', '>', after)
        .orderBy('sha256')
        .limit(PAGE)
        .execute()) as { sha256: string; size: number | string; stored_at: string | Date }[];
      for (const row of rows) yield { kind: 'blob', name: row.sha256, size: Number(row.size), storedAt: new Date(row.stored_at) };
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1]!.sha256;
    }
  }

  async remove(entry: Pick<BlobEntry, 'kind' | 'name'>, storedBefore: Date): Promise<boolean> {
    if (entry.kind !== 'blob') return false;
    if (!SHA256_HEX.test(entry.name)) throw new RangeError(`not a SHA-256 hex digest: ${entry.name}`);
    const result = await this.db.kysely
      .deleteFrom('platform_blob')
      .where('sha256', '=', entry.name)
      .where('stored_at', '<', storedBefore.toISOString())
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }
}
