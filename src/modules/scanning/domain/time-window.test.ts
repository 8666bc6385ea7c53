import { describe, expect, it } from 'vitest';
import { checkWindow, firstCollision, occurrencesBetween, readInstant, windowCovers, type WindowSpec } from './time-window.js';

// Transition times are tzdb facts: US clocks change at 02:00 local on 2026-03-08 and 2026-11-01, the EU's at
// 01:00 UTC on 2026-03-29 and 2026-10-25, Sydney's at 03:00 local on 2026-04-05 and 02:00 on 2026-10-04.
const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();
const interval = (start: string, end: string) => ({ startMs: at(start), endMs: at(end) });

describe('weekly windows across daylight-saving changes', () => {
  const eveningPeak: WindowSpec = { kind: 'weekly', days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '17:00', end: '21:00' };

  it('keep their wall-clock hours, so their UTC hours move with the clocks', () => {
    const occurrences = occurrencesBetween(eveningPeak, 'America/Chicago', at('2026-03-06T12:00:00Z'), at('2026-03-10T00:00:00Z'));
    expect(occurrences.map((o) => [iso(o.startMs), iso(o.endMs)])).toEqual([
      ['2026-03-06T23:00:00.000Z', '2026-03-07T03:00:00.000Z'], // Friday, CST
      ['2026-03-09T22:00:00.000Z', '2026-03-10T02:00:00.000Z'], // Monday, CDT
    ]);
  });

  it('collide with a campaign that a fixed winter offset would have let through', () => {
    // 22:30Z on Monday 2026-03-09 is 17:30 CDT, inside the peak; with CST's offset it would read 16:30.
    expect(firstCollision(eveningPeak, 'America/Chicago', interval('2026-03-09T22:30:00Z', '2026-03-09T23:00:00Z'))).not.toBeNull();
    expect(firstCollision(eveningPeak, 'America/Chicago', interval('2026-03-02T22:30:00Z', '2026-03-02T23:00:00Z'))).toBeNull();
    // Saturdays and Sundays are free.
    expect(firstCollision(eveningPeak, 'America/Chicago', interval('2026-03-07T12:00:00Z', '2026-03-09T12:00:00Z'))).toBeNull();
  });

  it('run past midnight when the end is not after the start, also through the night the clocks go back', () => {
    const night: WindowSpec = { kind: 'weekly', days: ['sat'], start: '22:00', end: '06:00' };
    const [o] = occurrencesBetween(night, 'Europe/Berlin', at('2026-10-24T00:00:00Z'), at('2026-10-26T00:00:00Z'));
    // 22:00 CEST Saturday to 06:00 CET Sunday: nine hours of real time.
    expect(o && [iso(o.startMs), iso(o.endMs)]).toEqual(['2026-10-24T20:00:00.000Z', '2026-10-25T05:00:00.000Z']);
    // An occurrence that began the local day before the queried interval is still found.
    expect(firstCollision(night, 'Europe/Berlin', interval('2026-10-25T04:00:00Z', '2026-10-25T04:30:00Z'))).not.toBeNull();
  });

  it('follow the southern hemisphere’s clocks', () => {
    const maintenance: WindowSpec = { kind: 'weekly', days: ['sun'], start: '01:00', end: '04:00' };
    const [april] = occurrencesBetween(maintenance, 'Australia/Sydney', at('2026-04-04T00:00:00Z'), at('2026-04-05T12:00:00Z'));
    // 01:00 AEDT (UTC+11) to 04:00 AEST (UTC+10): the repeated hour makes it four hours long.
    expect(april && [iso(april.startMs), iso(april.endMs)]).toEqual(['2026-04-04T14:00:00.000Z', '2026-04-04T18:00:00.000Z']);
  });

  it('respect their first and last dates', () => {
    const bounded: WindowSpec = { ...eveningPeak, from: '2026-06-01', until: '2026-06-02' };
    const all = occurrencesBetween(bounded, 'UTC', at('2026-05-25T00:00:00Z'), at('2026-06-10T00:00:00Z'));
    expect(all.map((o) => iso(o.startMs))).toEqual(['2026-06-01T17:00:00.000Z', '2026-06-02T17:00:00.000Z']);
  });
});

