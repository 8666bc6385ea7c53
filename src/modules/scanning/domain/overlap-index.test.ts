import { describe, expect, it } from 'vitest';
import { seededRandom } from '#test-support/seeded-random.js';
import { softwareVocabulary } from '../service/vocabulary.js';
import { conflictsByScan, type CampaignFootprint } from './campaign-conflicts.js';
import { CampaignOverlapIndex } from './overlap-index.js';
import { readScanTarget, type ScanTarget } from './scan-target.js';
import { TECHNIQUES, type Technique } from './techniques.js';

function target(text: string, versions?: string): ScanTarget {
  const r = readScanTarget(text, softwareVocabulary, versions);
  if (!r.ok) throw new Error(r.reason);
  return r.target;
}

const DAY = 86_400_000;
const T0 = Date.parse('2026-07-01T00:00:00Z');

function campaign(
  id: string,
  technique: Technique,
  targets: ScanTarget[],
  fromDay: number,
  toDay: number,
  orgId = `org_${id}`,
): CampaignFootprint {
  const active = targets.some((t) => t.kind === 'cidr' || t.kind === 'hostname') && technique !== 'sast' && technique !== 'source_review';
  return { id, orgId, technique, active, targets, window: { startMs: T0 + fromDay * DAY, endMs: T0 + toDay * DAY } };
}

