import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '#test-support/seeded-random.js';
import { signRemediationLink, verifyRemediationLink } from './remediation-link.js';

const key = randomBytes(32);
const now = new Date('2026-06-02T12:00:00Z');
const claims = {
  notificationId: 'ntf_01J0000000000000000000000',
  orgId: 'org_01J0000000000000000000000',
  expiresAt: now.getTime() / 1000 + 3600,
};

describe('signed remediation links', () => {
  it('verifies its own links until they expire', () => {
    const token = signRemediationLink(key, claims);
    expect(token).toMatch(/^rml1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyRemediationLink(key, token, now)).toEqual({ valid: true, claims });
    expect(verifyRemediationLink(key, token, new Date(claims.expiresAt * 1000))).toEqual({ valid: false, reason: 'expired' });
  });

  it('refuses a link signed with another key or with changed claims', () => {
    const token = signRemediationLink(key, claims);
    expect(verifyRemediationLink(randomBytes(32), token, now)).toEqual({ valid: false, reason: 'bad-signature' });
    const [prefix, , sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ n: claims.notificationId, o: 'org_other', x: claims.expiresAt })).toString('base64url');
    expect(verifyRemediationLink(key, `${prefix}.${forged}.${sig}`, now)).toEqual({ valid: false, reason: 'bad-signature' });
  });

  it('refuses every mangled token without throwing (seeded fuzz)', () => {
    const random = seededRandom(16);
    const token = signRemediationLink(key, claims);
    for (let i = 0; i < 2000; i++) {
      const chars = [...token];
      const at = Math.floor(random() * chars.length);
      chars[at] = '.-_A0z+/='[Math.floor(random() * 9)] as string;
      const mangled = random() < 0.2 ? chars.slice(0, at).join('') : chars.join('');
      if (mangled === token) continue;
      expect(verifyRemediationLink(key, mangled, now).valid).toBe(false);
    }
    for (const bad of ['', 'rml1', 'rml1..', 'rml2.a.b', 'x'.repeat(2000)])
      expect(verifyRemediationLink(key, bad, now)).toEqual({ valid: false, reason: 'malformed' });
  });
});
