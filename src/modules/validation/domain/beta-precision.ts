/**
 * A reporter's precision — the share of its decided reports that were valid — smoothed with a Beta prior,
 * so that a reporter with two reports is neither a saint nor a villain. With prior Beta(α, β) and `v` valid,
 * `i` invalid reports, the posterior is Beta(α + v, β + i); we report its mean, its standard deviation and
 * the central 90 % credible interval (the 5th and 95th percentiles).
 */

export interface BetaPrior {
  readonly alpha: number;
  readonly beta: number;
}

export interface Precision {
  readonly valid: number;
  readonly invalid: number;
  readonly prior: BetaPrior;
  /** (α + v) / (α + β + v + i). */
  readonly mean: number;
  /** Standard deviation of the posterior: √(ab / ((a + b)² (a + b + 1))). */
  readonly sd: number;
  /** The central 90 % credible interval. */
  readonly low: number;
  readonly high: number;
}

export const CREDIBLE_LEVEL = 0.9;

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

// Lanczos approximation (g = 7, n = 9): |error| < 1e-13 for positive arguments, plenty for four decimals.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0] ?? 1;
  for (let i = 1; i < LANCZOS.length; i++) sum += (LANCZOS[i] ?? 0) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Continued fraction of the incomplete beta function (modified Lentz), as in Numerical Recipes §6.4. */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return h;
}

/** The Beta(a, b) distribution function: the regularized incomplete beta function I_x(a, b). */
export function betaCdf(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The fraction converges fast below the mean; above it, use the symmetry I_x(a, b) = 1 − I_{1−x}(b, a).
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** The p-quantile of Beta(a, b), by bisection on the distribution function (monotone, so it always converges). */
export function betaQuantile(p: number, a: number, b: number): number {
  let low = 0;
  let high = 1;
  for (let i = 0; i < 80; i++) {
    const mid = (low + high) / 2;
    if (betaCdf(mid, a, b) < p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** The smoothed precision of `valid` and `invalid` decided reports under `prior`, rounded to four decimals. */
export function smoothedPrecision(valid: number, invalid: number, prior: BetaPrior): Precision {
  const a = prior.alpha + valid;
  const b = prior.beta + invalid;
  const tail = (1 - CREDIBLE_LEVEL) / 2;
  return {
    valid,
    invalid,
    prior,
    mean: round4(a / (a + b)),
    sd: round4(Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1)))),
    low: round4(betaQuantile(tail, a, b)),
    high: round4(betaQuantile(1 - tail, a, b)),
  };
}
