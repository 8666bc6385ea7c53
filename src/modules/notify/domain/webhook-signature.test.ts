import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, signWebhook, verifyWebhook, webhookHeaders, webhookSecretKey } from './webhook-signature.js';

// The reference libraries' own test values (README beside the file names repository, commit and paths).
const vectors = JSON.parse(readFileSync(new URL('./test-data/standard-webhooks/vectors.json', import.meta.url), 'utf8')) as {
  signing: { name: string; secret: string; msgId: string; timestamp: number; payload: string; signature: string }[];
  secrets: { valid: string[]; invalid: string[] };
  toleranceSeconds: number;
  verification: {
    secret: string;
    msgId: string;
    payload: string;
    invalidSignatures: string[];
    otherSignaturesInAList: string[];
    invalidTimestamps: string[];
    outOfToleranceOffsetsSeconds: number[];
  };
};

describe('Standard Webhooks signatures', () => {
  it.each(vectors.signing)('signs the published vector: $name', (v) => {
    expect(signWebhook(webhookSecretKey(v.secret), v.msgId, v.timestamp, v.payload)).toBe(v.signature);
    expect(signWebhook(webhookSecretKey(v.secret), v.msgId, v.timestamp, Buffer.from(v.payload))).toBe(v.signature);
  });

  it('reads a secret with and without its whsec_ prefix as the same key, and refuses empty ones', () => {
    const keys = vectors.secrets.valid.map((s) => webhookSecretKey(s).toString('hex'));
    expect(new Set(keys).size).toBe(1);
    for (const bad of [...vectors.secrets.invalid, 'whsec_not base64!', 'whsec_abc']) expect(() => webhookSecretKey(bad)).toThrow(/base64/);
  });

  it('generates secrets of 24–64 random bytes that round-trip through the whsec_ form', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(webhookSecretKey(secret)).toHaveLength(32);
    expect(generateWebhookSecret(24)).not.toBe(generateWebhookSecret(24));
    expect(() => generateWebhookSecret(16)).toThrow(/24 to 64/);
  });

  it('refuses message ids and timestamps that would make the signed content ambiguous', () => {
    const key = webhookSecretKey(vectors.verification.secret);
    expect(() => signWebhook(key, 'msg.1', 1, '{}')).toThrow(/webhook-id/);
    expect(() => signWebhook(key, 'msg_1', 1.5, '{}')).toThrow(/webhook-timestamp/);
  });

  describe('verification, as the reference libraries test it', () => {
    const v = vectors.verification;
    const key = webhookSecretKey(v.secret);
    const now = new Date('2026-06-02T12:00:00Z');
    const valid = () => webhookHeaders([key], v.msgId, now, v.payload);

    it('accepts a valid signature, alone or among others in the list', () => {
      expect(verifyWebhook(key, valid(), v.payload, now)).toEqual({ valid: true });
      const list = [...v.otherSignaturesInAList, valid()['webhook-signature'], v.otherSignaturesInAList[0]].join(' ');
      expect(verifyWebhook(key, { ...valid(), 'webhook-signature': list }, v.payload, now)).toEqual({ valid: true });
      const upper = Object.fromEntries(Object.entries(valid()).map(([k, val]) => [k.toUpperCase(), val]));
      expect(verifyWebhook(key, upper, v.payload, now)).toEqual({ valid: true });
    });

    it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const)('rejects a message without %s', (header) => {
      const headers: Record<string, string> = { ...valid() };
      delete headers[header];
      expect(verifyWebhook(key, headers, v.payload, now)).toEqual({ valid: false, reason: 'missing-header' });
    });

    it.each(v.invalidTimestamps)('rejects the timestamp %j', (timestamp) => {
      expect(verifyWebhook(key, { ...valid(), 'webhook-timestamp': timestamp }, v.payload, now).valid).toBe(false);
    });

    it.each(v.invalidSignatures)('rejects the signature %j', (signature) => {
      expect(verifyWebhook(key, { ...valid(), 'webhook-signature': signature }, v.payload, now)).toEqual({
        valid: false,
        reason: 'no-matching-signature',
      });
    });

    it('rejects a truncated signature and a changed body', () => {
      const sig = valid()['webhook-signature'];
      expect(verifyWebhook(key, { ...valid(), 'webhook-signature': sig.slice(0, 8) }, v.payload, now).valid).toBe(false);
      expect(verifyWebhook(key, valid(), `${v.payload} `, now).valid).toBe(false);
    });

    it.each(v.outOfToleranceOffsetsSeconds)('rejects a timestamp %i s away from now', (offset) => {
      const at = new Date(now.getTime() + offset * 1000);
      expect(verifyWebhook(key, webhookHeaders([key], v.msgId, at, v.payload), v.payload, now)).toEqual({
        valid: false,
        reason: 'timestamp-out-of-tolerance',
      });
      const inside = new Date(now.getTime() + Math.sign(offset) * (vectors.toleranceSeconds - 1) * 1000);
      expect(verifyWebhook(key, webhookHeaders([key], v.msgId, inside, v.payload), v.payload, now).valid).toBe(true);
    });

    it('signs with every key of a rotation, each verifiable on its own', () => {
      const other = webhookSecretKey(generateWebhookSecret());
      const headers = webhookHeaders([other, key], v.msgId, now, v.payload);
      expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
      expect(verifyWebhook(key, headers, v.payload, now).valid).toBe(true);
      expect(verifyWebhook(other, headers, v.payload, now).valid).toBe(true);
      expect(verifyWebhook(webhookSecretKey(generateWebhookSecret()), headers, v.payload, now).valid).toBe(false);
    });
  });
});
