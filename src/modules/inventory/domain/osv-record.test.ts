import { describe, expect, it } from 'vitest';
import { InputError } from '../../../platform/errors.js';
import { readOsvRecord } from './osv-record.js';

function issuesOf(json: unknown): { pointer: string; detail: string }[] {
  try {
    readOsvRecord(json);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return [...(error as InputError).issues];
  }
  throw new Error('expected InputError');
}

describe('readOsvRecord', () => {
  it('keeps what matching needs and drops the rest', () => {
    const r = readOsvRecord({
      id: 'GHSA-1',
      aliases: ['CVE-1'],
      details: 'ignored',
      affected: [
        {
          package: { ecosystem: 'npm', name: 'x', purl: 'pkg:npm/x' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }],
          database_specific: {},
        },
      ],
    });
    expect(r).toEqual({
      id: 'GHSA-1',
      aliases: ['CVE-1'],
      affected: [
        {
          package: { ecosystem: 'npm', name: 'x', purl: 'pkg:npm/x' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }],
        },
      ],
    });
  });

  it('keeps unknown range types, so evaluation can say "unknown" about them', () => {
    const r = readOsvRecord({
      id: 'X',
      affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type: 'FUTURE', events: [{ introduced: '0' }] }] }],
    });
    expect(r.affected?.[0]?.ranges?.[0]?.type).toBe('FUTURE');
  });

  it('names each malformed field by JSON pointer', () => {
    expect(
      issuesOf({
        affected: [
          { package: { ecosystem: 'npm' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0', fixed: '1' }, { fixed: 2 }] }] },
          'nope',
        ],
      }),
    ).toEqual([
      { pointer: '/id', detail: 'is required' },
      { pointer: '/affected/0/package', detail: 'must have string "ecosystem" and "name"' },
      { pointer: '/affected/0/ranges/0/events/0', detail: 'must have exactly one of introduced, fixed, last_affected, limit' },
      { pointer: '/affected/0/ranges/0/events/1/fixed', detail: 'must be a non-empty string' },
      { pointer: '/affected/1', detail: 'must be an object' },
    ]);
  });

  it('refuses a non-object', () => {
    expect(() => readOsvRecord([])).toThrow(InputError);
  });
});