describe('one-off windows', () => {
  it('take instants or wall-clock times in the zone', () => {
    const freeze: WindowSpec = { kind: 'once', start: '2026-12-24T00:00', end: '2026-12-27T00:00' };
    expect(firstCollision(freeze, 'America/New_York', interval('2026-12-24T03:00:00Z', '2026-12-24T04:00:00Z'))).toBeNull();
    expect(firstCollision(freeze, 'America/New_York', interval('2026-12-24T05:00:00Z', '2026-12-24T06:00:00Z'))).not.toBeNull();
    // Instants mean themselves whatever the asset's zone.
    const utc: WindowSpec = { kind: 'once', start: '2026-12-24T00:00:00Z', end: '2026-12-24T02:00:00+01:00' };
    expect(occurrencesBetween(utc, 'Asia/Tokyo', 0, at('2030-01-01T00:00:00Z'))).toEqual([
      interval('2026-12-24T00:00:00Z', '2026-12-24T01:00:00Z'),
    ]);
  });
});

describe('coverage by a window (standing consents)', () => {
  const nights: WindowSpec = { kind: 'weekly', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '01:00', end: '05:00' };

  it('holds when the campaign lies within occurrences', () => {
    expect(windowCovers(nights, 'Europe/Berlin', interval('2026-07-01T23:30:00Z', '2026-07-02T02:00:00Z'))).toBe(true);
    expect(windowCovers(nights, 'Europe/Berlin', interval('2026-07-02T02:30:00Z', '2026-07-02T03:30:00Z'))).toBe(false);
    expect(windowCovers(nights, 'Europe/Berlin', interval('2026-07-01T23:30:00Z', '2026-07-02T23:30:00Z'))).toBe(false);
  });

  it('holds across adjacent occurrences that touch', () => {
    const allDay: WindowSpec = { kind: 'weekly', days: ['mon', 'tue'], start: '00:00', end: '24:00' };
    expect(windowCovers(allDay, 'UTC', interval('2026-06-01T10:00:00Z', '2026-06-02T20:00:00Z'))).toBe(true);
    expect(windowCovers(allDay, 'UTC', interval('2026-06-01T10:00:00Z', '2026-06-03T01:00:00Z'))).toBe(false);
  });
});

describe('checkWindow', () => {
  it('names the field and the rule', () => {
    expect(checkWindow({ kind: 'once', start: '2026-12-24', end: '2026-12-25T00:00' }, 'UTC')).toEqual({
      field: 'start',
      rule: 'must be an ISO 8601 instant (with Z or an offset) or a local YYYY-MM-DDTHH:MM',
    });
    expect(checkWindow({ kind: 'once', start: '2026-12-25T00:00', end: '2026-12-24T00:00' }, 'UTC')?.field).toBe('end');
    expect(checkWindow({ kind: 'weekly', days: [], start: '17:00', end: '21:00' }, 'UTC')?.field).toBe('days');
    expect(checkWindow({ kind: 'weekly', days: ['mon'], start: '25:00', end: '21:00' }, 'UTC')?.field).toBe('start');
    expect(checkWindow({ kind: 'weekly', days: ['mon'], start: '17:00', end: '17:00' }, 'UTC')?.field).toBe('end');
    expect(checkWindow({ kind: 'weekly', days: ['mon'], start: '17:00', end: '21:00', from: '2026-02-30' }, 'UTC')?.field).toBe('from');
  });

  it('reads instants strictly', () => {
    expect(readInstant('2026-06-02T12:00:00Z')).toBe(at('2026-06-02T12:00:00Z'));
    expect(readInstant('2026-06-02 12:00')).toBeNull();
    expect(readInstant('2026-06-02T12:00')).toBeNull();
  });
});
