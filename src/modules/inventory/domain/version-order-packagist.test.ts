import { describe, expect, it } from 'vitest';
import { packagistOrder } from './version-order-packagist.js';
import { expectEqualVersions, expectStrictlyAscending } from './test-support/order-assertions.js';

const compare = packagistOrder.compare;

// Composer's own rules (VersionParser::normalize, then version_compare), as composer/semver documents them.
describe('Packagist (Composer)', () => {
  it('orders dev < alpha < beta < RC < release < patch', () => {
    expectStrictlyAscending(compare, ['1.0-dev', '1.0alpha1', '1.0-beta1', '1.0RC1', '1.0RC2', '1.0', '1.0-patch1', '1.0.1']);
  });

  it('normalises before comparing: padding, "v", "-stable", build metadata, modifier case', () => {
    expectEqualVersions(compare, '1.0', '1.0.0.0');
    expectEqualVersions(compare, 'v2.1', '2.1.0');
    expectEqualVersions(compare, '2.1.0-stable', '2.1.0');
    expectEqualVersions(compare, '1.0.0+build5', '1.0.0');
    expectEqualVersions(compare, '1.0.0-RC1', '1.0.0-rc1');
    expectEqualVersions(compare, '1.0.0-pl1', '1.0.0-patch1');
  });

  it('compares numbers of any length', () => {
    expect(compare('1.20220404083012001', '1.20220404083012002')).toBe(-1);
  });

  it('does not order what Composer cannot normalise', () => {
    for (const v of ['dev-master', '1.0.post1', 'latest', '']) expect(packagistOrder.parse(v), v).toBeNull();
  });
});