describe('conflicts between campaigns', () => {
  it('two agencies fuzzing one package’s overlapping versions in overlapping weeks conflict; different techniques do not', () => {
    const index = new CampaignOverlapIndex();
    index.add(campaign('nsa', 'fuzzing', [target('pkg:npm/lodash', 'vers:npm/>=4.0.0|<5.0.0')], 0, 14));
    index.add(campaign('lab', 'sast', [target('pkg:npm/lodash')], 0, 14));
    const cisa = campaign('cisa', 'fuzzing', [target('pkg:npm/lodash@4.17.20')], 7, 21);
    const found = index.conflictsWith(cisa);
    expect(found.map((c) => [c.other.id, c.reason])).toEqual([['nsa', 'same-technique']]);
    expect(found[0]?.during).toEqual({ startMs: T0 + 7 * DAY, endMs: T0 + 14 * DAY });
    expect(found[0]?.pairs[0]?.overlap.detail).toBe('pkg:npm/lodash versions = 4.17.20');
  });

  it('windows that only touch do not conflict', () => {
    const index = new CampaignOverlapIndex();
    index.add(campaign('a', 'sast', [target('https://github.com/curl/curl')], 0, 7));
    expect(index.conflictsWith(campaign('b', 'sast', [target('git@github.com:curl/curl.git')], 7, 14))).toEqual([]);
    expect(index.conflictsWith(campaign('c', 'sast', [target('git@github.com:curl/curl.git')], 6, 14))).toHaveLength(1);
  });

  it('two active scans of one live network conflict whatever their techniques; adjacent blocks do not', () => {
    const index = new CampaignOverlapIndex();
    index.add(campaign('a', 'network', [target('10.0.0.0/24')], 0, 7));
    index.add(campaign('b', 'network', [target('10.0.1.0/24')], 0, 7));
    const found = index.conflictsWith(campaign('c', 'dynamic', [target('10.0.0.128/25')], 1, 2));
    expect(found.map((c) => [c.other.id, c.reason])).toEqual([['a', 'concurrent-active']]);
  });

  it('finds enclosing and enclosed blocks and wildcard host names in both directions', () => {
    const index = new CampaignOverlapIndex();
    index.add(campaign('wide', 'network', [target('10.0.0.0/8')], 0, 7));
    index.add(campaign('narrow', 'network', [target('10.1.2.3')], 0, 7));
    index.add(campaign('v6', 'network', [target('2001:db8::/32')], 0, 7));
    index.add(campaign('wild', 'dynamic', [target('*.grid.example')], 0, 7));
    index.add(campaign('host', 'dynamic', [target('hmi.east.grid.example')], 0, 7));
    const ids = (c: CampaignFootprint): string[] =>
      index
        .conflictsWith(c)
        .map((x) => x.other.id)
        .sort();
    expect(ids(campaign('q1', 'network', [target('10.1.0.0/16')], 1, 2))).toEqual(['narrow', 'wide']);
    expect(ids(campaign('q2', 'network', [target('2001:db8:5::/48')], 1, 2))).toEqual(['v6']);
    expect(ids(campaign('q3', 'dynamic', [target('*.east.grid.example')], 1, 2))).toEqual(['host', 'wild']);
    expect(ids(campaign('q4', 'dynamic', [target('scada.grid.example')], 1, 2))).toEqual(['wild']);
    expect(ids(campaign('q5', 'dynamic', [target('*.grid.example')], 1, 2))).toEqual(['host', 'wild']);
  });

  it('forgets removed campaigns', () => {
    const index = new CampaignOverlapIndex();
    index.add(campaign('a', 'network', [target('10.0.0.0/24'), target('scada.grid.example')], 0, 7));
    index.remove('a');
    expect(index.size).toBe(0);
    expect(index.conflictsWith(campaign('b', 'network', [target('10.0.0.0/24'), target('*.grid.example')], 0, 7))).toEqual([]);
  });

  it('agrees with checking every campaign in turn, on random campaigns of every kind', () => {
    const random = seededRandom(2026);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
    const packages = ['lodash', 'express', 'react'];
    const hosts = ['a.grid.example', 'b.grid.example', '*.grid.example', '*.east.grid.example', 'x.east.grid.example', '*.water.example'];
    const randomTarget = (): ScanTarget => {
      switch (Math.floor(random() * 5)) {
        case 0: {
          const low = Math.floor(random() * 5);
          return target(`pkg:npm/${pick(packages)}`, `vers:npm/>=${low}.0.0|<${low + 1 + Math.floor(random() * 3)}.0.0`);
        }
        case 1:
          return target(`pkg:npm/${pick(packages)}@${Math.floor(random() * 8)}.0.0`);
        case 2: {
          // Blocks inside 10.0.0.0/14, from /14 to /32, so that nesting is common.
          const prefix = 14 + Math.floor(random() * 19);
          const address = (0x0a000000 + Math.floor(random() * 2 ** 18)) >>> 0;
          const first = Number(BigInt(address) & (((1n << BigInt(prefix)) - 1n) << BigInt(32 - prefix)));
          return target(`${first >>> 24}.${(first >>> 16) & 255}.${(first >>> 8) & 255}.${first & 255}/${prefix}`);
        }
        case 3:
          return target(pick(hosts));
        default:
          return target(pick(['https://github.com/o/a', 'https://github.com/o/b', 'cpe:/a:v:p', 'cpe:/a:v:p:1.0', 'cpe:/a:v:p:2.0']));
      }
    };
    const all: CampaignFootprint[] = [];
    const index = new CampaignOverlapIndex();
    for (let i = 0; i < 400; i++) {
      const from = Math.floor(random() * 30);
      const c = campaign(
        `c${i}`,
        pick(TECHNIQUES),
        Array.from({ length: 1 + Math.floor(random() * 3) }, randomTarget),
        from,
        from + 1 + Math.floor(random() * 10),
      );
      all.push(c);
      index.add(c);
    }
    for (const id of ['c3', 'c50', 'c333']) index.remove(id);
    const remaining = all.filter((c) => !['c3', 'c50', 'c333'].includes(c.id));
    let total = 0;
    for (const probe of all.slice(0, 120)) {
      const expected = conflictsByScan(probe, remaining)
        .map((c) => c.other.id)
        .sort();
      const actual = index
        .conflictsWith(probe)
        .map((c) => c.other.id)
        .sort();
      expect(actual, probe.id).toEqual(expected);
      total += expected.length;
    }
    // The sample must exercise conflicts, or agreeing would prove nothing.
    expect(total).toBeGreaterThan(100);
  });
});
