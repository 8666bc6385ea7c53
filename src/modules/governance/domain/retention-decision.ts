import { DAY } from '../../../platform/clock.js';
import { ANCHOR_EVENTS, type AnchorEvent, type DataClass } from './data-classes.js';
import { holdsCovering, type HoldKeys, type LegalHold } from './legal-holds.js';
import type { RetentionClause, RetentionRule } from './retention-table.js';

/** A stored record as retention sees it: its class, what happened to it and when, what holds reach it. */
export interface RetentionSubject {
  readonly recordId: string;
  readonly dataClass: DataClass;
  /** When each event happened to this record (ISO instants); an absent event has not happened (yet). */
  readonly anchors: Partial<Readonly<Record<AnchorEvent, string>>>;
  /**
   * Limits beyond the table, from an agreement that governs the record (a voluntary testing agreement's
   * "review material kept N days"). They can only bring expiry forward: the earliest clause wins.
   */
  readonly limits?: readonly { readonly clause: RetentionClause; readonly source: string }[];
  readonly holdKeys: HoldKeys;
  /** Records belonging to it that are still stored; it goes only after them. */
  readonly dependents?: number;
}

export interface Expiry {
  /** The instant the record expires; null while no clause's event has happened. */
  readonly expiresAt: string | null;
  /** The clause that gives `expiresAt`, in words. */
  readonly because: string | null;
  /** Events that would set or bring forward the expiry, had they happened. */
  readonly waitingFor: readonly AnchorEvent[];
}

export type RetentionDecision =
  | { readonly outcome: 'kept'; readonly reason: string }
  | { readonly outcome: 'retained'; readonly expiresAt: string | null; readonly reason: string }
  | { readonly outcome: 'held'; readonly expiresAt: string; readonly holdIds: readonly string[]; readonly reason: string }
  | { readonly outcome: 'purge'; readonly expiresAt: string; readonly reason: string };

/**
 * When a record expires under a rule: the earliest of `anchor + days` over the clauses whose event has
 * happened, and of the subject's own limits. Days are 24 hours each, counted from the exact instant.
 */
export function expiryOf(rule: RetentionRule, subject: RetentionSubject): Expiry {
  if (rule.keep === true) return { expiresAt: null, because: null, waitingFor: [] };
  const clauses = [
    ...rule.expire.map((clause) => ({ clause, source: 'retention table' })),
    ...(subject.limits ?? []).map((l) => ({ clause: l.clause, source: l.source })),
  ];
  let best: { at: number; because: string } | null = null;
  const waitingFor = new Set<AnchorEvent>();
  for (const { clause, source } of clauses) {
    const anchor = subject.anchors[clause.after];
    if (anchor === undefined) {
      waitingFor.add(clause.after);
      continue;
    }
    const at = Date.parse(anchor) + clause.days * DAY;
    if (Number.isNaN(at)) continue;
    if (best === null || at < best.at) {
      best = { at, because: `${clause.days} days after ${clause.after} (${new Date(Date.parse(anchor)).toISOString()}), by the ${source}` };
    }
  }
  return {
    expiresAt: best === null ? null : new Date(best.at).toISOString(),
    because: best?.because ?? null,
    waitingFor: [...waitingFor],
  };
}

/**
 * What the purge does with one record at `now`: keep it (the class is kept), retain it (not yet expired),
 * leave it held (expired, but a legal hold covers it), or purge it. A record expires exactly at its expiry
 * instant, not a millisecond later.
 */
export function retentionDecision(
  rule: RetentionRule,
  subject: RetentionSubject,
  holds: readonly LegalHold[],
  now: Date,
): RetentionDecision {
  if (rule.keep === true) return { outcome: 'kept', reason: `${subject.dataClass} is kept: ${rule.reason}` };
  const expiry = expiryOf(rule, subject);
  if (expiry.expiresAt === null) {
    const events = expiry.waitingFor.map((e) => ANCHOR_EVENTS[e]).join('; or ');
    return { outcome: 'retained', expiresAt: null, reason: `no expiry yet: waiting until ${events}` };
  }
  if (Date.parse(expiry.expiresAt) > now.getTime()) {
    return { outcome: 'retained', expiresAt: expiry.expiresAt, reason: `expires ${expiry.expiresAt}: ${expiry.because}` };
  }
  const covering = holdsCovering(subject.holdKeys, holds, now);
  if (covering.length > 0) {
    return {
      outcome: 'held',
      expiresAt: expiry.expiresAt,
      holdIds: covering.map((h) => h.id),
      reason: `expired ${expiry.expiresAt} (${expiry.because}) but held by ${covering.map((h) => `${h.id} (${h.reason})`).join(', ')}`,
    };
  }
  const dependents = subject.dependents ?? 0;
  if (dependents > 0) {
    return {
      outcome: 'retained',
      expiresAt: expiry.expiresAt,
      reason: `expired ${expiry.expiresAt} (${expiry.because}); waits for the ${dependents} records that belong to it`,
    };
  }
  return { outcome: 'purge', expiresAt: expiry.expiresAt, reason: `expired ${expiry.expiresAt}: ${expiry.because}` };
}

/** What a purge leaves behind: enough to prove a record existed and why it went, nothing of its content. */
export interface Tombstone {
  readonly recordId: string;
  readonly dataClass: DataClass;
  readonly module: string;
  readonly createdAt: string | null;
  readonly expiredAt: string | null;
  readonly purgedAt: string;
  /** `retention` (expired under the table) or `removal` (its organisation left and asked for removal). */
  readonly cause: 'retention' | 'removal';
  readonly reason: string;
  readonly policyVersion: number | null;
}

/**
 * Whether a record is part of the published record: a published case or advisory. An organisation that
 * leaves takes its data with it, except these, what the table keeps, and what a hold covers.
 */
export function isPublishedRecord(subject: RetentionSubject): boolean {
  if (subject.dataClass === 'advisory') return subject.anchors.published !== undefined;
  if (subject.dataClass === 'case') return subject.anchors.case_published !== undefined;
  return false;
}

export type RemovalDecision =
  { readonly outcome: 'remove' } | { readonly outcome: 'keep'; readonly reason: string; readonly holdIds?: readonly string[] };

/** What an organisation's removal request does with one of its records. */
export function removalDecision(rule: RetentionRule, subject: RetentionSubject, holds: readonly LegalHold[], now: Date): RemovalDecision {
  const covering = holdsCovering(subject.holdKeys, holds, now);
  if (covering.length > 0) return { outcome: 'keep', reason: 'under legal hold', holdIds: covering.map((h) => h.id) };
  if (rule.keep === true) return { outcome: 'keep', reason: `${subject.dataClass} is kept: ${rule.reason}` };
  if (isPublishedRecord(subject)) return { outcome: 'keep', reason: 'part of the published record' };
  return { outcome: 'remove' };
}
