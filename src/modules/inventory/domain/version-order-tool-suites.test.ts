import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { versionOrderFor } from './version-order-registry.js';

// The package managers' own statements of their order, kept as "a OP b" lines under testdata/ with their
// source (repo, commit, path) in each file's header and in testdata/README.md: opam's manual and reftests,
// FreeBSD's pkg_version regression test, pkg(8)'s tests and the examples of its rules. Every case must
// parse and agree; unlike OSV's suites there is no semantic difference to list.
const SUITES: readonly (readonly [ecosystem: string, file: string, cases: number])[] = [
  ['opam', 'opam/manual-version-ordering.txt', 66],
  ['opam', 'opam/admin-compare-versions.txt', 7],
  ['FreeBSD:ports', 'freebsd/pkg_install-test-pkg_version.txt', 35],
  ['FreeBSD:ports', 'freebsd/pkg-tests-frontend-version.txt', 15],
  ['FreeBSD:ports', 'freebsd/pkg_version-rules.txt', 21],
];

describe.each(SUITES)('%s: %s', (ecosystem, file, count) => {
  it('parses every version and agrees on every case', () => {
    const order = versionOrderFor(ecosystem);
    const lines = readFileSync(new URL(`./testdata/${file}`, import.meta.url), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    const refused = lines.flatMap((l) => l.split(' ').filter((v, i) => i !== 1 && order.parse(v) === null));
    const differing = lines.filter((line) => {
      const [a = '', op, b = ''] = line.split(' ');
      const want = op === '<' ? -1 : op === '>' ? 1 : 0;
      return order.compare(a, b) !== want || order.compare(b, a) !== -want;
    });
    expect(lines.length).toBe(count);
    expect(refused).toEqual([]);
    expect(differing).toEqual([]);
    // Per-suite figures for the closing note.
    console.info(`${ecosystem} ${file}: ${lines.length} cases, ${lines.length - differing.length} agree`);
  });
});
