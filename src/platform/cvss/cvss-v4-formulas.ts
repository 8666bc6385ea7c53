import { CVSS_METRICS } from './cvss-metrics.js';
import { CVSS_V4_DEPTHS, CVSS_V4_MACROVECTOR_SCORES, CVSS_V4_MAX_VECTORS } from './cvss-v4-macrovectors.js';

/**
 * CVSS v4.0 scores by the specification's MacroVector method (§8.2), written here because ae-cvss-calculator
 * builds and compares dozens of vector objects per score and manages about 1,000 v4 vectors a second,
 * where a re-prioritization needs tens of thousands. Each metric value is a severity level (0 the most
 * severe); the vector's MacroVector (its six EQ levels) gives a score from FIRST's table, from which the
 * vector's severity distance below its class's highest-severity vector is subtracted in proportion to how
 * far the next lower MacroVector's score lies. Arithmetic follows ae-cvss-calculator step for step (whole
 * steps, the same order of operations and its rounding epsilon), so that both give bit-identical scores;
 * the tests check that on every published vector and a large random sample.
 */

/** Slots of the level arrays, in this order. */
const SLOTS = ['AV', 'PR', 'UI', 'AC', 'AT', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA', 'CR', 'IR', 'AR', 'E'] as const;
const [AV, PR, UI, AC, AT, VC, VI, VA, SC, SI, SA, CR, IR, AR] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13] as const;

const VULNERABLE = { H: 0, L: 1, N: 2 };
// Subsequent-system impacts share one scale with Safety on top, which only MSI and MSA can reach.
const SUBSEQUENT = { S: 0, H: 1, L: 2, N: 3 };
const REQUIREMENT = { H: 0, M: 1, L: 2 };

/** Metric → value → severity level, most severe first, as FIRST's calculator orders them. */
const LEVELS: Readonly<Record<(typeof SLOTS)[number], Readonly<Record<string, number>>>> = {
  AV: { N: 0, A: 1, L: 2, P: 3 },
  PR: { N: 0, L: 1, H: 2 },
  UI: { N: 0, P: 1, A: 2 },
  AC: { L: 0, H: 1 },
  AT: { N: 0, P: 1 },
  VC: VULNERABLE,
  VI: VULNERABLE,
  VA: VULNERABLE,
  SC: SUBSEQUENT,
  SI: SUBSEQUENT,
  SA: SUBSEQUENT,
  CR: REQUIREMENT,
  IR: REQUIREMENT,
  AR: REQUIREMENT,
  E: { A: 0, P: 1, U: 2 },
};

const PHYSICAL = 3;
const VULNERABLE_NONE = VULNERABLE.N;
const SUBSEQUENT_NONE = SUBSEQUENT.N;
const SUBSEQUENT_HIGH = SUBSEQUENT.H;
const SAFETY = SUBSEQUENT.S;

function levelsOf(text: string): number[] {
  const levels: number[] = [];
  for (const part of text.split('/')) {
    const [key = '', value = ''] = part.split(':');
    const slot = SLOTS.indexOf(key as (typeof SLOTS)[number]);
    levels[slot] = LEVELS[key as (typeof SLOTS)[number]][value] ?? Number.NaN;
  }
  return levels;
}

const maxLevels = (vectors: readonly (readonly string[])[]) => vectors.map((level) => level.map(levelsOf));
const EQ1_MAX = maxLevels(CVSS_V4_MAX_VECTORS.eq1);
const EQ2_MAX = maxLevels(CVSS_V4_MAX_VECTORS.eq2);
const EQ4_MAX = maxLevels(CVSS_V4_MAX_VECTORS.eq4);
// EQ3 and EQ6 are read together; indexed by eq3 * 2 + eq6 (the combination 2,0 cannot occur).
const EQ36_KEYS = ['00', '01', '10', '11', '20', '21'] as const;
const EQ36_MAX = EQ36_KEYS.map((k) => (k === '20' ? [] : CVSS_V4_MAX_VECTORS.eq3eq6[k].map(levelsOf)));
const EQ36_DEPTH = EQ36_KEYS.map((k) => (k === '20' ? 0 : CVSS_V4_DEPTHS.eq3eq6[k]));

// The lookup table by index, NaN where no MacroVector exists: a missing "next lower" MacroVector reads NaN.
const LEVEL_COUNTS = [3, 2, 3, 3, 3, 2] as const;
const MACRO_SCORES = new Float64Array(LEVEL_COUNTS.reduce((n, c) => n * c, 1)).fill(Number.NaN);
for (const [macroVector, score] of CVSS_V4_MACROVECTOR_SCORES) {
  const [e1, e2, e3, e4, e5, e6] = [...macroVector].map(Number) as [number, number, number, number, number, number];
  MACRO_SCORES[macroIndex(e1, e2, e3, e4, e5, e6)] = score;
}

function macroIndex(e1: number, e2: number, e3: number, e4: number, e5: number, e6: number): number {
  return ((((e1 * 2 + e2) * 3 + e3) * 3 + e4) * 3 + e5) * 2 + e6;
}

