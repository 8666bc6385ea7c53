import { createRequire } from 'node:module';
import { CVSS_VERSIONS, type CvssVersion } from './cvss-metrics.js';
import { cvssSeverity, type CvssSeverity } from './cvss-severity.js';
import { cvssV2EnvironmentalScore, cvssV2TemporalScore } from './cvss-v2-formulas.js';
import { cvssV3Scores } from './cvss-v3-formulas.js';
import { cvssV4Scores } from './cvss-v4-formulas.js';
import { parseCvssVector, type CvssVector, type ParseCvssOptions } from './cvss-vector.js';
import { GenerationalCache } from './bounded-cache.js';

export interface CvssScoreValue {
  readonly score: number;
  readonly severity: CvssSeverity;
}

/**
 * Which metric groups an overall score took in, in CVSS v4.0's nomenclature (B = base, T = temporal or
 * threat, E = environmental). Used for every version so that callers need not branch on it.
 */
export type CvssNomenclature = 'CVSS-B' | 'CVSS-BT' | 'CVSS-BE' | 'CVSS-BTE';

/** Every score a vector defines, recomputed from the vector; nothing is taken from the input's own numbers. */
export interface CvssScores {
  readonly version: CvssVersion;
  /** The canonical vector (see {@link CvssVector.vector}). */
  readonly vector: string;
  readonly metrics: Readonly<Record<string, string>>;
  /** The base score (v4.0: CVSS-B, the base metrics alone). */
  readonly base: CvssScoreValue;
  /** v2.0 and v3.x: the temporal score, or null when the vector defines no temporal metric. Always null in v4.0. */
  readonly temporal: CvssScoreValue | null;
  /** v4.0: CVSS-BT, or null when the vector defines no threat metric. Always null before v4.0. */
  readonly threat: CvssScoreValue | null;
  /**
   * The environmental score, or null when the vector defines no environmental metric. In v2.0 and v3.x it
   * folds in the temporal metrics, as the specifications define it; in v4.0 it is CVSS-BE (no threat).
   */
  readonly environmental: CvssScoreValue | null;
  /** The score of everything the vector defines: the one to rank by. */
  readonly overall: CvssScoreValue & { readonly nomenclature: CvssNomenclature };
}

// ae-cvss-calculator scores the v2 base (its v2 temporal and environmental equations depart from the guide,
// see ./cvss-v2-formulas.ts); v3.x and v4.0 are scored by ./cvss-v3-formulas.ts and ./cvss-v4-formulas.ts,
// which agree with it bit for bit at a hundred times its speed (it stays in the tests as their oracle).
// The package is a 190 kB webpack CommonJS bundle: it is required on the first v2 vector scored, not imported,
// so that a command that scores none (or only v3.x and v4.0) does not pay ~40 ms of start-up CPU for it
// (Node's CommonJS lexer and the bundle's own evaluation), and required, not imported, because the ESM
// loader would lex it to find its named exports.
type CalculatorClass = new (vector: string) => { calculateScores(): { readonly base?: number | undefined } };
let cvss2: CalculatorClass | undefined;
function Cvss2(): CalculatorClass {
  cvss2 ??= (createRequire(import.meta.url)('ae-cvss-calculator') as { Cvss2: CalculatorClass }).Cvss2;
  return cvss2;
}

function v2BaseScore(vector: string): number {
  const base = new (Cvss2())(vector).calculateScores().base;
  // The grammar check guarantees a full base vector, for which the library always returns a base score.
  if (base === undefined || !Number.isFinite(base)) throw new Error(`ae-cvss-calculator returned no base score for ${vector}`);
  return base + 0; // turns -0 into 0
}

function nomenclature(temporal: boolean, environmental: boolean): CvssNomenclature {
  if (temporal) return environmental ? 'CVSS-BTE' : 'CVSS-BT';
  return environmental ? 'CVSS-BE' : 'CVSS-B';
}

