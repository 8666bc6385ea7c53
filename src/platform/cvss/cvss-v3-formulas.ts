import { CVSS_METRICS } from './cvss-metrics.js';

/**
 * CVSS v3.0 and v3.1 equations (v3.1 specification §7.1–7.4 and Appendix A; v3.0 §8), written here because
 * ae-cvss-calculator's object model scores about 60,000 vectors a second and a re-prioritization wants
 * more. Constants, order of operations and rounding follow ae-cvss-calculator exactly (it scores every
 * published vector right), so both give bit-identical scores; the tests check that on every published
 * vector and a large random sample. v3.0 and v3.1 differ in Roundup and in the modified impact of a
 * changed scope.
 *
 * Metrics are read by position (`CvssVector.codes`): a metric-name lookup on objects of a hundred
 * different shapes was the slowest part of scoring.
 */

const SPECS = CVSS_METRICS['3.1']; // v3.0 and v3.1 share one grammar

/** One metric's weights, aligned with its values in the grammar. */
interface Weights {
  readonly slot: number;
  readonly byCode: readonly number[];
  /** The weight when the metric is absent or Not Defined; NaN where that cannot happen (base metrics). */
  readonly absent: number;
}

function weights(key: string, table: Readonly<Record<string, number>>, absent = Number.NaN): Weights {
  const slot = SPECS.findIndex((spec) => spec.key === key);
  const spec = SPECS[slot];
  if (spec === undefined) throw new Error(`CVSS v3 has no metric ${key}`);
  return { slot, byCode: spec.values.map((value) => table[value] ?? absent), absent };
}

const CIA = { H: 0.56, L: 0.22, N: 0 };
const AV_WEIGHTS = { N: 0.85, A: 0.62, L: 0.55, P: 0.2 };
const AC_WEIGHTS = { L: 0.77, H: 0.44 };
const PR_UNCHANGED = { N: 0.85, L: 0.62, H: 0.27 };
const PR_CHANGED = { N: 0.85, L: 0.68, H: 0.5 };
const UI_WEIGHTS = { N: 0.85, R: 0.62 };
const REQUIREMENT = { L: 0.5, M: 1, H: 1.5 };

const AV = weights('AV', AV_WEIGHTS);
const AC = weights('AC', AC_WEIGHTS);
const PR = weights('PR', PR_UNCHANGED);
const PR_IF_CHANGED = weights('PR', PR_CHANGED);
const UI = weights('UI', UI_WEIGHTS);
const C = weights('C', CIA);
const I = weights('I', CIA);
const A = weights('A', CIA);
// Not Defined weighs 1 in the temporal metrics and the security requirements.
const E = weights('E', { U: 0.91, P: 0.94, F: 0.97, H: 1 }, 1);
const RL = weights('RL', { O: 0.95, T: 0.96, W: 0.97, U: 1 }, 1);
const RC = weights('RC', { U: 0.92, R: 0.96, C: 1 }, 1);
const CR = weights('CR', REQUIREMENT, 1);
const IR = weights('IR', REQUIREMENT, 1);
const AR = weights('AR', REQUIREMENT, 1);
const MAV = weights('MAV', AV_WEIGHTS);
const MAC = weights('MAC', AC_WEIGHTS);
const MPR = weights('MPR', PR_UNCHANGED);
const MPR_IF_CHANGED = weights('MPR', PR_CHANGED);
const MUI = weights('MUI', UI_WEIGHTS);
const MC = weights('MC', CIA);
const MI = weights('MI', CIA);
const MA = weights('MA', CIA);
const SCOPE_CHANGED = weights('S', { U: 0, C: 1 });
const MODIFIED_SCOPE_CHANGED = weights('MS', { U: 0, C: 1 });

const EXPLOITABILITY_COEFFICIENT = 8.22;
const SCOPE_COEFFICIENT = 1.08;
const SCOPE_UNCHANGED_FACTOR = 6.42;
const SCOPE_CHANGED_FACTOR = 7.52;

type Codes = readonly number[];

function w(metric: Weights, codes: Codes): number {
  const code = codes[metric.slot] ?? -1;
  return code < 0 ? metric.absent : (metric.byCode[code] ?? Number.NaN);
}

