import { describe, expect, it } from 'vitest';
import { readPurlScope, scopeContains, suggestVendors } from './vendor-suggestion.js';

describe('vendor suggestions from package URLs', () => {
  it('reads scopes into canonical form and refuses versions, qualifiers and non-purls', () => {
    expect(readPurlScope('pkg:npm/@acme')).toEqual({ ok: true, value: { scope: 'pkg:npm/%40acme', type: 'npm' } });
    expect(readPurlScope('pkg:PyPI/Acme_Widgets')).toEqual({ ok: true, value: { scope: 'pkg:pypi/acme-widgets', type: 'pypi' } });
    expect(readPurlScope('pkg:maven/com.acme/widget')).toMatchObject({ ok: true, value: { scope: 'pkg:maven/com.acme/widget' } });
    for (const bad of ['pkg:npm/@acme/widget@1.0', 'pkg:maven/com.acme/widget?type=jar', 'acme', 'https://acme.example'])
      expect(readPurlScope(bad).ok, bad).toBe(false);
  });

  it('contains purls at or below the scope, at path boundaries only', () => {
    expect(scopeContains('pkg:npm/%40acme', 'pkg:npm/@acme/widget@2.4.0')).toBe(true);
    expect(scopeContains('pkg:npm/%40acme', 'pkg:npm/@acmeco/widget@2.4.0')).toBe(false);
    expect(scopeContains('pkg:pypi/acme-widgets', 'pkg:pypi/Acme_Widgets@1.0')).toBe(true);
    expect(scopeContains('pkg:maven/com.acme', 'pkg:maven/com.acme/widget@1.0')).toBe(true);
    expect(scopeContains('pkg:maven/com.acme', 'pkg:maven/com.acme.tools/widget@1.0')).toBe(false);
  });

  it('proposes each vendor with the purls it owns, most first, with the most specific scope', () => {
    const purls = [
      'pkg:npm/@acme/widget@2.4.0',
      'pkg:npm/@acme/gadget@1.0.0',
      'pkg:maven/org.globex/core@3.1',
      'pkg:pypi/unowned@1.0',
      'not a purl',
    ];
    const scopes = [
      { orgId: 'org_globex', scope: 'pkg:maven/org.globex' },
      { orgId: 'org_acme', scope: 'pkg:npm/%40acme' },
      { orgId: 'org_acme', scope: 'pkg:npm/%40acme/widget' },
      { orgId: 'org_initech', scope: 'pkg:npm/%40initech' },
    ];
    expect(suggestVendors(purls, scopes)).toEqual([
      {
        orgId: 'org_acme',
        matches: [
          { purl: 'pkg:npm/@acme/gadget@1.0.0', scope: 'pkg:npm/%40acme' },
          { purl: 'pkg:npm/@acme/widget@2.4.0', scope: 'pkg:npm/%40acme/widget' },
        ],
      },
      { orgId: 'org_globex', matches: [{ purl: 'pkg:maven/org.globex/core@3.1', scope: 'pkg:maven/org.globex' }] },
    ]);
  });
});
