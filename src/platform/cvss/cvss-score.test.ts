import * as calculatorModule from 'ae-cvss-calculator';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { CVSS_CACHE_SIZE, scoreCvss } from './cvss-score.js';
import { cvssSeverity } from './cvss-severity.js';
import { roundHalfUp1 } from './cvss-v2-formulas.js';

const cvssCalculator = calculatorModule.default ?? calculatorModule;

describe('scoreCvss', () => {
  it('scores the well-known base vectors of each version', () => {
    // Published examples: NVD's and FIRST's calculators show these.
    expect(scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H').base).toEqual({ score: 9.8, severity: 'critical' });
    expect(scoreCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N').base).toEqual({ score: 9.3, severity: 'critical' });
    expect(scoreCvss('AV:N/AC:L/Au:N/C:C/I:C/A:C').base).toEqual({ score: 10, severity: 'high' });
    expect(scoreCvss('AV:N/AC:L/Au:N/C:P/I:P/A:P').base).toEqual({ score: 7.5, severity: 'high' });
  });

  it('reports temporal and environmental scores only where the vector gives those metrics', () => {
    const base = scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    expect(base.temporal).toBeNull();
    expect(base.environmental).toBeNull();
    expect(base.threat).toBeNull();
    expect(base.overall).toEqual({ score: 9.8, severity: 'critical', nomenclature: 'CVSS-B' });
  });

  it('takes the overall score from the most specific group given', () => {
    // Red Hat's vectors_calculator3: (3.8, 3.7, 3.7) — base, temporal, and environmental with E:F folded in.
    const temporal = scoreCvss('CVSS:3.0/S:U/AV:N/AC:L/PR:H/UI:N/C:L/I:L/A:N/E:F/RL:X');
    expect(temporal.vector).toBe('CVSS:3.0/AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N/E:F');
    expect(temporal.base.score).toBe(3.8);
    expect(temporal.temporal?.score).toBe(3.7);
    expect(temporal.overall).toEqual({ score: 3.7, severity: 'low', nomenclature: 'CVSS-BT' });
    // Red Hat's vectors_cvsslib3: (5.8, 5.2, 7.4).
    const all = scoreCvss(
      'CVSS:3.0/AV:L/AC:L/PR:H/UI:R/S:U/C:H/I:N/A:H/E:H/RL:W/RC:U/CR:H/IR:H/AR:M/MAV:L/MAC:L/MPR:H/MUI:N/MS:C/MC:N/MI:H/MA:L',
    );
    expect([all.base.score, all.temporal?.score, all.environmental?.score]).toEqual([5.8, 5.2, 7.4]);
    expect(all.overall).toEqual({ score: 7.4, severity: 'high', nomenclature: 'CVSS-BTE' });
  });

  it('v4: base is CVSS-B, threat is CVSS-BT, overall takes every group', () => {
    // Red Hat's vectors_threat4: this base with E:A (which weighs as Not Defined) scores 7.3, with E:U 4.1.
    const scored = scoreCvss('CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:U');
    expect(scored.base).toEqual({ score: 7.3, severity: 'high' });
    expect(scored.threat).toEqual({ score: 4.1, severity: 'medium' });
    expect(scored.temporal).toBeNull();
    expect(scored.environmental).toBeNull();
    expect(scored.overall).toEqual({ score: 4.1, severity: 'medium', nomenclature: 'CVSS-BT' });
  });

  it('v4: supplemental metrics change no score', () => {
    const plain = scoreCvss('CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H');
    const supplemented = scoreCvss('CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/S:P/AU:Y/U:Red');
    expect(supplemented.overall).toEqual(plain.overall);
    expect(supplemented.metrics['U']).toBe('Red');
  });

  it('v2: rounds half up on decimal values where the library rounds binary noise down', () => {
    // Base 9.0 (Red Hat); temporal = round_to_1_decimal(9.0 × E:F 0.95 × 1 × 1) = round(8.55) = 8.6.
    const vector = 'AV:N/AC:L/Au:S/C:C/I:C/A:C/E:F/RL:U/RC:C';
    expect(scoreCvss(vector).temporal?.score).toBe(8.6);
    // Canary: the day ae-cvss-calculator fixes this, cvss-v2-formulas.ts can give way to it.
    expect(new cvssCalculator.Cvss2(vector).calculateScores().temporal).toBe(8.5);
  });

  it('v2: environmental score recomputes the rounded base and temporal equations with the adjusted impact', () => {
    // By hand from the v2 guide §3.2:
    // AdjustedImpact = 10.41 × (1 − (1 − 0)(1 − 0.275×1.51)(1 − 0.66×0.5)) = 6.331544…
    // Exploitability = 20 × 0.646 × 0.71 × 0.45 = 4.127940
    // AdjustedBase = round((0.6×6.331544 + 0.4×4.127940 − 1.5) × 1.176) = round(4.645325) = 4.6
    // AdjustedTemporal = round(4.6 × 0.95 × 0.95 × 1) = round(4.1515) = 4.2
    // Environmental = round((4.2 + 5.8 × 0) × 0.25) = round(1.05) = 1.1
    const vector = 'AV:A/AC:L/Au:M/C:N/I:P/A:C/E:F/RL:W/RC:ND/CDP:N/TD:L/CR:M/IR:H/AR:L';
    const scored = scoreCvss(vector);
    expect(scored.base.score).toBe(5.7); // round((0.6×7.843935 + 0.4×4.127940 − 1.5) × 1.176) = round(5.712463)
    expect(scored.temporal?.score).toBe(5.1); // round(5.7 × 0.95 × 0.95) = round(5.14425)
    expect(scored.environmental?.score).toBe(1.1);
    // The library keeps the adjusted scores unrounded and gets 1.0.
    expect(new cvssCalculator.Cvss2(vector).calculateScores().environmental).toBe(1);
  });

  it('v2: a vector with no impact scores 0, never -0', () => {
    expect(Object.is(scoreCvss('AV:L/AC:H/Au:M/C:N/I:N/A:N').base.score, 0)).toBe(true);
  });

  it('rejects a malformed vector with an InputError naming the metric', () => {
    expect(() => scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q')).toThrow(InputError);
    expect(() => scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q')).toThrow(/A: 'Q'/);
  });
});

describe('scoreCvss cache', () => {
  const V = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
  // Distinct valid v3.1 vectors: every base combination over AV × AC × PR × UI × S × C × I × A (2,592).
  const distinct = (count: number) => {
    const out: string[] = [];
    for (const av of 'NALP')
      for (const ac of 'LH')
        for (const pr of 'NLH')
          for (const ui of 'NR')
            for (const s of 'UC')
              for (const c of 'HLN')
                for (const i of 'HLN')
                  for (const a of 'HLN') {
                    for (const e of ['', '/E:U', '/E:P', '/E:F'])
                      for (const rl of ['', '/RL:O', '/RL:T'])
                        out.push(`CVSS:3.1/AV:${av}/AC:${ac}/PR:${pr}/UI:${ui}/S:${s}/C:${c}/I:${i}/A:${a}${e}${rl}`);
                  }
    return out.filter((v) => v !== V).slice(0, count);
  };

  it('returns the same frozen result for the same vector', () => {
    const first = scoreCvss(V);
    expect(scoreCvss(` ${V} `)).toBe(first);
    expect(Object.isFrozen(first.base)).toBe(true);
    expect(() => {
      (first.base as { score: number }).score = 0;
    }).toThrow(TypeError);
  });

  it('keeps the CVSS_CACHE_SIZE most recently used vectors, and drops older ones in time', () => {
    const first = scoreCvss(V);
    const others = distinct(2 * CVSS_CACHE_SIZE);
    expect(others).toHaveLength(2 * CVSS_CACHE_SIZE);
    others.slice(0, CVSS_CACHE_SIZE - 1).forEach((v) => scoreCvss(v));
    expect(scoreCvss(V)).toBe(first); // still there, and now the most recent
    others.forEach((v) => scoreCvss(v));
    const again = scoreCvss(V);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });

  it('does not remember rejections', () => {
    expect(() => scoreCvss('CVSS:3.1/AV:N')).toThrow(InputError);
    expect(() => scoreCvss('CVSS:3.1/AV:N')).toThrow(InputError);
  });
});

describe('cvssSeverity', () => {
  it('uses the v3/v4 scale at its boundaries', () => {
    const at = (scores: number[]) => scores.map((s) => cvssSeverity(s, '3.1'));
    expect(at([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10])).toEqual([
      'none',
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
      'critical',
      'critical',
    ]);
    expect(cvssSeverity(0, '4.0')).toBe('none');
  });

  it("uses NVD's three-level scale for v2", () => {
    expect([0, 3.9, 4, 6.9, 7, 10].map((s) => cvssSeverity(s, '2.0'))).toEqual(['low', 'low', 'medium', 'medium', 'high', 'high']);
  });
});

describe('roundHalfUp1', () => {
  it('rounds the decimal value half up', () => {
    expect([8.549999999999999, 1.05, 4.1515, 0.04, 9.96].map(roundHalfUp1)).toEqual([8.6, 1.1, 4.2, 0, 10]);
  });
});
