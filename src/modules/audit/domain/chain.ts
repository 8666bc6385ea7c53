import { canonicalJson, sha256Hex } from '../../../platform/hash.js';

/** The hash the first event links to. */
export const GENESIS_HASH = '0'.repeat(64);

/** An audit event as stored; `diff` is the exact JSON text that was hashed. */
export interface AuditEvent {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly actorOrgId: string | null;
  readonly action: string;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly orgId: string | null;
  readonly diff: string;
  readonly prevHash: string;
  readonly hash: string;
}

/**
 * SHA-256 over the canonical JSON of every field but the hash itself. Changing any stored field, or
 * the order of events, changes some hash that a later event or the chain head vouches for.
 */
export function hashAuditEvent(event: Omit<AuditEvent, 'hash'>): string {
  return sha256Hex(
    canonicalJson({
      v: 1,
      seq: event.seq,
      at: event.at,
      actor: event.actor,
      actorOrgId: event.actorOrgId,
      action: event.action,
      subjectType: event.subjectType,
      subjectId: event.subjectId,
      orgId: event.orgId,
      diff: event.diff,
      prevHash: event.prevHash,
    }),
  );
}

export interface ChainBreak {
  readonly seq: number;
  readonly reason: string;
}

/** A walk of the chain: intact, with its head and the signed checkpoints that hold, or the first broken link. */
export type VerifyResult =
  | { readonly ok: true; readonly count: number; readonly lastHash: string; readonly checkpoints: number }
  | { readonly ok: false; readonly count: number; readonly broken: ChainBreak };

/** Checks one event against the one before it; null when the link holds. */
export function checkLink(expectedSeq: number, expectedPrevHash: string, event: AuditEvent): ChainBreak | null {
  if (event.seq !== expectedSeq) return { seq: expectedSeq, reason: `event ${expectedSeq} is missing (next stored is ${event.seq})` };
  if (event.prevHash !== expectedPrevHash)
    return { seq: event.seq, reason: `event ${event.seq} does not link to the hash of event ${event.seq - 1}` };
  if (hashAuditEvent(event) !== event.hash)
    return { seq: event.seq, reason: `event ${event.seq} was altered: its content does not match its hash` };
  return null;
}

/** Audit actions are `<module>.<noun>.<verb>`, lower case. */
export const AUDIT_ACTION = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;
