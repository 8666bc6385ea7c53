import { readFileSync, readdirSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import { scoreCvss, type CvssScores } from './cvss-score.js';

/**
 * Every vector of Red Hat's CVSS test suite (RedHatProductSecurity/cvss, tests/vectors_*). Lines read
 * `VECTOR - (base, temporal, environmental)` for v2/v3, with `None` where v2 defines no such score, and
 * `VECTOR - score` or `VECTOR - (score,)` for v4.
 *
 * Red Hat reports v3 temporal and environmental scores even for vectors that define none of those metrics
 * (the equations with every metric Not Defined); we report null there. Those values are still checked: the
 * specification gives Not Defined the same weight as E:H, RL:U, RC:C and CR/IR/AR:M (v3.0 and v3.1 §7.2–7.3),
 * so the same vector with those values spelled out must score what Red Hat says.
 */

const DIR = 'cvss/redhat-cvss/tests';
const FILES = [
  'vectors_calculator2',
  'vectors_calculator3',
  'vectors_cvsslib2',
  'vectors_cvsslib3',
  'vectors_security4',
  'vectors_simple2',
  'vectors_simple3',
  'vectors_simple31',
  'vectors_simple4',
  'vectors_supplemental4',
  'vectors_threat4',
];
const NEUTRAL_TEMPORAL = '/E:H/RL:U/RC:C';
const NEUTRAL_ENVIRONMENTAL = '/CR:M/IR:M/AR:M';

function oneDecimal(value: number): string {
  return value.toFixed(1); // also maps Red Hat's -0.0 (a Decimal artefact of f(0) = 0) onto 0.0
}

function readLines(file: string): string[] {
  return readFileSync(sharedData(DIR, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

/** The differences between Red Hat's expectation on one line and our scores, as readable strings. */
function mismatches(line: string): string[] {
  const [vector = '', expected = ''] = line.split(' - ');
  const wanted = expected
    .replace(/[()]/g, '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const scores = scoreCvss(vector);
  const out: string[] = [];
  const check = (what: string, got: number | null, want: string | undefined) => {
    const gotText = got === null ? 'None' : oneDecimal(got);
    const wantText = want === undefined || want === 'None' ? 'None' : oneDecimal(Number(want));
    if (gotText !== wantText) out.push(`${vector} ${what}: got ${gotText}, Red Hat ${wantText}`);
  };
  if (scores.version === '4.0') {
    check('score', scores.overall.score, wanted[0]);
    return out;
  }
  check('base', scores.base.score, wanted[0]);
  if (scores.version === '2.0') {
    check('temporal', scores.temporal?.score ?? null, wanted[1]);
    check('environmental', scores.environmental?.score ?? null, wanted[2]);
    return out;
  }
  const spelledOut = (suffix: string, pick: (s: CvssScores) => number | undefined) => pick(scoreCvss(vector + suffix)) ?? null;
  check('temporal', scores.temporal?.score ?? spelledOut(NEUTRAL_TEMPORAL, (s) => s.temporal?.score), wanted[1]);
  check('environmental', scores.environmental?.score ?? spelledOut(NEUTRAL_ENVIRONMENTAL, (s) => s.environmental?.score), wanted[2]);
  return out;
}

describeWithData('CVSS: Red Hat reference vectors', DIR, () => {
  it('the corpus holds exactly the eleven vector files this test reads', () => {
    expect(
      readdirSync(sharedData(DIR))
        .filter((f) => f.startsWith('vectors_'))
        .sort(),
    ).toEqual(FILES);
  });

  it('holds 7,667 vectors in all, so none is silently left out', () => {
    expect(FILES.reduce((n, file) => n + readLines(file).length, 0)).toBe(7667);
  });

  for (const file of FILES) {
    it(`${file}: every vector scores as Red Hat says`, () => {
      const lines = readLines(file);
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.flatMap(mismatches)).toEqual([]);
    });
  }
});
