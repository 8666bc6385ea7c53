import { describe, expect, it } from 'vitest';
import type { VersionOrder } from './version-order.js';
import { versionOrderFor } from './version-order-registry.js';

/**
 * Sorting needs a consistent comparator: antisymmetric and transitive over every string, valid or not,
 * and never throwing. Checked over every triple of a pool per ecosystem (pool: typical, edge-case and
 * junk strings).
 */
const JUNK = ['', ' ', 'latest', 'v', '*', '1..2', '-1', 'ä', '1.0 beta', 'NaN'];
const POOLS: Readonly<Record<string, readonly string[]>> = {
  npm: ['1.0.0', '1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-1', '1.0.0+b', 'v1.0.0', '2.0.0', '1.10.0', '0.0.1'],
  'crates.io': ['1.0.0', '1.0.0-rc.1', '0.1.0', '10.0.0', 'v1.0.0', '1.0.0+x'],
  Go: ['1.0.0', 'v1.0.0', 'v1', 'v1.2', 'v1.2.3-pre', 'v0.0.0-20191109021931-daa7c04131f5', 'v2.0.0+incompatible'],
  PyPI: ['1.0', '1.0.0', '1.0a1', '1.0.dev0', '1.0.post1', '1!0.1', '1.0+local.1', '1.0+1', '0.7.10p1', '2.0rc1'],
  Maven: ['1', '1.0', '1-SNAPSHOT', '1-alpha-1', '1.0-sp', '1-xyz', '1.0.0.1', '1-1', '2.0.a', 'RELEASE'],
  RubyGems: ['1.0', '1.0.a', '1.0.0-1', '1.0.b1', '0', '1.0.0.rc2', '2'],
  NuGet: ['1.0', '1.0.0.1', '1.0.0-beta', '1.0.0-BETA.2', '1.0.0-1', '2.0.0+meta'],
  Debian: ['1.0', '1.0-1', '1:0.9', '1.0~rc1', '1.0~~', '1.0a', '1.0+dfsg-1', '2.0-0ubuntu1'],
  Alpine: ['1.0-r0', '1.0_rc1-r0', '1.0_p1-r0', '1.0a-r1', '1.01-r0', '1.1', '2.0.0_alpha_pre2'],
  'Red Hat': ['1.0-1', '1:1.0-1', '1.0~rc1-1', '1.0^git1-1', '1.0', '1.0-1.el8', '1.a-1'],
  Packagist: ['1.0.0', 'v1.0.0', '1.0.0-beta', '1.0.0~rc1', '2'],
  opam: ['1.0', '1.0~beta', '1.0-test', '1.0.1', '~', 'dev', '0.01.0', '1.0-1', '1.0_1'],
  FreeBSD: ['1.0', '1.0_1', '1.0,1', '1.0_1,1', '1.0a', '1.0.pl1', '1.0alpha', '1.*', '1.0+2003', '10a1b2', 'a'],
};

function checkLaws(order: VersionOrder, pool: readonly string[]): string[] {
  const failures: string[] = [];
  for (const a of pool) {
    if (order.compare(a, a) !== 0) failures.push(`compare(${a}, ${a}) != 0`);
    for (const b of pool) {
      const ab = order.compare(a, b);
      if (ab !== -order.compare(b, a) && !(ab === 0 && order.compare(b, a) === 0)) failures.push(`antisymmetry ${a} ${b}`);
      for (const c of pool) {
        if (ab <= 0 && order.compare(b, c) <= 0 && order.compare(a, c) > 0) failures.push(`transitivity ${a} <= ${b} <= ${c}`);
      }
    }
  }
  return failures;
}

describe('every version order is a consistent total order', () => {
  it.each(Object.entries(POOLS))('%s', (ecosystem, pool) => {
    // apk compares invalid strings with its own tokenizer; only its valid versions are held to the laws.
    const withJunk = ecosystem === 'Alpine' ? pool : [...pool, ...JUNK];
    expect(checkLaws(versionOrderFor(ecosystem), withJunk)).toEqual([]);
  });
});
