import { InputError } from '../../../platform/errors.js';
import { FieldReader } from '../../../platform/input/field-reader.js';

/** How a grantee reaches the model. The credentials themselves stay with the developer's own system. */
export const GRANT_SCOPES = {
  hosted_api: 'the model through the developer’s hosted API',
  weights_secure_enclave: 'model weights inside a secure enclave the developer controls',
  sandbox: 'an isolated sandbox environment with the model',
} as const;
export type GrantScope = keyof typeof GRANT_SCOPES;
export const GRANT_SCOPE_KEYS = Object.keys(GRANT_SCOPES) as GrantScope[];

/** The protections the order names, which every grantee acknowledges before using a grant. */
export const GRANT_TERMS = {
  confidentiality: 'keep the model, its outputs and the review material confidential',
  cybersecurity: 'protect the access and everything derived from it with appropriate cybersecurity controls',
  insider_risk: 'limit access to vetted individuals and guard against insider risk',
  intellectual_property: 'respect the developer’s intellectual property',
  use_restrictions: 'use the access only to assess cybersecurity risk for this review',
  nondisclosure: 'disclose nothing about the model or the review without the developer’s consent',
} as const;
export type GrantTerm = keyof typeof GRANT_TERMS;
export const GRANT_TERM_KEYS = Object.keys(GRANT_TERMS) as GrantTerm[];

/** Stored status; `expired` and `revoked` are final. */
export const GRANT_STATUSES = ['pending', 'active', 'expired', 'revoked'] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];

/** What an access-log entry records: a grantee's reported use of a grant, or a download of review material. */
export const ACCESS_KINDS = ['use', 'download'] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];

/** Why a grant ended. */
export type GrantEndReason = 'expired' | 'revoked' | 'review_ended' | 'review_withdrawn' | 'review_completed';

/** Why a developer revoked: `for_cause` counts against the grantee's compliance record, the rest do not. */
export const REVOCATION_REASONS = ['developer_decision', 'for_cause', 'no_longer_needed'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/**
 * The status at `now`: a grant past its expiry counts as expired even before the expiry job records it,
 * so access is refused exactly on time.
 */
export function grantStatus(grant: { status: GrantStatus; expiresAt: string }, now: Date): GrantStatus {
  if ((grant.status === 'pending' || grant.status === 'active') && grant.expiresAt <= now.toISOString()) return 'expired';
  return grant.status;
}

/** True when the grantee may use the grant right now: acknowledged, begun, not ended. */
export function grantUsable(grant: { status: GrantStatus; startsAt: string; expiresAt: string }, now: Date): boolean {
  return grantStatus(grant, now) === 'active' && grant.startsAt <= now.toISOString();
}

export interface GrantPlan {
  readonly scope: GrantScope;
  readonly startsAt: Date;
  readonly expiresAt: Date;
  readonly credentialRef: string | null;
}

/**
 * Checks a new grant against its review's window. The grant starts at `startsAt` or, by default, when the
 * window opens (or now, if it is open already). Throws a 422 when `expiresAt` lies after the window's end:
 * access never outlasts the review.
 */
export function planGrant(
  input: { scope?: unknown; startsAt?: unknown; expiresAt?: unknown; credentialRef?: unknown },
  window: { windowStart: string; windowEnd: string },
  now: Date,
): GrantPlan {
  const r = new FieldReader();
  const scope = r.oneOf('/scope', input.scope, GRANT_SCOPE_KEYS);
  const expiresAt = r.instant('/expiresAt', input.expiresAt);
  const defaultStart = new Date(Math.max(Date.parse(window.windowStart), now.getTime()));
  const startsAt = input.startsAt === undefined ? defaultStart : r.instant('/startsAt', input.startsAt);
  const credentialRef = r.optionalText('/credentialRef', input.credentialRef, 2000);
  r.done();
  if (expiresAt.getTime() > Date.parse(window.windowEnd)) {
    throw new InputError(
      `expiresAt ${expiresAt.toISOString()} is after the review window's end ${window.windowEnd}; a grant may not outlast its review`,
      [{ pointer: '/expiresAt', detail: `must be at or before the window's end ${window.windowEnd}` }],
      { code: 'unprocessable' },
    );
  }
  const issues = new FieldReader();
  if (startsAt.getTime() < Date.parse(window.windowStart))
    issues.add('/startsAt', `must be at or after the window's start ${window.windowStart}`);
  if (expiresAt.getTime() <= Math.max(startsAt.getTime(), now.getTime()))
    issues.add('/expiresAt', 'must be after the grant starts and after now');
  issues.done();
  return { scope, startsAt, expiresAt, credentialRef };
}

/** Checks an acknowledgement: it must name every term the grant carries. */
export function checkAcknowledgement(required: readonly GrantTerm[], input: unknown): GrantTerm[] {
  const r = new FieldReader();
  const given = Array.isArray(input) ? input.map((t: unknown, i) => r.oneOf(`/terms/${i}`, t, GRANT_TERM_KEYS)) : [];
  if (!Array.isArray(input)) r.add('/terms', 'must be an array of term keys');
  const missing = required.filter((t) => !given.includes(t));
  if (missing.length > 0) r.add('/terms', `must acknowledge every term of the grant; missing ${missing.join(', ')}`);
  r.done();
  return [...required];
}
