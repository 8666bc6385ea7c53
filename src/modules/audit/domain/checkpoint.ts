import { InputError, type FieldIssue } from '../../../platform/errors.js';
import { canonicalJson } from '../../../platform/hash.js';
import type { ChainBreak } from './chain.js';

export const CHECKPOINT_FORMAT = 'clearinghouse-audit-checkpoint/1';

/**
 * A signed statement of the chain head: "the audit chain had `seq` events, the last one hashing to `hash`,
 * at `at`", signed with a key kept outside the database. Published elsewhere (a ticket, a transparency log,
 * another organisation's inbox), it lets anyone later prove that the events up to `seq` are still the
 * ones that were there — none removed from the end, none rewritten and re-hashed.
 */
export interface AuditCheckpoint {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly seq: number;
  readonly hash: string;
  readonly at: string;
  /** SHA-256 (hex) of the public key. */
  readonly keyId: string;
  /** The Ed25519 public key, SPKI DER in base64. */
  readonly publicKey: string;
  /** Ed25519 signature (base64) of {@link checkpointMessage}. */
  readonly signature: string;
}

/** The exact text that is signed: canonical JSON of everything the checkpoint states. */
export function checkpointMessage(checkpoint: Pick<AuditCheckpoint, 'seq' | 'hash' | 'at' | 'keyId'>): string {
  return canonicalJson({
    format: CHECKPOINT_FORMAT,
    seq: checkpoint.seq,
    hash: checkpoint.hash,
    at: checkpoint.at,
    keyId: checkpoint.keyId,
  });
}

const HEX64 = /^[0-9a-f]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Reads a checkpoint as published (`clearinghouse audit checkpoint` output).
 * @throws InputError naming each field that is missing or malformed.
 */
export function parseCheckpoint(value: unknown): AuditCheckpoint {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError('a checkpoint is a JSON object', [{ pointer: '', detail: 'must be an object' }]);
  }
  const v = value as Record<string, unknown>;
  const issues: FieldIssue[] = [];
  const check = (field: string, ok: boolean, detail: string) => {
    if (!ok) issues.push({ pointer: `/${field}`, detail });
  };
  check('format', v.format === CHECKPOINT_FORMAT, `must be "${CHECKPOINT_FORMAT}"`);
  check('seq', typeof v.seq === 'number' && Number.isSafeInteger(v.seq) && v.seq >= 1, 'must be a whole number of at least 1');
  check('hash', typeof v.hash === 'string' && HEX64.test(v.hash), 'must be a SHA-256 in lower-case hex');
  check('at', typeof v.at === 'string' && !Number.isNaN(Date.parse(v.at)), 'must be an ISO 8601 instant');
  check('keyId', typeof v.keyId === 'string' && HEX64.test(v.keyId), 'must be a SHA-256 in lower-case hex');
  check('publicKey', typeof v.publicKey === 'string' && BASE64.test(v.publicKey), 'must be base64');
  check('signature', typeof v.signature === 'string' && BASE64.test(v.signature), 'must be base64');
  if (issues.length > 0)
    throw new InputError(`not an audit checkpoint: ${issues.map((i) => `${i.pointer} ${i.detail}`).join('; ')}`, issues);
  return {
    format: CHECKPOINT_FORMAT,
    seq: v.seq as number,
    hash: v.hash as string,
    at: v.at as string,
    keyId: v.keyId as string,
    publicKey: v.publicKey as string,
    signature: v.signature as string,
  };
}

/**
 * Compares the chain as stored with what a checkpoint vouches for: `count` events were found in order,
 * and `hashAt` is the stored hash of event `checkpoint.seq` (undefined when there is none). Null when the
 * chain still holds what the checkpoint saw.
 */
export function checkAgainstCheckpoint(
  checkpoint: Pick<AuditCheckpoint, 'seq' | 'hash' | 'at'>,
  count: number,
  hashAt: string | undefined,
): ChainBreak | null {
  if (count < checkpoint.seq) {
    return {
      seq: count + 1,
      reason: `the chain ends at event ${count}, but the checkpoint of ${checkpoint.at} vouches for ${checkpoint.seq} events: the newest events were removed`,
    };
  }
  if (hashAt !== checkpoint.hash) {
    return {
      seq: checkpoint.seq,
      reason: `event ${checkpoint.seq} does not hash as the checkpoint of ${checkpoint.at} says: the chain was rewritten at or before it`,
    };
  }
  return null;
}
