/**
 * The vector grammar of each CVSS version: which metrics exist, the values each may take, which group each
 * belongs to, and the order the specification lists them in. Written from the FIRST specifications (v2 guide
 * §2.4 and Table 13; v3.0 and v3.1 §6 and Table 15; v4.0 §7 and Table 23), not taken from the scoring
 * library: it is more lenient than the specifications (it accepts `SC:S` in a v4 base vector, `AV:ND` in a v2
 * one, missing base metrics and repeated metrics) and our parser must not be.
 */

export const CVSS_VERSIONS = ['2.0', '3.0', '3.1', '4.0'] as const;
export type CvssVersion = (typeof CVSS_VERSIONS)[number];

/** v2 and v3 call the second group "temporal", v4 "threat"; v4 adds "supplemental", which never changes a score. */
export type CvssMetricGroup = 'base' | 'temporal' | 'threat' | 'environmental' | 'supplemental';

export interface CvssMetricSpec {
  readonly key: string;
  readonly group: CvssMetricGroup;
  /** Every value allowed in a vector, "Not Defined" included for optional metrics. */
  readonly values: readonly string[];
}

/** The value that means "Not Defined": `ND` in v2, `X` from v3 on. Base metrics have none. */
export function notDefinedValue(version: CvssVersion): string {
  return version === '2.0' ? 'ND' : 'X';
}

function group(name: CvssMetricGroup, entries: Record<string, string>): CvssMetricSpec[] {
  return Object.entries(entries).map(([key, values]) => ({ key, group: name, values: values.split(' ') }));
}

const V2: readonly CvssMetricSpec[] = [
  ...group('base', { AV: 'L A N', AC: 'H M L', Au: 'M S N', C: 'N P C', I: 'N P C', A: 'N P C' }),
  ...group('temporal', { E: 'U POC F H ND', RL: 'OF TF W U ND', RC: 'UC UR C ND' }),
  ...group('environmental', { CDP: 'N L LM MH H ND', TD: 'N L M H ND', CR: 'L M H ND', IR: 'L M H ND', AR: 'L M H ND' }),
];

// v3.0 and v3.1 share one grammar; they differ only in the environmental formula and in Roundup.
const V3: readonly CvssMetricSpec[] = [
  ...group('base', { AV: 'N A L P', AC: 'L H', PR: 'N L H', UI: 'N R', S: 'U C', C: 'H L N', I: 'H L N', A: 'H L N' }),
  ...group('temporal', { E: 'X H F P U', RL: 'X U W T O', RC: 'X C R U' }),
  ...group('environmental', {
    CR: 'X H M L',
    IR: 'X H M L',
    AR: 'X H M L',
    MAV: 'X N A L P',
    MAC: 'X L H',
    MPR: 'X N L H',
    MUI: 'X N R',
    MS: 'X U C',
    MC: 'X H L N',
    MI: 'X H L N',
    MA: 'X H L N',
  }),
];

const V4: readonly CvssMetricSpec[] = [
  ...group('base', {
    AV: 'N A L P',
    AC: 'L H',
    AT: 'N P',
    PR: 'N L H',
    UI: 'N P A',
    VC: 'H L N',
    VI: 'H L N',
    VA: 'H L N',
    SC: 'H L N',
    SI: 'H L N',
    SA: 'H L N',
  }),
  ...group('threat', { E: 'X A P U' }),
  ...group('environmental', {
    CR: 'X H M L',
    IR: 'X H M L',
    AR: 'X H M L',
    MAV: 'X N A L P',
    MAC: 'X L H',
    MAT: 'X N P',
    MPR: 'X N L H',
    MUI: 'X N P A',
    // Only the subsequent-system integrity and availability metrics can be raised to Safety (S).
    MVC: 'X H L N',
    MVI: 'X H L N',
    MVA: 'X H L N',
    MSC: 'X H L N',
    MSI: 'X S H L N',
    MSA: 'X S H L N',
  }),
  ...group('supplemental', { S: 'X N P', AU: 'X N Y', R: 'X A U I', V: 'X D C', RE: 'X L M H', U: 'X Clear Green Amber Red' }),
];

/** The metrics of each version, in the order of the specification's vector-string table. */
export const CVSS_METRICS: Readonly<Record<CvssVersion, readonly CvssMetricSpec[]>> = Object.freeze({
  '2.0': V2,
  '3.0': V3,
  '3.1': V3,
  '4.0': V4,
});

const BY_KEY = new Map(CVSS_VERSIONS.map((v) => [v, new Map(CVSS_METRICS[v].map((m) => [m.key, m]))] as const));

/** The metric `key` of `version`, or undefined when the version has no such metric. */
export function cvssMetric(version: CvssVersion, key: string): CvssMetricSpec | undefined {
  return BY_KEY.get(version)?.get(key);
}
