import { describe, expect, it } from 'vitest';
import { softwareVocabulary } from '../service/vocabulary.js';
import { checkCampaignShape, isActiveCampaign, scannedInterval, stateByTime } from './campaign.js';
import { nextFreeTime } from './lease-rules.js';
import { readScanTarget, type ScanTarget } from './scan-target.js';

function target(text: string): ScanTarget {
  const r = readScanTarget(text, softwareVocabulary);
  if (!r.ok) throw new Error(r.reason);
  return r.target;
}

const now = Date.parse('2026-07-01T00:00:00Z');
const week = { startMs: now, endMs: now + 7 * 86_400_000 };

describe('campaign shape', () => {
  it('ran its whole window, or until it was stopped, or not at all when withdrawn before it opened', () => {
    const day = 86_400_000;
    expect(scannedInterval(week, null)).toEqual(week);
    expect(scannedInterval(week, now + 2 * day)).toEqual({ startMs: now, endMs: now + 2 * day });
    // Stopped after its window closed (recorded late): the window is all it ran.
    expect(scannedInterval(week, now + 9 * day)).toEqual(week);
    expect(scannedInterval(week, now)).toBeNull();
    expect(scannedInterval(week, now - day)).toBeNull();
  });

  it('is active only when a live technique meets a network target', () => {
    expect(isActiveCampaign({ technique: 'fuzzing', targets: [target('pkg:npm/lodash')] })).toBe(false);
    expect(isActiveCampaign({ technique: 'fuzzing', targets: [target('pkg:npm/lodash'), target('fuzz.grid.example')] })).toBe(true);
    expect(isActiveCampaign({ technique: 'dynamic', targets: [target('10.0.0.0/24')] })).toBe(true);
    expect(isActiveCampaign({ technique: 'sast', targets: [target('https://github.com/curl/curl')] })).toBe(false);
  });

  it('names each field that breaks a rule', () => {
    const issues = checkCampaignShape(
      {
        technique: 'sast',
        window: { startMs: now, endMs: now - 1 },
        targets: [target('pkg:npm/lodash'), target('10.0.0.0/24')],
        intensity: null,
      },
      now,
    );
    expect(issues).toEqual([
      { pointer: '/window/end', detail: 'must be after window.start' },
      { pointer: '/window/end', detail: 'must be in the future' },
      { pointer: '/scope/1/target', detail: expect.stringContaining('sast reads code') },
    ]);
    expect(checkCampaignShape({ technique: 'network', window: week, targets: [target('10.0.0.0/24')], intensity: null }, now)).toEqual([
      { pointer: '/intensity', detail: 'is required for active scanning (network against a network target)' },
    ]);
    expect(
      checkCampaignShape({ technique: 'network', window: week, targets: [target('pkg:npm/lodash')], intensity: null }, now)[0]?.detail,
    ).toMatch(/network scanning needs a network target/);
    expect(
      checkCampaignShape({ technique: 'sast', window: { startMs: now, endMs: now + 400 * 86_400_000 }, targets: [], intensity: null }, now),
    ).toEqual([{ pointer: '/window/end', detail: 'must be at most 366 days after window.start' }]);
  });

  it('moves from planned to active to completed with the clock', () => {
    expect(stateByTime(week, now - 1)).toBe('planned');
    expect(stateByTime(week, now)).toBe('active');
    expect(stateByTime(week, week.endMs)).toBe('completed');
  });
});

describe('nextFreeTime', () => {
  const peak = {
    timeZone: 'America/Chicago',
    blackouts: [{ window: { kind: 'weekly', days: ['tue'], start: '17:00', end: '21:00' } as const }],
  };
  const handover = {
    timeZone: 'America/Chicago',
    blackouts: [{ window: { kind: 'weekly', days: ['tue'], start: '21:00', end: '22:00' } as const }],
  };

  it('is the lease’s expiry when no blackout is in force then', () => {
    const at = Date.parse('2026-07-14T15:00:00Z');
    expect(nextFreeTime(at, [peak])).toBe(at);
  });

  it('waits out blackouts in force at expiry, also back-to-back ones of several assets', () => {
    // 18:00 CDT on a Tuesday: free at 22:00 CDT (03:00Z), after the peak and the handover hour.
    expect(new Date(nextFreeTime(Date.parse('2026-07-14T23:00:00Z'), [peak, handover])).toISOString()).toBe('2026-07-15T03:00:00.000Z');
  });
});