// Every score is a multiple of 0.1 from 0 to 10, so each score object (with its severity, and for the
// overall score its nomenclature) is made once, frozen, and shared: scores are cached and shared anyway
// (see scoreCvss), and bulk scoring then allocates a third as much.
const TENTHS = Array.from({ length: 101 }, (_, i) => i / 10);
const NOMENCLATURES: readonly CvssNomenclature[] = ['CVSS-B', 'CVSS-BT', 'CVSS-BE', 'CVSS-BTE'];
const SCORE_VALUES = new Map(
  CVSS_VERSIONS.map((v) => [v, TENTHS.map((score) => Object.freeze({ score, severity: cvssSeverity(score, v) }))] as const),
);
const OVERALL_VALUES = new Map(
  CVSS_VERSIONS.map(
    (v) =>
      [
        v,
        new Map(
          NOMENCLATURES.map(
            (n) => [n, TENTHS.map((score) => Object.freeze({ score, severity: cvssSeverity(score, v), nomenclature: n }))] as const,
          ),
        ),
      ] as const,
  ),
);

function scoreValue(score: number, version: CvssVersion): CvssScoreValue {
  return SCORE_VALUES.get(version)?.[Math.round(score * 10)] ?? Object.freeze({ score, severity: cvssSeverity(score, version) });
}

function maybeScore(score: number | null, version: CvssVersion): CvssScoreValue | null {
  return score === null ? null : scoreValue(score, version);
}

function overallValue(score: number, version: CvssVersion, nomenclature: CvssNomenclature): CvssScores['overall'] {
  return (
    OVERALL_VALUES.get(version)?.get(nomenclature)?.[Math.round(score * 10)] ??
    Object.freeze({ score, severity: cvssSeverity(score, version), nomenclature })
  );
}

/** Scores a vector already parsed by {@link parseCvssVector}. The result is frozen. */
export function scoreParsedCvss(parsed: CvssVector): CvssScores {
  const { version, vector, metrics, groups, codes } = parsed;
  const hasTemporal = groups.has('temporal') || groups.has('threat');
  const hasEnvironmental = groups.has('environmental');
  let base: number;
  let temporal: number | null = null;
  let threat: number | null = null;
  let environmental: number | null = null;
  let overall: number;
  if (version === '4.0') {
    ({ base, threat, environmental, overall } = cvssV4Scores(codes, { threat: hasTemporal, environmental: hasEnvironmental }));
  } else {
    if (version === '2.0') {
      base = v2BaseScore(vector);
      if (hasTemporal) temporal = cvssV2TemporalScore(base, metrics);
      if (hasEnvironmental) environmental = cvssV2EnvironmentalScore(metrics);
    } else {
      ({ base, temporal, environmental } = cvssV3Scores(version, codes, { temporal: hasTemporal, environmental: hasEnvironmental }));
    }
    overall = environmental ?? temporal ?? base;
  }
  return Object.freeze({
    version,
    vector,
    metrics,
    base: scoreValue(base, version),
    temporal: maybeScore(temporal, version),
    threat: maybeScore(threat, version),
    environmental: maybeScore(environmental, version),
    overall: overallValue(overall, version, nomenclature(hasTemporal, hasEnvironmental)),
  });
}

/**
 * How many of the most recently scored vectors {@link scoreCvss} keeps at least (at most twice as many,
 * see ./bounded-cache.ts). Scoring is pure, and a
 * re-prioritization scores the same few thousand vectors over and over; a cache hit costs a fraction of
 * even the fast v3.x and v4.0 formulas.
 */
export const CVSS_CACHE_SIZE = 8192;
const cache = new GenerationalCache<string, CvssScores>(CVSS_CACHE_SIZE);

/**
 * Parses and scores a CVSS 2.0, 3.0, 3.1 or 4.0 vector: v3.x and v4.0 by the specifications' formulas
 * (./cvss-v3-formulas.ts, ./cvss-v4-formulas.ts), v2 with ae-cvss-calculator's base score and the guide's
 * temporal and environmental equations (./cvss-v2-formulas.ts). Scores are always recomputed from the
 * vector: any score that came with it is to be ignored by the caller. The result is frozen and may be
 * shared with other callers of the same vector (see {@link CVSS_CACHE_SIZE}).
 *
 * @throws InputError naming the offending metric when the vector breaks its version's grammar
 *   (see {@link parseCvssVector}).
 */
export function scoreCvss(vector: string, options: ParseCvssOptions = {}): CvssScores {
  const key = vector.trim();
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const scores = scoreParsedCvss(parseCvssVector(key, options));
  cache.set(key, scores);
  return scores;
}
