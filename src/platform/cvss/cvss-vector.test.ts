import { describe, expect, it } from 'vitest';
import { parseCvssVector } from './cvss-vector.js';
import { rejection } from '#test-support/rejection.js';

const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const V40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
const V2 = 'AV:N/AC:L/Au:N/C:P/I:P/A:P';

const rejected = (vector: string, pointer?: string) => rejection(() => parseCvssVector(vector, pointer === undefined ? {} : { pointer }));

function details(vector: string): string[] {
  return rejected(vector).issues.map((i) => i.detail);
}

describe('parseCvssVector: accepted vectors', () => {
  it('reads the version from the prefix, and v2 from its absence', () => {
    expect(parseCvssVector(V31).version).toBe('3.1');
    expect(parseCvssVector(V31.replace('3.1', '3.0')).version).toBe('3.0');
    expect(parseCvssVector(V40).version).toBe('4.0');
    expect(parseCvssVector(V2).version).toBe('2.0');
  });

  it('accepts v2 with a CVSS:2.0 prefix or in parentheses, and spells it bare', () => {
    expect(parseCvssVector(`CVSS:2.0/${V2}`).vector).toBe(V2);
    expect(parseCvssVector(`(${V2})`).vector).toBe(V2);
  });

  it('accepts metrics in any order and spells them in specification order', () => {
    const parsed = parseCvssVector('CVSS:3.0/S:U/AV:N/AC:L/PR:H/UI:N/C:L/I:L/A:N/E:F/RL:X');
    expect(parsed.vector).toBe('CVSS:3.0/AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N/E:F');
  });

  it('drops Not Defined metrics, so they do not count as given', () => {
    const parsed = parseCvssVector(`${V31}/E:X/RL:X/RC:X/MAV:X`);
    expect(parsed.vector).toBe(V31);
    expect([...parsed.groups]).toEqual(['base']);
    expect(parseCvssVector(`${V2}/E:ND/CDP:ND`).vector).toBe(V2);
  });

  it('records which groups the vector defines', () => {
    expect([...parseCvssVector(`${V31}/RL:O/MAV:L`).groups].sort()).toEqual(['base', 'environmental', 'temporal']);
    expect([...parseCvssVector(`${V40}/E:P/U:Red`).groups].sort()).toEqual(['base', 'supplemental', 'threat']);
  });

  it('keeps the defined metrics by abbreviation', () => {
    expect(parseCvssVector(`${V40}/MSI:S`).metrics).toMatchObject({ AV: 'N', SA: 'N', MSI: 'S' });
  });

  it('trims surrounding white space', () => {
    expect(parseCvssVector(`  ${V31}\n`).vector).toBe(V31);
  });
});

describe('parseCvssVector: rejected vectors name the offending metric', () => {
  it('an invalid value', () => {
    expect(details(V31.replace('A:H', 'A:Q'))).toEqual(["A: 'Q' is not one of H, L, N"]);
    expect(rejected(V31.replace('A:H', 'A:Q')).message).toContain("A: 'Q'");
  });

  it('a missing base metric', () => {
    expect(details(V31.replace('/A:H', ''))).toEqual(['A: base metric is missing']);
    expect(details('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N')).toEqual(['SA: base metric is missing']);
  });

  it('an unknown metric, including one of another version', () => {
    expect(details(`${V31}/AT:N`)).toEqual(['AT: not a CVSS 3.1 metric']);
    expect(details(`${V31}/ZZ:1`)).toEqual(['ZZ: not a CVSS 3.1 metric']);
    expect(details(`${V2}/PR:N`)).toEqual(['PR: not a CVSS 2.0 metric']);
  });

  it('a metric given twice', () => {
    expect(details('CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toEqual(['AV: given more than once']);
  });

  it('values the scoring library would let through', () => {
    // Safety (S) exists only for the modified subsequent-system integrity and availability metrics.
    expect(details(V40.replace('SC:N', 'SC:S'))).toEqual(["SC: 'S' is not one of H, L, N"]);
    expect(details(`${V40}/MSC:S`)).toEqual(["MSC: 'S' is not one of X, H, L, N"]);
    // Base metrics have no Not Defined value.
    expect(details(V2.replace('AV:N', 'AV:ND'))).toEqual(["AV: 'ND' is not one of L, A, N"]);
    expect(details(V31.replace('AV:N', 'AV:X'))).toEqual(["AV: 'X' is not one of N, A, L, P"]);
    // PR:U appears in the v3.0 JSON schema's pattern but in no specification.
    expect(details(V31.replace('3.1', '3.0').replace('PR:N', 'PR:U'))).toEqual(["PR: 'U' is not one of N, L, H"]);
  });

  it('metric names and values in the wrong case', () => {
    expect(details(V31.replace('AV:N', 'av:N'))).toContain('av: not a CVSS 3.1 metric');
    expect(details(V31.replace('AV:N', 'AV:n'))).toEqual(["AV: 'n' is not one of N, A, L, P"]);
  });

  it('components that are not METRIC:VALUE', () => {
    expect(details(`${V31}/`)).toEqual(["component 9 ('') is not METRIC:VALUE"]);
    expect(details(V31.replace('/AC:L', '/AC:L/'))).toContain("component 3 ('') is not METRIC:VALUE");
    expect(details(V31.replace('S:U', 'SU'))).toEqual(["component 5 ('SU') is not METRIC:VALUE", 'S: base metric is missing']);
  });

  it('an unsupported version, a bare prefix, an empty or oversized input', () => {
    expect(details(V31.replace('3.1', '3.2'))).toEqual(["CVSS version '3.2' is not supported (supported: 2.0, 3.0, 3.1, 4.0)"]);
    expect(details('CVSS:3.1')[0]).toContain('has no "/"');
    expect(details('   ')).toEqual(['the CVSS vector is empty']);
    expect(details(`${V31}/${'E:X/'.repeat(200)}E:X`)[0]).toContain('longer than');
  });

  it('lists every offending metric at once', () => {
    expect(details('CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/ZZ:1')).toEqual([
      "AV: 'Q' is not one of N, A, L, P",
      'ZZ: not a CVSS 3.1 metric',
      'A: base metric is missing',
    ]);
  });

  it('points the issues at the field that held the vector', () => {
    expect(rejected('CVSS:3.1/AV:N', '/cvss/vector').issues.every((i) => i.pointer === '/cvss/vector')).toBe(true);
  });
});

describe('parseCvssVector fast path', () => {
  it('gives what the full grammar check gives, codes included', () => {
    const vector = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:X/RL:O';
    const parsed = parseCvssVector(vector);
    expect(parsed.vector).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/RL:O');
    expect(parsed.codes.slice(0, 10)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, -1, 4]); // E:X is Not Defined; RL values are X U W T O
    // `CVSS:2.0/` is read by the full check only; both spell the same canonical vector.
    expect(parseCvssVector('CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P')).toEqual(parseCvssVector('AV:N/AC:L/Au:N/C:P/I:P/A:P'));
  });

  it('reuses an input that is canonical already', () => {
    const vector = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A';
    expect(parseCvssVector(vector).vector).toBe(vector);
    expect(parseCvssVector('(AV:N/AC:L/Au:N/C:P/I:P/A:P)').vector).toBe('AV:N/AC:L/Au:N/C:P/I:P/A:P');
  });
});
