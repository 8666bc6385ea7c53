import { describe, expect, it } from 'vitest';
import { ConflictError, InputError } from '../../../platform/errors.js';
import { productKey } from './product-ref.js';
import { decideApproval, readStatement, sameStatement, VEX_JUSTIFICATIONS } from './statements.js';

const product = { purl: 'pkg:npm/%40acme/widget@2.4.0' };

function issuesOf(input: Parameters<typeof readStatement>[0]): string[] {
  try {
    readStatement(input);
  } catch (error) {
    if (error instanceof InputError) return error.issues.map((i) => `${i.pointer} ${i.detail}`);
    throw error;
  }
  return [];
}

describe('vendor statements', () => {
  it('reads each status with what it requires', () => {
    expect(readStatement({ status: 'under_investigation', product })).toMatchObject({ status: 'under_investigation', justification: null });
    expect(readStatement({ status: 'affected', product, actionStatement: 'Upgrade to 2.4.1.' }).actionStatement).toBe('Upgrade to 2.4.1.');
    const notAffected = readStatement({
      status: 'not_affected',
      product,
      justification: 'vulnerable_code_not_in_execute_path',
      impactStatement: 'The parser is never called.',
    });
    expect(notAffected.justification).toBe('vulnerable_code_not_in_execute_path');
    const fixed = readStatement({
      status: 'fixed',
      product,
      fixedVersions: ['2.4.1', ' 2.4.1 ', '2.5.0'],
      fixUrl: 'https://acme.example/dl',
    });
    expect(fixed.fixedVersions).toEqual(['2.4.1', '2.5.0']);
    expect(fixed.product).toEqual({
      purl: 'pkg:npm/%40acme/widget@2.4.0',
      cpe: null,
      vendor: null,
      name: '@acme/widget',
      version: '2.4.0',
    });
  });

  it('needs a justification from the CSAF list for not_affected', () => {
    expect(issuesOf({ status: 'not_affected', product })).toEqual([
      `/justification is required for not_affected: one of ${VEX_JUSTIFICATIONS.join(', ')}`,
    ]);
    expect(issuesOf({ status: 'not_affected', product, justification: 'code_not_reachable' })[0]).toMatch(
      /^\/justification must be one of component_not_present/,
    );
  });

  it('needs fixed versions and where to get them for fixed', () => {
    expect(issuesOf({ status: 'fixed', product })).toEqual([
      '/fixedVersions is required for fixed: at least one version that carries the fix',
      '/fixUrl is required for fixed: where to get the fixed versions (or fixText)',
    ]);
    expect(issuesOf({ status: 'fixed', product, fixedVersions: ['2.4.1'], fixUrl: 'javascript:alert(1)' })).toEqual([
      '/fixUrl must be an http or https URL of at most 2000 characters',
    ]);
    expect(issuesOf({ status: 'fixed', product, fixedVersions: ['2.4.1'], fixText: 'From the vendor portal' })).toEqual([]);
  });

  it('refuses fields the status does not use, unknown statuses and bad products', () => {
    expect(issuesOf({ status: 'affected', product, justification: 'component_not_present' })).toEqual([
      '/justification is not used by a affected statement',
    ]);
    expect(issuesOf({ status: 'exploitable', product })).toEqual([
      '/status must be one of under_investigation, affected, not_affected, fixed',
    ]);
    expect(issuesOf({ status: 'affected', product: { purl: 'npm:acme' } })).toEqual([
      '/product/purl must be a package URL (pkg:type/namespace/name@version)',
    ]);
    expect(issuesOf({ status: 'affected', product: { version: '1' } })).toEqual(['/product/name is required unless a purl is given']);
    expect(issuesOf({ status: 'affected', product: { cpe: 'cpe:/a:acme:widget:2.4', name: 'Widget', colour: 'red' } })).toEqual([
      '/product/colour is not a known field (known: purl, cpe, vendor, name, version)',
    ]);
    expect(issuesOf({ status: 'affected', product, text: 'bad\u0007bell' })).toEqual([
      '/text must not contain control characters other than line breaks and tabs',
    ]);
  });

  it('keys one product however its purl is spelt', () => {
    const a = readStatement({ status: 'affected', product: { purl: 'pkg:pypi/Acme_Widget@1.0' } }).product;
    const b = readStatement({ status: 'affected', product: { purl: 'pkg:PYPI/acme-widget@1.0' } }).product;
    expect(productKey(a)).toBe(productKey(b));
    expect(productKey(a)).toBe('purl:pkg:pypi/acme-widget@1.0');
  });

  it('knows an unchanged statement', () => {
    const a = readStatement({ status: 'affected', product, text: 'x' });
    expect(sameStatement(a, readStatement({ status: 'affected', product, text: 'x' }))).toBe(true);
    expect(sameStatement(a, readStatement({ status: 'affected', product, text: 'y' }))).toBe(false);
    // As PostgreSQL's jsonb gives it back: the same content, keys reordered.
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as typeof a;
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(a));
    expect(sameStatement(a, reordered)).toBe(true);
  });
});

describe('coordinator approval', () => {
  it('decides a pending version once', () => {
    expect(decideApproval({ approval: 'pending', version: 2 }, { approve: true, version: 2 })).toBe('approved');
    expect(decideApproval({ approval: 'pending', version: 2 }, { approve: false, version: 2 })).toBe('rejected');
    expect(() => decideApproval({ approval: 'approved', version: 2 }, { approve: true, version: 2 })).toThrow(ConflictError);
    expect(() => decideApproval({ approval: 'pending', version: 3 }, { approve: true, version: 2 })).toThrow(/is at version 3, not 2/);
  });
});
