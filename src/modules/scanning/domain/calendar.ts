import { formatInZone, recurringLocalTimeToInstant } from '../../../platform/zoned-time.js';

/**
 * Calendar dates and times of day for recurring windows, and the instants they name in a zone (through
 * platform/zoned-time, RFC 5545's reading of skipped and repeated hours).
 */

export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Minutes after local midnight, 0–1440 (1440 is the end of the day). */
export type MinuteOfDay = number;

const DAY_MS = 86_400_000;

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 0 for Sunday to 6 for Saturday. */
export function weekday(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

export function compareDates(a: LocalDate, b: LocalDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

export function formatDate(date: LocalDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** `YYYY-MM-DD` → date, or null when it is not a real calendar date. */
export function readDate(text: string): LocalDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  return formatDate(addDays(date, 0)) === text ? date : null;
}

/** `HH:MM` (00:00–24:00) → minutes after midnight, or null. */
export function readTimeOfDay(text: string): MinuteOfDay | null {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 1440 ? minutes : null;
}

export function formatTimeOfDay(minutes: MinuteOfDay): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The local calendar date at an instant. */
export function localDateAt(instantMs: number, timeZone: string): LocalDate {
  return readDate(formatInZone(new Date(instantMs), timeZone).slice(0, 10)) as LocalDate;
}

/** The instant at which the zone's clocks show `minuteOfDay` on `date` (24:00 is the next day's 00:00). */
export function instantOf(date: LocalDate, minuteOfDay: MinuteOfDay, timeZone: string): number {
  const day = minuteOfDay === 1440 ? addDays(date, 1) : date;
  const local = `${formatDate(day)}T${formatTimeOfDay(minuteOfDay % 1440)}`;
  return (recurringLocalTimeToInstant(local, timeZone) as Date).getTime();
}
