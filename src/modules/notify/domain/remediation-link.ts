import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The link a webhook carries so that the receiving operator can report remediation by following it,
 * without an API token: a capability for one notification, signed by the server with HMAC-SHA256 and
 * bounded in time. Whoever holds it may report for the assets that notification lists, and nothing else.
 */
export interface RemediationLinkClaims {
  /** The notification it answers: names the organisation, the advisory and the assets. */
  readonly notificationId: string;
  readonly orgId: string;
  /** Expiry, whole seconds since the epoch. */
  readonly expiresAt: number;
}

const PREFIX = 'rml1';

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function mac(key: Buffer, body: string): Buffer {
  return createHmac('sha256', key).update(`${PREFIX}.${body}`).digest();
}

export function signRemediationLink(key: Buffer, claims: RemediationLinkClaims): string {
  const body = b64url(JSON.stringify({ n: claims.notificationId, o: claims.orgId, x: claims.expiresAt }));
  return `${PREFIX}.${body}.${b64url(mac(key, body))}`;
}

export type LinkVerification =
  | { readonly valid: true; readonly claims: RemediationLinkClaims }
  | { readonly valid: false; readonly reason: 'malformed' | 'bad-signature' | 'expired' };

export function verifyRemediationLink(key: Buffer, token: string, now: Date): LinkVerification {
  if (token.length > 1000) return { valid: false, reason: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX || !/^[A-Za-z0-9_-]+$/.test(parts[1] ?? '') || !/^[A-Za-z0-9_-]+$/.test(parts[2] ?? '')) {
    return { valid: false, reason: 'malformed' };
  }
  const body = parts[1] as string;
  // Compared as text, so that no second spelling of the same bytes (base64's spare low bits) passes.
  const given = Buffer.from(parts[2] as string);
  const expected = Buffer.from(b64url(mac(key, body)));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { valid: false, reason: 'bad-signature' };
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return { valid: false, reason: 'malformed' };
  }
  const c = decoded as { n?: unknown; o?: unknown; x?: unknown };
  if (typeof c.n !== 'string' || typeof c.o !== 'string' || typeof c.x !== 'number') return { valid: false, reason: 'malformed' };
  if (now.getTime() >= c.x * 1000) return { valid: false, reason: 'expired' };
  return { valid: true, claims: { notificationId: c.n, orgId: c.o, expiresAt: c.x } };
}
