import { expect } from 'vitest';

/**
 * Asserts that `versions` is strictly ascending under `compare`, checking every pair in both directions
 * (as maven's ComparableVersionTest.checkVersionsOrder does), so antisymmetry is proven too.
 */
export function expectStrictlyAscending(compare: (a: string, b: string) => number, versions: readonly string[]): void {
  for (let i = 0; i < versions.length; i++) {
    for (let j = i + 1; j < versions.length; j++) {
      const low = versions[i] as string;
      const high = versions[j] as string;
      expect(compare(low, high), `${low} < ${high}`).toBe(-1);
      expect(compare(high, low), `${high} > ${low}`).toBe(1);
    }
  }
}

/** Asserts that `a` and `b` compare equal in both directions. */
export function expectEqualVersions(compare: (a: string, b: string) => number, a: string, b: string): void {
  expect(compare(a, b), `${a} == ${b}`).toBe(0);
  expect(compare(b, a), `${b} == ${a}`).toBe(0);
}

/** Parses "a < b", "a > b", "a = b" lines (apk-tools' test/version.data format) into expectations. */
export function expectRelations(compare: (a: string, b: string) => number, lines: readonly string[]): void {
  for (const line of lines) {
    const [a, op, b] = line.split(/\s+/);
    const want = op === '<' ? -1 : op === '>' ? 1 : 0;
    expect(compare(a as string, b as string), line).toBe(want);
    expect(compare(b as string, a as string), `reverse of ${line}`).toBe(want === 0 ? 0 : -want);
  }
}
