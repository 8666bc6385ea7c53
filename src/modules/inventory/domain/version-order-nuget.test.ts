import { describe, expect, it } from 'vitest';
import { compareNuGet, parseNuGetVersion } from './version-order-nuget.js';
import { expectEqualVersions, expectStrictlyAscending } from './test-support/order-assertions.js';

// NuGet.Client test/NuGet.Core.Tests/NuGet.Versioning.Test: VersionComparerTests and SemVer201SpecTests.
describe('compareNuGet (VersionComparer.Default)', () => {
  it.each([
    ['1.0.0', '1.0.0'],
    ['1.0.0-BETA', '1.0.0-beta'],
    ['1.0.0-BETA+AA', '1.0.0-beta+aa'],
    ['1.0.0-BETA.X.y.5.77.0+AA', '1.0.0-beta.x.y.5.77.0+aa'],
    ['1.2.3-a', '1.2.3-A'],
    ['1.2.3-A-b2-C', '1.2.3-a-B2-c'],
  ])('%s == %s', (a, b) => expectEqualVersions(compareNuGet, a, b));

  it.each([
    ['0.0.0', '1.0.0'],
    ['1.0.0', '1.1.0'],
    ['1.0.0', '1.0.1'],
    ['1.999.9999', '2.1.1'],
    ['1.0.0-BETA', '1.0.0-beta2'],
    ['1.0.0-beta+AA', '1.0.0+aa'],
    ['1.0.0-BETA', '1.0.0-beta.1+AA'],
    ['1.0.0-BETA.X.y.5.77.0+AA', '1.0.0-beta.x.y.5.79.0+aa'],
    ['1.0.0-BETA.X.y.5.79.0+AA', '1.0.0-beta.x.y.5.790.0+abc'],
    ['1.2.3', '1.2.4'],
    ['1.2.3', '2.0.0'],
    ['9.9.9', '10.1.1'],
    ['1.2.3-alpha', '1.2.3'],
    ['1.2.3-2', '1.2.3-3'],
    ['1.2.3-1.9', '1.2.3-1.50'],
    ['1.2.3-2A', '1.2.3-3A'],
    ['1.2.3-1.50A', '1.2.3-1.9A'],
    ['1.2.3-999999', '1.2.3-Z'],
    ['1.2.3-A.999999', '1.2.3-A.56-2'],
    ['1.2.3-a', '1.2.3-a.2'],
    ['1.2.3-a.2.3.4', '1.2.3-a.2.3.4.5'],
  ])('%s < %s', (a, b) => expectStrictlyAscending(compareNuGet, [a, b]));

  it.each([
    '0.1.2-Alpha..2',
    '0.1.2-Alpha.',
    '0.1.2-.AA',
    '0.1.2-',
    '0.1.2-alp=ha',
    '0.1.2-a&444',
    '0.1.2+ÄÄ',
    '0.1.2+2+A',
    '0.1.2+',
    'X.2.3',
  ])('rejects %j', (v) => expect(parseNuGetVersion(v)).toBeNull());

  it.each(['0.1.2--', '0.1.2--B-C-', '0.1.2+NoReleaseLabel', '0.1.2+----.-.-.-', '0.1.2----+----'])('accepts %j', (v) =>
    expect(parseNuGetVersion(v)).not.toBeNull(),
  );

  it('reads legacy four-part and short versions as NuGetVersion does', () => {
    expectEqualVersions(compareNuGet, '1', '1.0.0.0');
    expectEqualVersions(compareNuGet, '1.01', '1.1');
    expectStrictlyAscending(compareNuGet, ['1.0.0', '1.0.0.1', '1.0.1']);
  });
});
