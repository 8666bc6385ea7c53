/**
 * Legal holds: a hold on a record, a case or an organisation stops the purge of everything it covers until
 * it is released. Holds never expire on their own.
 */

export const HOLD_SCOPES = {
  record: 'one record, and every record that belongs to it (a cluster holds its findings and evidence)',
  case: 'everything about a case',
  org: 'everything an organisation owns or reported',
} as const;
export type HoldScope = keyof typeof HOLD_SCOPES;
export const HOLD_SCOPE_KEYS = Object.keys(HOLD_SCOPES) as HoldScope[];

export interface LegalHold {
  readonly id: string;
  readonly scope: HoldScope;
  readonly targetId: string;
  readonly reason: string;
  readonly placedAt: string;
  readonly releasedAt: string | null;
}

/** What a hold may name to reach a record: the record and those it belongs to, its cases, its orgs. */
export interface HoldKeys {
  readonly records: readonly string[];
  readonly cases: readonly string[];
  readonly orgs: readonly string[];
}

/** The holds in force at `now` that cover a record with these keys (placed at or before now, not released). */
export function holdsCovering(keys: HoldKeys, holds: readonly LegalHold[], now: Date): LegalHold[] {
  const at = now.toISOString();
  return holds.filter((hold) => {
    if (hold.placedAt > at) return false;
    if (hold.releasedAt !== null && hold.releasedAt <= at) return false;
    switch (hold.scope) {
      case 'record':
        return keys.records.includes(hold.targetId);
      case 'case':
        return keys.cases.includes(hold.targetId);
      case 'org':
        return keys.orgs.includes(hold.targetId);
    }
  });
}
