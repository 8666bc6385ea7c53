import { emptyFinding, type Finding } from './finding.js';

/**
 * A normalized finding as stored: its top-level fields that are empty (null, [], {}) left out — about half
 * the bytes of a typical scanner finding — and put back on reading. Nested values are kept exactly, so a
 * `null` inside a location stays `null`.
 */
export function compactFinding(finding: Finding): string {
  const out: Record<string, unknown> = {};
  // A key loop, not Object.entries: no pair array per field, per finding (issue 14).
  for (const key in finding) {
    const value = finding[key as keyof Finding];
    if (value === null) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return JSON.stringify(out);
}

export function restoreFinding(stored: string): Finding {
  const partial = JSON.parse(stored) as Partial<Finding> & Pick<Finding, 'format' | 'ref'>;
  return { ...emptyFinding(partial.format, partial.ref), ...partial };
}
