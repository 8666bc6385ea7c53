import { sha256Hex } from '../hash.js';
import type { Database } from '../db/index.js';
import { SHA256_HEX, type BlobRef, type BlobStore } from './blob-store.js';

/** Blobs in the `platform_blob` table, for clustered servers that share no file system. */
export class DbBlobStore implements BlobStore {
  constructor(private readonly db: Database) {}

  async put(bytes: Uint8Array): Promise<BlobRef> {
    const sha256 = sha256Hex(bytes);
    await this.db.kysely
      .insertInto('platform_blob')
      .values({ sha256, size: bytes.byteLength, content: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) })
      .onConflict((oc) => oc.column('sha256').doNothing())
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
}
