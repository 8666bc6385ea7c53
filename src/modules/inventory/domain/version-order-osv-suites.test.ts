import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { versionOrderFor } from './version-order-registry.js';

// OSV's own version-ordering test data (google/osv-scalibr `semantic/testdata`, see testdata/README.md),
// run against our order for the ecosystem OSV's tooling runs each file with. Every case ends in one of:
// - agreement: both versions parse and we order them as the file says;
// - "not a version here": a side our order refuses, so ranges over it are "unknown", never a guess;
// - a semantic difference listed below with its reason. Anything else fails.
const dir = new URL('./testdata/osv-scalibr-semantic/semantic/testdata/', import.meta.url);

// Where the file encodes a different semantic than the package manager's own, we follow the package manager.
const DIFFERENCES: Readonly<Record<string, { readonly reason: string; readonly lines: readonly string[] }>> = {
  Packagist: {
    reason:
      "raw PHP version_compare; Composer normalises first (1.0 = 1.0.0 = 1.0.0.0, modifiers case-insensitive, '-stable' is the release)",
    lines: [
      '1.0.0 > 1.0',
      'v3.0 < v3.0.0-beta',
      'v3.4 < v3.4.0-alpha',
      'v4-beta4 < v4.0-alpha',
      'v1.9.0-ALPHA.1 = v1.9.0-BETA.1',
      'v1.9.0-BETA.1 < v1.9.0-ALPHA.2',
      'v1.9.0-ALPHA.2 = v1.9.0-BETA.2',
      '5.1.0-stable < 5.1.0-beta2',
      'v4.4 < v4.4.0-beta',
      'v6.5 < v6.5.0-beta-0',
      'v6.6 < v6.6.0-beta',
    ],
  },
  Maven: {
    reason: 'Maven 3.9+ reads "ga" as a release alias inside a qualifier list; the 3.8 line (ours, see version-order-maven.ts) does not',
    lines: ['1-1 = 1-ga-1'],
  },
  Alpine: {
    reason: 'apk-tools (ours, checked against apk-tools test/version.data) tokenises ".r1" and "r1" after a number differently',
    lines: ['0.r1 < 0r2', '0.8.21.r2 < 0.8.21r2'],
  },
};

// The last column pins how many cases have a side our order refuses (the per-suite figures reviewed in the
// closing note of 2026-12-05): a parser that starts refusing more would otherwise pass as "not versions here".
const SUITES: readonly (readonly [ecosystem: string, file: string, refusedCases: number])[] = [
  ['npm', 'semver-versions.txt', 2],
  ['crates.io', 'semver-versions.txt', 31],
  ['Go', 'semver-versions.txt', 1],
  ['Hex', 'semver-versions.txt', 0],
  ['RubyGems', 'rubygems-versions.txt', 2],
  ['RubyGems', 'rubygems-versions-generated.txt', 0],
  ['NuGet', 'nuget-versions.txt', 2],
  ['Packagist', 'packagist-versions.txt', 11],
  ['Packagist', 'packagist-versions-generated.txt', 18],
  ['Maven', 'maven-versions.txt', 0],
  ['Maven', 'maven-versions-generated.txt', 0],
  ['PyPI', 'pypi-versions.txt', 11],
  ['PyPI', 'pypi-versions-generated.txt', 69],
  ['Debian', 'debian-versions.txt', 0],
  ['Debian', 'debian-versions-generated.txt', 0],
  ['CRAN', 'cran-versions.txt', 0],
  ['CRAN', 'cran-versions-generated.txt', 0],
  ['Alpine', 'alpine-versions.txt', 16],
  ['Alpine', 'alpine-versions-generated.txt', 0],
  ['Red Hat', 'redhat-versions.txt', 28],
  ['Hackage', 'hackage-versions.txt', 0],
  ['Pub', 'pub-versions.txt', 0],
];

function cases(file: string): string[] {
  return readFileSync(new URL(file, dir), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('# ') && !l.startsWith('// '));
}

describe.each(SUITES)('%s: osv-scalibr %s', (ecosystem, file, refusedCases) => {
  it('agrees, refuses, or differs only as listed', () => {
    const order = versionOrderFor(ecosystem);
    expect(order.exact).toBe(true);
    const listed = new Set(DIFFERENCES[ecosystem]?.lines ?? []);
    const differing: string[] = [];
    let agreements = 0;
    let refused = 0;
    const lines = cases(file);
    for (const line of lines) {
      const [a = '', op, b = ''] = line.split(' ');
      const want = op === '<' ? -1 : op === '>' ? 1 : 0;
      if (order.parse(a) === null || order.parse(b) === null) {
        refused++;
        continue;
      }
      if (order.compare(a, b) === want && order.compare(b, a) === -want) agreements++;
      else differing.push(line);
    }
    expect(differing.filter((line) => !listed.has(line))).toEqual([]);
    expect(agreements + refused + differing.length).toBe(lines.length);
    expect(refused).toBe(refusedCases);
    // Per-suite figures for the closing note.
    console.info(
      `${ecosystem} ${file}: ${lines.length} cases, ${agreements} agree, ${refused} not versions here, ${differing.length} differ`,
    );
  });
});
