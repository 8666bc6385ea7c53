import path from 'node:path';
import type { Config } from '../config.js';
import type { Database } from '../db/index.js';
import { DbBlobStore } from './db-blob-store.js';
import { FsBlobStore } from './fs-blob-store.js';
import type { BlobStore } from './blob-store.js';

export { SHA256_HEX, type BlobRef, type BlobStore } from './blob-store.js';
export { DbBlobStore } from './db-blob-store.js';
export { FsBlobStore } from './fs-blob-store.js';

/** The configured blob store: files under `<data dir>/blobs`, or the database with CLEARINGHOUSE_BLOBS=db. */
export function openBlobStore(config: Pick<Config, 'blobs' | 'dataDir'>, db: Database): BlobStore {
  return config.blobs === 'db' ? new DbBlobStore(db) : new FsBlobStore(path.join(config.dataDir, 'blobs'));
}
