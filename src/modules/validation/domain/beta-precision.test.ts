import { describe, expect, it } from 'vitest';
import { betaCdf, betaQuantile, smoothedPrecision } from './beta-precision.js';

const uniform = { alpha: 1, beta: 1 };

describe('smoothed precision with a Beta prior', () => {
  it('is the prior alone for a reporter with no decided reports: Beta(1, 1) has mean 0.5, sd √(1/12), 90 % interval [0.05, 0.95]', () => {
    expect(smoothedPrecision(0, 0, uniform)).toEqual({
      valid: 0,
      invalid: 0,
      prior: uniform,
      mean: 0.5,
      sd: 0.2887,
      low: 0.05,
      high: 0.95,
    });
  });

  it('matches hand-computed values for 3 valid and 1 invalid: Beta(4, 2)', () => {
    const p = smoothedPrecision(3, 1, uniform);
    // mean 4/6; sd √(4·2 / (6²·7)) = √(8/252); I_x(4, 2) = 5x⁴ − 4x⁵ solved for 0.05 and 0.95.
    expect(p).toMatchObject({ mean: 0.6667, sd: 0.1782, low: 0.3426, high: 0.9236 });
    const cdf = (x: number) => 5 * x ** 4 - 4 * x ** 5;
    expect(cdf(betaQuantile(0.05, 4, 2))).toBeCloseTo(0.05, 10);
    expect(cdf(betaQuantile(0.95, 4, 2))).toBeCloseTo(0.95, 10);
  });

  it('matches the closed form for 0 valid and 2 invalid: Beta(1, 3), whose CDF is 1 − (1 − x)³', () => {
    const p = smoothedPrecision(0, 2, uniform);
    expect(p.mean).toBe(0.25);
    expect(p.sd).toBe(0.1936); // √(1·3 / (4²·5)) = √0.0375
    expect(p.low).toBeCloseTo(1 - 0.95 ** (1 / 3), 4); // 0.0170
    expect(p.high).toBeCloseTo(1 - 0.05 ** (1 / 3), 4); // 0.6316
  });

  it('narrows as evidence accumulates, around the observed rate', () => {
    const few = smoothedPrecision(1, 9, uniform);
    const many = smoothedPrecision(100, 900, uniform);
    expect(few.mean).toBe(0.1667); // 2/12
    expect(many.mean).toBe(0.1008); // 101/1002 = 0.10080
    expect(many.high - many.low).toBeLessThan((few.high - few.low) / 4);
    expect(many.low).toBeLessThan(0.1);
    expect(many.high).toBeGreaterThan(0.1);
  });

  it('takes any positive prior, e.g. a sceptical Beta(1, 3)', () => {
    expect(smoothedPrecision(0, 0, { alpha: 1, beta: 3 }).mean).toBe(0.25);
    expect(smoothedPrecision(2, 0, { alpha: 1, beta: 3 }).mean).toBe(0.5);
  });

  it('has a distribution function that agrees with the symmetric and uniform cases', () => {
    expect(betaCdf(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(betaCdf(0.5, 7, 7)).toBeCloseTo(0.5, 12);
    expect(betaCdf(0.2, 2, 5) + betaCdf(0.8, 5, 2)).toBeCloseTo(1, 12);
    expect(betaCdf(0, 2, 2)).toBe(0);
    expect(betaCdf(1, 2, 2)).toBe(1);
    // I_x(2, 2) = 3x² − 2x³
    expect(betaCdf(0.25, 2, 2)).toBeCloseTo(3 * 0.0625 - 2 * 0.015625, 12);
  });
});
