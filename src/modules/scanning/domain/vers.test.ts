import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { versionOrderFor } from '../../inventory/index.js';
import { readVers, versionSetOfVers } from './vers.js';
import { describeSet, setContains, type VersionScheme } from './version-set.js';

interface VersTest {
  readonly description: string;
  readonly test_type: string;
  readonly input: string | { readonly vers: string; readonly version: string };
  readonly expected_output?: unknown;
  readonly expected_failure?: boolean;
}

function load(file: string): VersTest[] {
  return (JSON.parse(readFileSync(new URL(`./vers-spec/${file}`, import.meta.url), 'utf8')) as { tests: VersTest[] }).tests;
}

const SCHEMES: Readonly<Record<string, VersionScheme>> = { npm: versionOrderFor('npm'), pypi: versionOrderFor('PyPI') };

function setOf(text: string) {
  const vers = readVers(text);
  if (!vers.ok) return vers;
  const scheme = SCHEMES[vers.value.type];
  if (scheme === undefined) throw new Error(`no scheme for ${vers.value.type}`);
  return versionSetOfVers(vers.value, scheme);
}

describe('readVers against the vers-spec parse vectors', () => {
  // The datetime vectors test a type-specific canonical form; datetime is no package versioning here.
  const cases = load('vers_canonical_parse_test.json').filter((t) => !(t.input as string).startsWith('vers:datetime/'));
  it.each(cases.map((t) => [t.description, t] as const))('%s', (_, t) => {
    const read = readVers(t.input as string);
    const result = read.ok ? versionSetOfVers(read.value, SCHEMES[read.value.type] as VersionScheme) : read;
    if (t.expected_failure === true) {
      expect(result.ok).toBe(false);
      return;
    }
    // A successful parse is about syntax: "1.0%2F0" decodes correctly though it is no npm version.
    expect(read.ok).toBe(true);
    const expected = t.expected_output as { scheme: string; version_constraints: [string, string][] };
    if (!read.ok || read.value.constraints === '*') throw new Error('unexpected');
    expect({ scheme: read.value.type, version_constraints: read.value.constraints.map((c) => [c.comparator, c.version]) }).toEqual(
      expected,
    );
  });
});

describe('version sets against the vers-spec containment vectors (PyPI by PEP 440, npm by node-semver)', () => {
  const cases = [...load('pypi_range_containment_test.json'), ...load('npm_range_containment_test.json')];
  it.each(cases.map((t) => [`${JSON.stringify(t.input)} → ${String(t.expected_output)}`, t] as const))('%s', (_, t) => {
    const { vers, version } = t.input as { vers: string; version: string };
    const set = setOf(vers);
    if (!set.ok) {
      // Some containment vectors list constraints out of order, which the core specification's required
      // parse vectors reject ("constraints are not sorted by version"); so do we, consistently.
      expect(set.reason).toMatch(/not sorted/);
      return;
    }
    expect(setContains(set.value, set.value.scheme.parse(version))).toBe(t.expected_output);
  });
});

describe('version sets', () => {
  it('join intervals, single versions and exclusions in version order, not text order', () => {
    const set = setOf('vers:pypi/<1.0|1.5|>=2.0rc1|!=2.1|<10');
    expect(set.ok && describeSet(set.value)).toBe('(-∞, 1.0) ∪ = 1.5 ∪ [2.0rc1, 2.1) ∪ (2.1, 10)');
    if (!set.ok) return;
    const contains = (v: string): boolean => setContains(set.value, set.value.scheme.parse(v));
    expect(['0.9', '1.5', '2.0rc1', '2.0', '9.9'].map(contains)).toEqual([true, true, true, true, true]);
    expect(['1.0', '1.4', '2.0b1', '2.1', '10', '10.0.1'].map(contains)).toEqual([false, false, false, false, false, false]);
  });

  it('only exclusions mean every other version', () => {
    const set = setOf('vers:npm/!=1.0.0');
    expect(set.ok && describeSet(set.value)).toBe('(-∞, 1.0.0) ∪ (1.0.0, ∞)');
  });

  it('refuses redundant comparators and unreadable versions, naming the rule', () => {
    expect(setOf('vers:npm/>=1.0.0|>=2.0.0')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('">=" must not be followed by ">="'),
    });
    expect(setOf('vers:npm/<1.0.0|<2.0.0')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('"<" must not be followed by "<"'),
    });
    expect(setOf('vers:npm/>=1.0.0|1.5.0')).toMatchObject({ ok: false });
    expect(setOf('vers:npm/1.0.0|1.0.0')).toMatchObject({ ok: false, reason: expect.stringContaining('more than once') });
    expect(setOf('vers:npm/>=banana')).toMatchObject({ ok: false, reason: expect.stringContaining('not a valid') });
    expect(readVers('VERS:npm/1.0.0').ok).toBe(false);
    expect(readVers('vers:npm/=1.0.0').ok).toBe(false);
    expect(readVers('vers:npm/*|1.0.0').ok).toBe(false);
    expect(readVers('vers:npm/1.0*').ok).toBe(false);
  });
});
