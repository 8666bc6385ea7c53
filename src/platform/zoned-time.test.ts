import { describe, expect, it } from 'vitest';
import { formatInZone, isTimeZone, localTimeToInstant, recurringLocalTimeToInstant, zoneOffsetMinutes } from './zoned-time.js';

// Oracle: the IANA tz database rules as published (US: second Sunday of March / first Sunday of November at
// 02:00 local; EU: last Sunday of March / October at 01:00 UTC; India has no DST at +05:30; Lord Howe
// moves by 30 minutes). The expected instants below were worked out by hand from those rules.

describe('local wall-clock times to exact instants', () => {
  it('reads an ordinary local time in its zone', () => {
    const r = localTimeToInstant('2026-07-20T17:00', 'America/New_York');
    expect(r).toEqual({ ok: true, instant: new Date('2026-07-20T21:00:00Z') });
    expect(localTimeToInstant('2026-01-15T09:30:15', 'Europe/Berlin')).toEqual({ ok: true, instant: new Date('2026-01-15T08:30:15Z') });
    expect(localTimeToInstant('2026-03-01T00:00', 'Asia/Kolkata')).toEqual({ ok: true, instant: new Date('2026-02-28T18:30:00Z') });
  });

  it('refuses a time a spring-forward change skips', () => {
    // 2026-03-08 02:00 EST → 03:00 EDT in New York: 02:30 never happens.
    const r = localTimeToInstant('2026-03-08T02:30', 'America/New_York');
    expect(r).toEqual({ ok: false, problem: 'nonexistent', candidates: [] });
    // Berlin, 2026-03-29 02:00 CET → 03:00 CEST.
    expect(localTimeToInstant('2026-03-29T02:15', 'Europe/Berlin')).toMatchObject({ ok: false, problem: 'nonexistent' });
  });

  it('refuses a time a fall-back change repeats, naming both instants', () => {
    // 2026-11-01 02:00 EDT → 01:00 EST: 01:30 happens at 05:30Z and again at 06:30Z.
    const r = localTimeToInstant('2026-11-01T01:30', 'America/New_York');
    expect(r).toEqual({
      ok: false,
      problem: 'ambiguous',
      candidates: [new Date('2026-11-01T05:30:00Z'), new Date('2026-11-01T06:30:00Z')],
    });
    // Lord Howe Island falls back by 30 minutes (2026-04-05 02:00 +11:00 → 01:30 +10:30).
    expect(localTimeToInstant('2026-04-05T01:45', 'Australia/Lord_Howe')).toMatchObject({ ok: false, problem: 'ambiguous' });
  });

  it('refuses malformed and impossible calendar times', () => {
    for (const bad of ['2026-02-30T10:00', '2026-07-20 17:00', '2026-07-20T25:00', '2026-07-20T17:00Z', 'tomorrow'])
      expect(localTimeToInstant(bad, 'UTC'), bad).toMatchObject({ ok: false, problem: 'malformed' });
  });

  it('formats back to the same wall-clock time, with the offset in force', () => {
    for (const [local, zone] of [
      ['2026-07-20T17:00:00', 'America/New_York'],
      ['2026-12-24T23:59:59', 'Pacific/Auckland'],
      ['2026-06-30T12:00:00', 'Australia/Lord_Howe'],
    ] as const) {
      const r = localTimeToInstant(local, zone);
      if (!r.ok) throw new Error(`${local} ${zone}: ${r.problem}`);
      const shown = formatInZone(r.instant, zone);
      expect(shown.slice(0, 19)).toBe(local);
      expect(new Date(shown).getTime()).toBe(r.instant.getTime());
    }
    expect(formatInZone('2026-07-20T21:00:00Z', 'UTC')).toBe('2026-07-20T21:00:00Z');
    expect(zoneOffsetMinutes(new Date('2026-07-20T21:00:00Z'), 'Australia/Lord_Howe')).toBe(630);
    expect(zoneOffsetMinutes(new Date('2026-01-20T21:00:00Z'), 'Australia/Lord_Howe')).toBe(660);
  });

  it('knows IANA zone names', () => {
    expect(isTimeZone('America/New_York')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});

describe('recurring local times', () => {
  it('read a skipped time with the offset before the gap (RFC 5545 §3.3.5)', () => {
    // 02:30 on 2026-03-08 in New York, read as EST (-05:00): 07:30Z, which the clocks show as 03:30 EDT.
    expect(recurringLocalTimeToInstant('2026-03-08T02:30', 'America/New_York')).toEqual(new Date('2026-03-08T07:30:00Z'));
    expect(recurringLocalTimeToInstant('2026-03-29T02:15', 'Europe/Berlin')).toEqual(new Date('2026-03-29T01:15:00Z'));
  });

  it('read a repeated time as its first occurrence, and an ordinary one as itself', () => {
    expect(recurringLocalTimeToInstant('2026-11-01T01:30', 'America/New_York')).toEqual(new Date('2026-11-01T05:30:00Z'));
    expect(recurringLocalTimeToInstant('2026-07-20T17:00', 'America/New_York')).toEqual(new Date('2026-07-20T21:00:00Z'));
    expect(recurringLocalTimeToInstant('2026-07-20 17:00', 'UTC')).toBeNull();
  });
});