function macroScore(e1: number, e2: number, e3: number, e4: number, e5: number, e6: number): number {
  if (e1 > 2 || e2 > 1 || e3 > 2 || e4 > 2 || e5 > 2 || e6 > 1) return Number.NaN;
  return MACRO_SCORES[macroIndex(e1, e2, e3, e4, e5, e6)] ?? Number.NaN;
}

const ROUNDING_EPSILON = Math.pow(10, -6);

/** The next lower joint EQ3/EQ6 MacroVector's score: the higher of the two ways down from (0, 0). */
function nextLowerEq36(e1: number, e2: number, e3: number, e4: number, e5: number, e6: number): number {
  if (e6 === 1 && e3 < 2) return macroScore(e1, e2, e3 + 1, e4, e5, e6);
  if (e3 === 1 && e6 === 0) return macroScore(e1, e2, e3, e4, e5, e6 + 1);
  if (e3 === 0 && e6 === 0) {
    const left = macroScore(e1, e2, e3, e4, e5, e6 + 1);
    const right = macroScore(e1, e2, e3 + 1, e4, e5, e6);
    if (Number.isNaN(left)) return right;
    return Number.isNaN(right) ? left : Math.max(left, right);
  }
  return Number.NaN;
}

/** Every metric but Exploit Maturity is compared with a highest-severity vector. */
const COMPARED = [AV, PR, UI, AC, AT, VC, VI, VA, SC, SI, SA, CR, IR, AR] as const;

/**
 * The highest-severity vectors of each combination of EQ1, EQ2, EQ4 and joint EQ3/EQ6 levels, composed
 * into whole level arrays once, in FIRST's order (EQ1 outermost, joint EQ3/EQ6 innermost; EQ4 and EQ5 have
 * one each).
 */
const CANDIDATES = new Map<string, readonly (readonly number[])[]>();
EQ1_MAX.forEach((eq1s, e1) =>
  EQ2_MAX.forEach((eq2s, e2) =>
    EQ4_MAX.forEach((eq4s, e4) =>
      EQ36_MAX.forEach((eq36s, e36) => {
        const composed = eq1s.flatMap((eq1) =>
          eq2s.flatMap((eq2) =>
            eq4s.flatMap((eq4) =>
              eq36s.map((eq36) => {
                const levels = new Array<number>(SLOTS.length).fill(0);
                for (const part of [eq1, eq2, eq4, eq36]) part.forEach((level, slot) => (levels[slot] = level));
                return levels;
              }),
            ),
          ),
        );
        CANDIDATES.set(`${e1}${e2}${e4}${e36}`, composed);
      }),
    ),
  ),
);

/**
 * Severity distances, by slot, from the first candidate the scored vector does not exceed in any metric;
 * all zero when none qualifies, as in the reference implementations.
 */
function distances(l: readonly number[], e1: number, e2: number, e4: number, e36: number): readonly number[] {
  for (const max of CANDIDATES.get(`${e1}${e2}${e4}${e36}`) ?? []) {
    if (COMPARED.every((slot) => (l[slot] ?? 0) >= (max[slot] ?? 0))) return COMPARED.map((slot) => (l[slot] ?? 0) - (max[slot] ?? 0));
  }
  return COMPARED.map(() => 0);
}

/** The score of a vector given as the effective severity level of each slot. */
function scoreLevels(l: readonly number[]): number {
  const [av = 0, pr = 0, ui = 0, ac = 0, at = 0, vc = 0, vi = 0, va = 0, sc = 0, si = 0, sa = 0, cr = 0, ir = 0, ar = 0, e = 0] = l;
  if (
    vc === VULNERABLE_NONE &&
    vi === VULNERABLE_NONE &&
    va === VULNERABLE_NONE &&
    sc === SUBSEQUENT_NONE &&
    si === SUBSEQUENT_NONE &&
    sa === SUBSEQUENT_NONE
  ) {
    return 0;
  }
  const e1 = av === 0 && pr === 0 && ui === 0 ? 0 : (av === 0 || pr === 0 || ui === 0) && av !== PHYSICAL ? 1 : 2;
  const e2 = ac === 0 && at === 0 ? 0 : 1;
  const e3 = vc === 0 && vi === 0 ? 0 : vc === 0 || vi === 0 || va === 0 ? 1 : 2;
  const e4 = si === SAFETY || sa === SAFETY ? 0 : sc === SUBSEQUENT_HIGH || si === SUBSEQUENT_HIGH || sa === SUBSEQUENT_HIGH ? 1 : 2;
  const e5 = e;
  const e6 = (cr === 0 && vc === 0) || (ir === 0 && vi === 0) || (ar === 0 && va === 0) ? 0 : 1;
  const e36 = e3 * 2 + e6;
  const value = macroScore(e1, e2, e3, e4, e5, e6);
  const [dAV = 0, dPR = 0, dUI = 0, dAC = 0, dAT = 0, dVC = 0, dVI = 0, dVA = 0, dSC = 0, dSI = 0, dSA = 0, dCR = 0, dIR = 0, dAR = 0] =
    distances(l, e1, e2, e4, e36);

  // Per class: the share of the class's depth the vector lies below its highest-severity vector, times
  // the drop to the next lower MacroVector; classes without a lower MacroVector are left out of the mean.
  // Summed in ae-cvss-calculator's order (EQ1, EQ2, EQ4, EQ5, EQ3+EQ6) so that the floating point agrees.
  let sum = 0;
  let count = 0;
  const add = (distance: number, depth: number, lower: number) => {
    const available = value - lower;
    if (!Number.isNaN(available) && depth !== 0) {
      sum += (distance / depth) * available;
      count += 1;
    }
  };
  add(dAV + dPR + dUI, CVSS_V4_DEPTHS.eq1[e1] ?? 0, macroScore(e1 + 1, e2, e3, e4, e5, e6));
  add(dAC + dAT, CVSS_V4_DEPTHS.eq2[e2] ?? 0, macroScore(e1, e2 + 1, e3, e4, e5, e6));
  add(dSC + dSI + dSA, CVSS_V4_DEPTHS.eq4[e4] ?? 0, macroScore(e1, e2, e3, e4 + 1, e5, e6));
  add(0, CVSS_V4_DEPTHS.eq5[e5] ?? 0, macroScore(e1, e2, e3, e4, e5 + 1, e6));
  add(dVC + dVI + dVA + dCR + dIR + dAR, EQ36_DEPTH[e36] ?? 0, nextLowerEq36(e1, e2, e3, e4, e5, e6));

  const score = value - (count === 0 ? 0 : sum / count);
  if (score < 0) return 0;
  if (score > 10) return 10;
  return Math.round(10 * (score + ROUNDING_EPSILON)) / 10;
}

