import { describe, expect, it } from 'vitest';
import { formatCaseNumber, parseCaseNumber } from './case-id.js';
import { COMMON_CHANNEL, canUseChannel, channelOrg, channelsOf, privateChannel, type ParticipantView } from './participants.js';

describe('case numbers', () => {
  it('are CH-YYYY-NNNN with at least four digits', () => {
    expect(formatCaseNumber(2026, 1)).toBe('CH-2026-0001');
    expect(formatCaseNumber(2026, 12345)).toBe('CH-2026-12345');
    expect(parseCaseNumber('CH-2026-0042')).toEqual({ year: 2026, sequence: 42 });
    for (const bad of ['CH-2026-042', 'CH-2026-00042', 'CH-2026-0000', 'ch-2026-0042', 'CH-26-0042'])
      expect(parseCaseNumber(bad), bad).toBeNull();
    expect(() => formatCaseNumber(2026, 0)).toThrow(RangeError);
  });
});

describe('discussion channels', () => {
  const vendors: ParticipantView[] = Array.from({ length: 150 }, (_, i) => ({ orgId: `org_v${i}`, role: 'vendor', state: 'active' }));
  const participants: ParticipantView[] = [
    ...vendors,
    { orgId: 'org_reporter', role: 'reporter', state: 'active' },
    { orgId: 'org_gone', role: 'vendor', state: 'removed' },
    { orgId: 'org_maybe', role: 'vendor', state: 'suggested' },
  ];

  it('give each vendor the common thread and its own channel, never another vendor’s', () => {
    for (let i = 0; i < vendors.length; i++) {
      const reader = { orgId: `org_v${i}`, coordinator: false };
      expect(channelsOf(reader, participants)).toEqual([COMMON_CHANNEL, privateChannel(`org_v${i}`)]);
      const other = `org_v${(i + 1) % vendors.length}`;
      expect(canUseChannel(reader, privateChannel(other), participants)).toBe(false);
      expect(canUseChannel(reader, privateChannel('org_reporter'), participants)).toBe(false);
    }
  });

  it('give coordinators every channel, and removed or merely suggested organisations none', () => {
    const coordinator = { orgId: 'org_coord', coordinator: true };
    expect(channelsOf(coordinator, participants)).toHaveLength(1 + 150 + 1 + 1);
    expect(canUseChannel(coordinator, privateChannel('org_v42'), participants)).toBe(true);
    expect(canUseChannel(coordinator, privateChannel('org_stranger'), participants)).toBe(false);
    for (const orgId of ['org_gone', 'org_maybe', 'org_stranger']) {
      expect(channelsOf({ orgId, coordinator: false }, participants)).toEqual([]);
      expect(canUseChannel({ orgId, coordinator: false }, COMMON_CHANNEL, participants)).toBe(false);
    }
    expect(channelOrg(privateChannel('org_v1'))).toBe('org_v1');
    expect(channelOrg('common')).toBeNull();
  });
});
