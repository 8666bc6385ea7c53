import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The Standard Webhooks scheme (standardwebhooks.com, spec 1.0.0), symmetric half: the message id, the
 * attempt's Unix timestamp and the exact body bytes, joined by full stops, signed with HMAC-SHA256 under a
 * secret shown to the receiver as `whsec_<base64>`. Receivers verify with any Standard Webhooks library.
 */

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** The spec's bounds for a symmetric secret: 24 to 64 random bytes. */
export const WEBHOOK_SECRET_MIN_BYTES = 24;
export const WEBHOOK_SECRET_MAX_BYTES = 64;

/** How far a timestamp may stray from the receiver's clock, as the reference libraries check (5 minutes). */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

/** A message id or timestamp with a full stop would make the signed content ambiguous (the spec forbids it). */
const SAFE_PART = /^[A-Za-z0-9_-]{1,200}$/;

// A type literal rather than an interface, so that it is also a `Record<string, string>` (header maps).
export type WebhookHeaders = {
  readonly 'webhook-id': string;
  readonly 'webhook-timestamp': string;
  readonly 'webhook-signature': string;
};

/** A new random secret of 32 bytes, serialized as the spec presents it to the receiver. */
export function generateWebhookSecret(bytes = 32): string {
  if (bytes < WEBHOOK_SECRET_MIN_BYTES || bytes > WEBHOOK_SECRET_MAX_BYTES)
    throw new RangeError(`a webhook secret has 24 to 64 bytes, not ${bytes}`);
  return WEBHOOK_SECRET_PREFIX + randomBytes(bytes).toString('base64');
}

/**
 * The key bytes of a secret, with or without its `whsec_` prefix (the reference libraries accept both).
 * Throws on an empty or non-base64 secret.
 */
export function webhookSecretKey(secret: string): Buffer {
  const body = secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret;
  if (body.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 !== 0) {
    throw new RangeError('a webhook secret is base64, optionally prefixed with whsec_');
  }
  return Buffer.from(body, 'base64');
}

function checkPart(name: string, value: string): void {
  if (!SAFE_PART.test(value)) throw new RangeError(`${name} must be 1–200 characters of A-Z a-z 0-9 _ -, not ${JSON.stringify(value)}`);
}

/** `v1,<base64 HMAC-SHA256 of id.timestamp.body>` for one key. */
export function signWebhook(key: Buffer, messageId: string, timestampSeconds: number, body: string | Uint8Array): string {
  checkPart('webhook-id', messageId);
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0)
    throw new RangeError('webhook-timestamp must be whole seconds since the epoch');
  const hmac = createHmac('sha256', key);
  hmac.update(`${messageId}.${timestampSeconds}.`);
  hmac.update(body);
  return `v1,${hmac.digest('base64')}`;
}

/**
 * The three headers for one attempt. Several keys sign during a rotation (the newest first); the header
 * then lists one signature per key, space-separated, as the spec provides.
 */
export function webhookHeaders(keys: readonly Buffer[], messageId: string, at: Date, body: string | Uint8Array): WebhookHeaders {
  if (keys.length === 0) throw new RangeError('at least one key signs a webhook');
  const timestamp = Math.floor(at.getTime() / 1000);
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': keys.map((key) => signWebhook(key, messageId, timestamp, body)).join(' '),
  };
}

export type WebhookVerification =
  | { readonly valid: true }
  | {
      readonly valid: false;
      readonly reason: 'missing-header' | 'malformed-header' | 'timestamp-out-of-tolerance' | 'no-matching-signature';
    };

/**
 * Verifies a received webhook as the reference libraries do: the three headers present, the timestamp
 * within {@link WEBHOOK_TOLERANCE_SECONDS} of `now`, and one `v1` signature of the list matching, compared
 * in constant time. Header names are looked up case-insensitively.
 */
export function verifyWebhook(
  key: Buffer,
  headers: Readonly<Record<string, string | undefined>>,
  body: string | Uint8Array,
  now: Date,
): WebhookVerification {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const id = lower.get('webhook-id');
  const timestamp = lower.get('webhook-timestamp');
  const signatures = lower.get('webhook-signature');
  if (id === undefined || timestamp === undefined || signatures === undefined) return { valid: false, reason: 'missing-header' };
  if (!/^\d{1,15}$/.test(timestamp) || !SAFE_PART.test(id)) return { valid: false, reason: 'malformed-header' };
  const seconds = Number(timestamp);
  if (Math.abs(Math.floor(now.getTime() / 1000) - seconds) > WEBHOOK_TOLERANCE_SECONDS) {
    return { valid: false, reason: 'timestamp-out-of-tolerance' };
  }
  const expected = Buffer.from(signWebhook(key, id, seconds, body).slice(3), 'base64');
  for (const candidate of signatures.split(' ')) {
    const [version, value] = candidate.split(',', 2);
    if (version !== 'v1' || value === undefined) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { valid: true };
  }
  return { valid: false, reason: 'no-matching-signature' };
}