/** Which metric groups a score takes in; the others count as Not Defined. */
interface Groups {
  readonly threat: boolean;
  readonly environmental: boolean;
}

/** Where a slot's value is read from (`CvssVector.codes`), with the level of each value code. */
interface Source {
  readonly position: number;
  readonly levelByCode: readonly number[];
}

function source(key: string, levels: Readonly<Record<string, number>>): Source {
  const position = CVSS_METRICS['4.0'].findIndex((spec) => spec.key === key);
  const spec = CVSS_METRICS['4.0'][position];
  if (spec === undefined) throw new Error(`CVSS v4.0 has no metric ${key}`);
  return { position, levelByCode: spec.values.map((value) => levels[value] ?? Number.NaN) };
}

// Per slot: its metric, the environmental metric that modifies it, and the level Not Defined stands for
// where that is the worst case (Exploit Maturity and the security requirements, §4.1–4.2).
const SLOT_SOURCES = SLOTS.map((key) => {
  const worstCase = key === 'E' || key === 'CR' || key === 'IR' || key === 'AR' ? 0 : null;
  return {
    own: source(key, LEVELS[key]),
    modified: worstCase === null ? source(`M${key}`, LEVELS[key]) : null,
    worstCase,
    threat: key === 'E',
  };
});

function read(from: Source, codes: readonly number[]): number {
  const code = codes[from.position] ?? -1;
  return code < 0 ? -1 : (from.levelByCode[code] ?? Number.NaN);
}

function effectiveLevels(codes: readonly number[], groups: Groups): number[] {
  const levels = new Array<number>(SLOT_SOURCES.length);
  for (let slot = 0; slot < SLOT_SOURCES.length; slot += 1) {
    const { own, modified, worstCase, threat } = SLOT_SOURCES[slot] as (typeof SLOT_SOURCES)[number];
    if (worstCase !== null) {
      const level = (threat ? groups.threat : groups.environmental) ? read(own, codes) : -1;
      levels[slot] = level < 0 ? worstCase : level;
    } else {
      // A modified base metric replaces the base value (§4.2); MSI and MSA may raise it to Safety.
      const level = groups.environmental && modified !== null ? read(modified, codes) : -1;
      levels[slot] = level < 0 ? read(own, codes) : level;
    }
  }
  return levels;
}

/** The v4.0 scores of a parsed vector, in CVSS v4.0's nomenclature. */
export interface CvssV4Scores {
  /** CVSS-B: the base metrics alone. */
  readonly base: number;
  /** CVSS-BT, or null when the vector defines no threat metric. */
  readonly threat: number | null;
  /** CVSS-BE, or null when the vector defines no environmental metric. */
  readonly environmental: number | null;
  /** Everything the vector defines (CVSS-B, -BT, -BE or -BTE). */
  readonly overall: number;
}

/**
 * Scores a CVSS v4.0 vector that passed the grammar (`parseCvssVector`), given by its `codes`.
 * Supplemental metrics never change a score and are ignored.
 */
export function cvssV4Scores(codes: readonly number[], defines: Groups): CvssV4Scores {
  const overall = scoreLevels(effectiveLevels(codes, defines));
  const only = (groups: Groups, when: boolean) =>
    !when
      ? null
      : groups.threat === defines.threat && groups.environmental === defines.environmental
        ? overall
        : scoreLevels(effectiveLevels(codes, groups));
  return {
    base: only({ threat: false, environmental: false }, true) ?? overall,
    threat: only({ threat: true, environmental: false }, defines.threat),
    environmental: only({ threat: false, environmental: true }, defines.environmental),
    overall,
  };
}
