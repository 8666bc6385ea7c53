import path from 'node:path';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Database } from '../db/index.js';
import { DbBlobStore } from './db-blob-store.js';
import { FsBlobStore } from './fs-blob-store.js';
import type { BlobStore } from './blob-store.js';

export { SHA256_HEX, type BlobEntry, type BlobRef, type BlobStore } from './blob-store.js';
export { DbBlobStore } from './db-blob-store.js';
export { FsBlobStore } from './fs-blob-store.js';

/** The configured blob store: files under `<data dir>/blobs`, or the database with CLEARINGHOUSE_BLOBS=db. */
export function openBlobStore(config: Pick<Config, 'blobs' | 'dataDir'>, db: Database, clock?: Clock): BlobStore {
  return config.blobs === 'db' ? new DbBlobStore(db, clock) : new FsBlobStore(path.join(config.dataDir, 'blobs'), clock);
}
export { BLOB_SWEEP_AUDIT, BLOB_SWEEP_JOB, sweepBlobs, type SweepOptions, type SweepReport } from './sweep.js';
export { referencedBlobs, removeUnreferencedBlobs, type BlobCandidate, type UnreferencedRemoval } from './unreferenced.js';
