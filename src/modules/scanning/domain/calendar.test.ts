import { describe, expect, it } from 'vitest';
import { addDays, instantOf, localDateAt, readDate, readTimeOfDay, weekday } from './calendar.js';

const iso = (ms: number): string => new Date(ms).toISOString();

describe('calendar', () => {
  it('names instants of local times, 24:00 being the next day’s midnight', () => {
    expect(iso(instantOf({ year: 2026, month: 7, day: 15 }, 17 * 60, 'America/Chicago'))).toBe('2026-07-15T22:00:00.000Z');
    expect(iso(instantOf({ year: 2026, month: 1, day: 15 }, 17 * 60, 'America/Chicago'))).toBe('2026-01-15T23:00:00.000Z');
    expect(iso(instantOf({ year: 2026, month: 12, day: 31 }, 1440, 'UTC'))).toBe('2027-01-01T00:00:00.000Z');
    // The skipped 02:30 of 2026-03-08 in New York reads with EST's offset (RFC 5545).
    expect(iso(instantOf({ year: 2026, month: 3, day: 8 }, 150, 'America/New_York'))).toBe('2026-03-08T07:30:00.000Z');
  });

  it('reads the local date at an instant', () => {
    expect(localDateAt(Date.parse('2026-07-15T03:00:00Z'), 'America/Chicago')).toEqual({ year: 2026, month: 7, day: 14 });
    expect(localDateAt(Date.parse('2026-07-15T20:00:00Z'), 'Asia/Tokyo')).toEqual({ year: 2026, month: 7, day: 16 });
  });

  it('counts days and weekdays across month and year ends', () => {
    expect(addDays({ year: 2026, month: 12, day: 31 }, 1)).toEqual({ year: 2027, month: 1, day: 1 });
    expect(addDays({ year: 2028, month: 3, day: 1 }, -1)).toEqual({ year: 2028, month: 2, day: 29 });
    expect(weekday({ year: 2026, month: 6, day: 2 })).toBe(2); // a Tuesday
  });

  it('reads dates and times of day strictly', () => {
    expect(readDate('2026-02-29')).toBeNull();
    expect(readDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    expect(readTimeOfDay('24:00')).toBe(1440);
    expect(readTimeOfDay('24:01')).toBeNull();
    expect(readTimeOfDay('7:00')).toBeNull();
  });
});
