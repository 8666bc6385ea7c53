import * as calculatorModule from 'ae-cvss-calculator';
import type { CvssVector } from '../cvss-vector.js';

/**
 * ae-cvss-calculator's scores of a parsed v3.0, v3.1 or v4.0 vector: the oracle that our own formulas
 * (../cvss-v3-formulas.ts, ../cvss-v4-formulas.ts) are held equal to. The library scores every published
 * vector right but slowly, which is why the product no longer uses it for these versions.
 */
export interface LibraryScores {
  readonly base: number;
  /** v3.x temporal or v4.0 CVSS-BT, null when the vector defines no such metric. */
  readonly temporal: number | null;
  /** v3.x environmental or v4.0 CVSS-BE, null when the vector defines no environmental metric. */
  readonly environmental: number | null;
  readonly overall: number;
}

interface CalculatorScores {
  readonly overall: number;
  readonly base?: number;
  readonly temporal?: number;
  readonly environmental?: number;
  readonly threat?: number;
  readonly baseMetricsOnly?: number;
}
type CalculatorClass = new (vector: string) => { calculateScores(): CalculatorScores };

// A webpack CommonJS bundle: under Node's ESM loader only `default` (module.exports) is there.
const calculator = calculatorModule.default ?? calculatorModule;
const CALCULATORS: Readonly<Record<'3.0' | '3.1' | '4.0', CalculatorClass>> = {
  '3.0': calculator.Cvss3P0,
  '3.1': calculator.Cvss3P1,
  '4.0': calculator.Cvss4P0,
};

const finite = (value: number | undefined, what: string): number => {
  if (value === undefined || !Number.isFinite(value)) throw new Error(`ae-cvss-calculator gave no ${what} score`);
  return value + 0;
};

export function libraryScores(parsed: CvssVector): LibraryScores {
  const { version, vector, groups } = parsed;
  if (version === '2.0') throw new Error('the oracle covers v3.0, v3.1 and v4.0');
  const scores = new CALCULATORS[version](vector).calculateScores();
  const temporal = groups.has('temporal') || groups.has('threat');
  const environmental = groups.has('environmental');
  if (version === '4.0') {
    return {
      base: finite(scores.baseMetricsOnly, 'CVSS-B'),
      temporal: temporal ? finite(scores.threat, 'CVSS-BT') : null,
      environmental: environmental ? finite(scores.environmental, 'CVSS-BE') : null,
      overall: finite(scores.overall, 'overall'),
    };
  }
  const base = finite(scores.base, 'base');
  const t = temporal ? finite(scores.temporal, 'temporal') : null;
  const e = environmental ? finite(scores.environmental, 'environmental') : null;
  return { base, temporal: t, environmental: e, overall: e ?? t ?? base };
}