/** A modified metric left Not Defined takes the base metric's value (§7.3). */
function modified(metric: Weights, base: Weights, codes: Codes): number {
  return (codes[metric.slot] ?? -1) < 0 ? w(base, codes) : w(metric, codes);
}

/** The v3.1 Roundup (Appendix A): the smallest one-decimal number not below the input, immune to float noise. */
function roundUp31(value: number): number {
  const integer = Math.round(value * 100000);
  return integer % 10000 === 0 ? integer / 100000 : (Math.floor(integer / 10000) + 1) / 10;
}

/** The v3.0 Roundup: plain ceiling to one decimal. */
function roundUp30(value: number): number {
  return Math.ceil(value * 10) / 10;
}

/** Half-up to one decimal, applied last to every score, as ae-cvss-calculator does. */
function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Scores of a parsed v3.0 or v3.1 vector; `null` for a group the vector does not define. */
export interface CvssV3Scores {
  readonly base: number;
  readonly temporal: number | null;
  readonly environmental: number | null;
}

function baseScore(codes: Codes, roundUp: (x: number) => number): number {
  const changed = w(SCOPE_CHANGED, codes) === 1;
  const iss = 1 - (1 - w(C, codes)) * (1 - w(I, codes)) * (1 - w(A, codes));
  const impact = changed ? SCOPE_CHANGED_FACTOR * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : SCOPE_UNCHANGED_FACTOR * iss;
  if (impact <= 0) return 0;
  const pr = w(changed ? PR_IF_CHANGED : PR, codes);
  const exploitability = EXPLOITABILITY_COEFFICIENT * w(AV, codes) * w(AC, codes) * pr * w(UI, codes);
  return roundUp(Math.min(changed ? SCOPE_COEFFICIENT * (impact + exploitability) : impact + exploitability, 10));
}

function environmentalScore(version: '3.0' | '3.1', codes: Codes, roundUp: (x: number) => number): number {
  const unchanged = modified(MODIFIED_SCOPE_CHANGED, SCOPE_CHANGED, codes) !== 1;
  const miss = Math.min(
    1 -
      (1 - w(CR, codes) * modified(MC, C, codes)) *
        (1 - w(IR, codes) * modified(MI, I, codes)) *
        (1 - w(AR, codes) * modified(MA, A, codes)),
    0.915,
  );
  const changedTerm = version === '3.1' ? Math.pow(0.9731 * miss - 0.02, 13) : Math.pow(miss - 0.02, 15);
  const impact = unchanged ? SCOPE_UNCHANGED_FACTOR * miss : SCOPE_CHANGED_FACTOR * (miss - 0.029) - 3.25 * changedTerm;
  if (impact <= 0) return 0;
  const pr = unchanged ? modified(MPR, PR, codes) : modified(MPR_IF_CHANGED, PR_IF_CHANGED, codes);
  const exploitability = EXPLOITABILITY_COEFFICIENT * modified(MAV, AV, codes) * modified(MAC, AC, codes) * pr * modified(MUI, UI, codes);
  const adjusted = roundUp(Math.min(unchanged ? impact + exploitability : SCOPE_COEFFICIENT * (impact + exploitability), 10));
  return roundUp(adjusted * w(E, codes) * w(RL, codes) * w(RC, codes));
}

/**
 * The base, temporal and environmental scores of a v3.0 or v3.1 vector that passed the grammar
 * (`parseCvssVector`), given by its `codes`.
 */
export function cvssV3Scores(
  version: '3.0' | '3.1',
  codes: Codes,
  defines: { readonly temporal: boolean; readonly environmental: boolean },
): CvssV3Scores {
  const roundUp = version === '3.1' ? roundUp31 : roundUp30;
  const base = baseScore(codes, roundUp);
  const temporal = defines.temporal ? round1(roundUp(base * w(E, codes) * w(RL, codes) * w(RC, codes))) : null;
  const environmental = defines.environmental ? round1(environmentalScore(version, codes, roundUp)) : null;
  return { base: round1(base), temporal, environmental };
}
