/**
 * CWE ids in every spelling the sources use — `CWE-79`, `cwe-079`, `79`, `external/cwe/cwe-079` (CodeQL tags),
 * `CWE-79 Improper Neutralization…` (CVE problem types) — become `CWE-79`.
 */

const BARE = /^(?:cwe)?[-_ :]?0*([1-9]\d{0,5})$/i;
const IN_TEXT = /(?<![A-Za-z0-9])cwe[-_ ]?0*([1-9]\d{0,5})(?!\d)/gi;

/** `CWE-<n>` for an id given as a number or a string that is only an id; null otherwise. */
export function normalizeCwe(value: unknown): string | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? `CWE-${value}` : null;
  if (typeof value !== 'string') return null;
  const match = BARE.exec(value.trim());
  return match ? `CWE-${match[1]}` : null;
}

/** Every CWE id named in free text or a tag (`external/cwe/cwe-079`); NVD's `NVD-CWE-Other` is not one. */
export function cwesInText(value: string): string[] {
  const out: string[] = [];
  for (const match of value.matchAll(IN_TEXT)) out.push(`CWE-${match[1]}`);
  return out;
}

/** Sorted by number, duplicates removed: the order fingerprints and presenters rely on. */
export function sortCwes(cwes: Iterable<string>): string[] {
  return [...new Set(cwes)].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
}
