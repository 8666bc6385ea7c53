import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../platform/db/index.js';
import { keyIdOf, verifySignature, type SigningKey } from '../../platform/signing-key.js';
import { CHECKPOINT_FORMAT, checkpointMessage, type AuditCheckpoint } from './domain/checkpoint.js';
import * as store from './store.js';

function fromRow(row: store.AuditCheckpointRow): AuditCheckpoint {
  return {
    format: CHECKPOINT_FORMAT,
    seq: row.seq,
    hash: row.hash,
    at: row.at,
    keyId: row.key_id,
    publicKey: row.public_key,
    signature: row.signature,
  };
}

/** The newest stored checkpoint, or null when none was signed yet. */
export async function latestCheckpoint(db: Database): Promise<AuditCheckpoint | null> {
  const row = await store.latestCheckpoint(db.kysely);
  return row === undefined ? null : fromRow(row);
}

/**
 * Signs the chain head as it is committed now, unless the newest checkpoint names it already, and stores
 * the checkpoint. Returns the newest checkpoint (null while the chain is empty). Run on a schedule by the
 * `audit.checkpoint` job and on demand by `clearinghouse audit checkpoint`.
 */
export async function signCheckpoint(db: Database, clock: Clock, key: SigningKey): Promise<AuditCheckpoint | null> {
  const head = await store.readHead(db.kysely);
  const latest = await latestCheckpoint(db);
  if (head.lastSeq === 0 || (latest !== null && latest.seq >= head.lastSeq)) return latest;
  const statement = { seq: head.lastSeq, hash: head.lastHash, at: clock.now().toISOString(), keyId: key.keyId };
  const checkpoint: AuditCheckpoint = {
    format: CHECKPOINT_FORMAT,
    ...statement,
    publicKey: key.publicKey,
    signature: key.sign(checkpointMessage(statement)),
  };
  await store.insertCheckpoint(db.kysely, {
    seq: checkpoint.seq,
    hash: checkpoint.hash,
    at: checkpoint.at,
    key_id: checkpoint.keyId,
    public_key: checkpoint.publicKey,
    signature: checkpoint.signature,
  });
  return (await latestCheckpoint(db)) ?? checkpoint;
}

/** True when the checkpoint was signed by the key it names. */
export function checkpointSignatureHolds(checkpoint: AuditCheckpoint): boolean {
  return (
    keyIdOf(checkpoint.publicKey) === checkpoint.keyId &&
    verifySignature(checkpoint.publicKey, checkpointMessage(checkpoint), checkpoint.signature)
  );
}

/** Every stored checkpoint, in order, a batch at a time. */
export async function* storedCheckpoints(db: Database, batch = 2000): AsyncGenerator<AuditCheckpoint> {
  let after = 0;
  for (;;) {
    const rows = await store.checkpointsAfter(db.kysely, after, batch);
    if (rows.length === 0) return;
    for (const row of rows) yield fromRow(row);
    after = rows[rows.length - 1]!.seq;
  }
}
