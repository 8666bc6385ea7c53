import { describe, expect, it } from 'vitest';
import { InputError } from '../../../platform/errors.js';
import { parseSbom } from './sbom-parse.js';

const bom = (components: unknown[]) => JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', version: 1, components });
const lib = (name: string, extra: Record<string, unknown> = {}) => ({
  type: 'library',
  name,
  version: '1.0',
  purl: `pkg:npm/${name}@1.0`,
  ...extra,
});

describe('CycloneDX uniqueItems, checked in one pass', () => {
  it('refuses two deeply equal components, whatever their key order, and names both', () => {
    const error = (() => {
      try {
        parseSbom(bom([lib('a'), lib('b'), { purl: 'pkg:npm/a@1.0', version: '1.0', name: 'a', type: 'library' }]));
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(/\/components must NOT have duplicate items \(items ## 0 and 2 are identical\)/);
  });

  it('finds the duplicate among items that differ pairwise in every member but one pair', () => {
    // Each member is distinct in all items but the duplicated pair, so only comparing whole items finds it.
    const items = [
      lib('a', { 'bom-ref': 'r1' }),
      lib('b', { 'bom-ref': 'r2' }),
      lib('c', { 'bom-ref': 'r3' }),
      lib('b', { 'bom-ref': 'r2' }),
    ];
    expect(() => parseSbom(bom(items))).toThrow(/items ## 1 and 3 are identical/);
  });

  it('accepts components that differ in any field, and is linear on large BOMs', () => {
    expect(parseSbom(bom([lib('a'), lib('a', { version: '1.1' })])).components).toHaveLength(2);
    const many = Array.from({ length: 20_000 }, (_, i) => lib(`pkg-${i}`));
    const started = performance.now();
    expect(parseSbom(bom(many)).components).toHaveLength(20_000);
    // Pairwise comparison took about 15 s here; one pass takes well under one.
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
