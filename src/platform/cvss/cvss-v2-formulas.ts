/**
 * CVSS v2 temporal and environmental equations (CVSS v2 guide §3.2.2–3.2.3), written here instead of taken
 * from ae-cvss-calculator, whose v2 code departs from the guide in two ways:
 * - it rounds with binary floating point, so 9.0 × 0.95 = 8.549999… becomes 8.5 where the guide's
 *   `round_to_1_decimal` of 8.55 gives 8.6 (Red Hat's reference vector `AV:N/AC:L/Au:S/C:C/I:C/A:C/E:F/RL:U/RC:C`
 *   expects 8.6);
 * - its environmental score keeps the adjusted base and adjusted temporal scores unrounded and rounds the
 *   exploitability sub-score, where the guide recomputes the (rounded) base and temporal equations with the
 *   adjusted impact. About one random v2 vector in seven with environmental metrics scores 0.1 off.
 * The library's v2 *base* score agrees with the guide on every one of the 729 base vectors, so it is used
 * for that.
 */

const WEIGHTS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  AV: { L: 0.395, A: 0.646, N: 1.0 },
  AC: { H: 0.35, M: 0.61, L: 0.71 },
  Au: { M: 0.45, S: 0.56, N: 0.704 },
  C: { N: 0, P: 0.275, C: 0.66 },
  I: { N: 0, P: 0.275, C: 0.66 },
  A: { N: 0, P: 0.275, C: 0.66 },
  E: { U: 0.85, POC: 0.9, F: 0.95, H: 1, ND: 1 },
  RL: { OF: 0.87, TF: 0.9, W: 0.95, U: 1, ND: 1 },
  RC: { UC: 0.9, UR: 0.95, C: 1, ND: 1 },
  CDP: { N: 0, L: 0.1, LM: 0.3, MH: 0.4, H: 0.5, ND: 0 },
  TD: { N: 0, L: 0.25, M: 0.75, H: 1, ND: 1 },
  CR: { L: 0.5, M: 1, H: 1.51, ND: 1 },
  IR: { L: 0.5, M: 1, H: 1.51, ND: 1 },
  AR: { L: 0.5, M: 1, H: 1.51, ND: 1 },
};

/** The weight of `key` in `metrics`; an absent optional metric is Not Defined. */
function weight(metrics: Readonly<Record<string, string>>, key: string): number {
  const value = WEIGHTS[key]?.[metrics[key] ?? 'ND'];
  if (value === undefined) throw new Error(`CVSS v2 metric ${key} has no weight for '${metrics[key] ?? ''}'`);
  return value;
}

/**
 * The guide's `round_to_1_decimal`, half up, on the decimal value. Going through 12 significant digits first
 * removes the binary noise of the products (8.549999999999999 → 8.55) without touching real digits: the
 * inputs are decimals of at most three places, so the exact products have fewer significant digits than that.
 */
export function roundHalfUp1(value: number): number {
  return Math.round(Number((value * 10).toPrecision(12))) / 10 + 0;
}

function baseEquation(impact: number, metrics: Readonly<Record<string, string>>): number {
  const exploitability = 20 * weight(metrics, 'AV') * weight(metrics, 'AC') * weight(metrics, 'Au');
  const f = impact === 0 ? 0 : 1.176;
  return roundHalfUp1((0.6 * impact + 0.4 * exploitability - 1.5) * f);
}

function temporalEquation(base: number, metrics: Readonly<Record<string, string>>): number {
  return roundHalfUp1(base * weight(metrics, 'E') * weight(metrics, 'RL') * weight(metrics, 'RC'));
}

/** TemporalScore = round_to_1_decimal(BaseScore × Exploitability × RemediationLevel × ReportConfidence). */
export function cvssV2TemporalScore(baseScore: number, metrics: Readonly<Record<string, string>>): number {
  return temporalEquation(baseScore, metrics);
}

/**
 * EnvironmentalScore = round_to_1_decimal((AdjustedTemporal + (10 − AdjustedTemporal) × CDP) × TD), where
 * AdjustedTemporal is the temporal equation over the base equation with the impact replaced by
 * AdjustedImpact = min(10, 10.41 × (1 − (1 − C×CR)(1 − I×IR)(1 − A×AR))).
 */
export function cvssV2EnvironmentalScore(metrics: Readonly<Record<string, string>>): number {
  const cia = (impact: string, requirement: string) => 1 - weight(metrics, impact) * weight(metrics, requirement);
  const adjustedImpact = Math.min(10, 10.41 * (1 - cia('C', 'CR') * cia('I', 'IR') * cia('A', 'AR')));
  const adjustedTemporal = temporalEquation(baseEquation(adjustedImpact, metrics), metrics);
  return roundHalfUp1((adjustedTemporal + (10 - adjustedTemporal) * weight(metrics, 'CDP')) * weight(metrics, 'TD'));
}
