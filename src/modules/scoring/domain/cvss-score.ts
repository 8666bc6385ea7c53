import * as calculatorModule from 'ae-cvss-calculator';
import type { CvssVersion } from './cvss-metrics.js';
import { cvssSeverity, type CvssSeverity } from './cvss-severity.js';
import { cvssV2EnvironmentalScore, cvssV2TemporalScore } from './cvss-v2-formulas.js';
import { parseCvssVector, type CvssVector, type ParseCvssOptions } from './cvss-vector.js';
import { deepFreeze } from './deep-freeze.js';

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

// The part of ae-cvss-calculator used here. The package is a webpack CommonJS bundle: Node's ESM loader sees
// only its `default` (module.exports); a CommonJS loader (tsx under a CommonJS entry point) sees the named exports.
interface CalculatorScores {
  readonly overall: number;
  readonly base?: number | undefined;
  readonly temporal?: number | undefined;
  readonly environmental?: number | undefined;
  readonly threat?: number | undefined;
  readonly baseMetricsOnly?: number | undefined;
}
type CalculatorClass = new (vector: string) => { calculateScores(): CalculatorScores };

const calculator = calculatorModule.default ?? calculatorModule;
const CALCULATORS: Readonly<Record<CvssVersion, CalculatorClass>> = {
  '2.0': calculator.Cvss2,
  '3.0': calculator.Cvss3P0,
  '3.1': calculator.Cvss3P1,
  '4.0': calculator.Cvss4P0,
};

function required(value: number | undefined, what: string, vector: string): number {
  // The grammar check guarantees a full base vector, for which the library always returns these.
  if (value === undefined || !Number.isFinite(value)) throw new Error(`ae-cvss-calculator returned no ${what} score for ${vector}`);
  return value + 0; // turns -0 into 0
}

function nomenclature(temporal: boolean, environmental: boolean): CvssNomenclature {
  if (temporal) return environmental ? 'CVSS-BTE' : 'CVSS-BT';
  return environmental ? 'CVSS-BE' : 'CVSS-B';
}

/** Scores a vector already parsed by {@link parseCvssVector}. */
export function scoreParsedCvss(parsed: CvssVector): CvssScores {
  const { version, vector, metrics, groups } = parsed;
  const scores = new CALCULATORS[version](vector).calculateScores();
  const value = (score: number): CvssScoreValue => ({ score, severity: cvssSeverity(score, version) });
  const hasTemporal = groups.has('temporal') || groups.has('threat');
  const hasEnvironmental = groups.has('environmental');

  if (version === '4.0') {
    const overall = required(scores.overall, 'overall', vector);
    return {
      version, vector, metrics,
      base: value(required(scores.baseMetricsOnly, 'CVSS-B', vector)),
      temporal: null,
      threat: hasTemporal ? value(required(scores.threat, 'CVSS-BT', vector)) : null,
      environmental: hasEnvironmental ? value(required(scores.environmental, 'CVSS-BE', vector)) : null,
      overall: { ...value(overall), nomenclature: nomenclature(hasTemporal, hasEnvironmental) },
    };
  }

  const base = required(scores.base, 'base', vector);
  let temporal: number | null = null;
  let environmental: number | null = null;
  if (version === '2.0') {
    if (hasTemporal) temporal = cvssV2TemporalScore(base, metrics);
    if (hasEnvironmental) environmental = cvssV2EnvironmentalScore(metrics);
  } else {
    if (hasTemporal) temporal = required(scores.temporal, 'temporal', vector);
    if (hasEnvironmental) environmental = required(scores.environmental, 'environmental', vector);
  }
  return {
    version, vector, metrics,
    base: value(base),
    temporal: temporal === null ? null : value(temporal),
    threat: null,
    environmental: environmental === null ? null : value(environmental),
    overall: { ...value(environmental ?? temporal ?? base), nomenclature: nomenclature(hasTemporal, hasEnvironmental) },
  };
}

/**
 * How many vectors' scores {@link scoreCvss} keeps, least recently used out first. Scoring is pure, and a
 * re-prioritization scores the same few thousand vectors over and over; ae-cvss-calculator needs about
 * 40 µs for a v4.0 vector, a cache hit well under 1 µs.
 */
export const CVSS_CACHE_SIZE = 8192;
const cache = new Map<string, CvssScores>();

/**
 * Parses and scores a CVSS 2.0, 3.0, 3.1 or 4.0 vector with ae-cvss-calculator (v2 temporal and
 * environmental scores by the guide's equations, see ./cvss-v2-formulas.ts). Scores are always recomputed
 * from the vector: any score that came with it is to be ignored by the caller. The result is frozen and may
 * be shared with other callers of the same vector (see {@link CVSS_CACHE_SIZE}).
 *
 * @throws InputError naming the offending metric when the vector breaks its version's grammar
 *   (see {@link parseCvssVector}).
 */
export function scoreCvss(vector: string, options: ParseCvssOptions = {}): CvssScores {
  const key = vector.trim();
  const hit = cache.get(key);
  if (hit !== undefined) {
    cache.delete(key); // re-inserted below as the most recently used
    cache.set(key, hit);
    return hit;
  }
  const scores = deepFreeze(scoreParsedCvss(parseCvssVector(vector, options)));
  if (cache.size >= CVSS_CACHE_SIZE) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(key, scores);
  return scores;
}
