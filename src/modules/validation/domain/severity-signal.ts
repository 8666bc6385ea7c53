/**
 * How severe one report says its vulnerability is, as a number from 0 to 1 for the triage queue, with the
 * statement it came from. The most authoritative statement wins, in this order: a KEV listing (1.0); a CVSS
 * vector, its base score recomputed from the vector (never the score the report claims) ÷ 10; a SARIF
 * `security-severity` ÷ 10; a stated word (critical 0.95, high 0.8, medium 0.5, low 0.2, none 0.05); a SARIF
 * level (error 0.7, warning 0.4, note 0.1, none 0.05). A report stating nothing has no value: the policy's
 * `unknownSeverity` stands in for it when the queue is ordered.
 */

/** The part of intake's `Severity` statements this reads. */
export type SeverityStatement =
  | { readonly kind: 'cvss'; readonly version: string; readonly vector: string }
  | { readonly kind: 'security-severity'; readonly score: number }
  | { readonly kind: 'sarif-level'; readonly level: string }
  | { readonly kind: 'qualitative'; readonly text: string };

export interface SeverityFacts {
  /** 0 to 1, or null when the report states nothing usable. */
  readonly value: number | null;
  readonly source: string;
  /** The highest CVSS base score among the report's vectors, recomputed; null when it has none. */
  readonly cvssBase: number | null;
  readonly cvssVector: string | null;
  readonly kev: boolean;
}

/** Recomputes a vector's base score; throws when the vector is malformed (scoring's `scoreCvss`). */
export type CvssBaseScorer = (vector: string) => number;

const WORDS: Readonly<Record<string, number>> = {
  critical: 0.95,
  high: 0.8,
  important: 0.8,
  medium: 0.5,
  moderate: 0.5,
  low: 0.2,
  none: 0.05,
  informational: 0.05,
};
const LEVELS: Readonly<Record<string, number>> = { error: 0.7, warning: 0.4, note: 0.1, none: 0.05 };

function highestCvss(
  statements: readonly SeverityStatement[],
  scoreBase: CvssBaseScorer,
): { base: number; vector: string; version: string } | null {
  let best: { base: number; vector: string; version: string } | null = null;
  for (const s of statements) {
    if (s.kind !== 'cvss') continue;
    let base: number;
    try {
      base = scoreBase(s.vector);
    } catch {
      // A malformed vector says nothing we can trust; the next statement may.
      continue;
    }
    if (best === null || base > best.base) best = { base, vector: s.vector, version: s.version };
  }
  return best;
}

function maxOf<T>(items: readonly T[], valueOf: (item: T) => number | undefined): { item: T; value: number } | null {
  let best: { item: T; value: number } | null = null;
  for (const item of items) {
    const value = valueOf(item);
    if (value !== undefined && Number.isFinite(value) && (best === null || value > best.value)) best = { item, value };
  }
  return best;
}

// Four decimals, like every score the queue shows.
const clamp01 = (x: number): number => Math.round(Math.min(1, Math.max(0, x)) * 10_000) / 10_000;

export function severityOfReport(statements: readonly SeverityStatement[], kev: boolean, scoreBase: CvssBaseScorer): SeverityFacts {
  const cvss = highestCvss(statements, scoreBase);
  const facts = { cvssBase: cvss?.base ?? null, cvssVector: cvss?.vector ?? null, kev };
  if (kev) return { ...facts, value: 1, source: 'listed in CISA KEV (known exploited)' };
  if (cvss !== null)
    return { ...facts, value: clamp01(cvss.base / 10), source: `CVSS ${cvss.version} base ${cvss.base.toFixed(1)} (${cvss.vector})` };
  const securitySeverity = maxOf(statements, (s) => (s.kind === 'security-severity' ? s.score : undefined));
  if (securitySeverity !== null)
    return { ...facts, value: clamp01(securitySeverity.value / 10), source: `SARIF security-severity ${securitySeverity.value}` };
  const word = maxOf(statements, (s) => (s.kind === 'qualitative' ? WORDS[s.text.trim().toLowerCase()] : undefined));
  if (word !== null && word.item.kind === 'qualitative')
    return { ...facts, value: word.value, source: `stated severity "${word.item.text}"` };
  const level = maxOf(statements, (s) => (s.kind === 'sarif-level' ? LEVELS[s.level] : undefined));
  if (level !== null && level.item.kind === 'sarif-level')
    return { ...facts, value: level.value, source: `SARIF level ${level.item.level}` };
  return { ...facts, value: null, source: 'no severity stated' };
}
