import { formatInZone } from '../../../platform/zoned-time.js';
import { addDays, compareDates, instantOf, localDateAt, readDate, readTimeOfDay, weekday, type LocalDate } from './calendar.js';

/**
 * Windows an operator sets on an asset — blackouts, and when a standing consent applies — in the asset's
 * IANA time zone: one-off (`once`, from one time to another) or weekly (`weekly`, on some weekdays from a
 * wall-clock time to another, e.g. a grid operator's evening peak 17:00–21:00 on weekdays). A weekly window
 * keeps its wall-clock times across daylight-saving changes, so its UTC times move with them. A weekly
 * window whose end is not after its start runs past midnight into the next day.
 */

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export type WindowSpec =
  | {
      readonly kind: 'once';
      /** An instant (`2026-12-24T00:00:00Z`, or with an offset) or a wall-clock time in the zone (`2026-12-24T00:00`). */
      readonly start: string;
      readonly end: string;
    }
  | {
      readonly kind: 'weekly';
      readonly days: readonly Weekday[];
      /** `HH:MM`, 00:00–24:00. */
      readonly start: string;
      readonly end: string;
      /** First and last local dates an occurrence may start on (`YYYY-MM-DD`), both optional. */
      readonly from?: string;
      readonly until?: string;
    };

/** One occurrence of a window: [startMs, endMs). */
export interface Occurrence {
  readonly startMs: number;
  readonly endMs: number;
}

/** Half-open [startMs, endMs), the shape of a campaign's window. */
export type Interval = Occurrence;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const WALL = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/;

/** Reads an ISO 8601 instant with `Z` or an offset; null otherwise. */
export function readInstant(text: string): number | null {
  if (!INSTANT.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/** An instant, or a wall-clock `YYYY-MM-DDTHH:MM` in the zone; null when it is neither. */
function readTimePoint(text: string, timeZone: string): number | null {
  const instant = readInstant(text);
  if (instant !== null) return instant;
  const m = WALL.exec(text);
  if (!m) return null;
  const date = readDate(m[1] as string);
  const minutes = readTimeOfDay(m[2] as string);
  return date === null || minutes === null ? null : instantOf(date, minutes, timeZone);
}

/** Why a window is not usable in this zone (naming the field), or null. */
export function checkWindow(spec: WindowSpec, timeZone: string): { readonly field: string; readonly rule: string } | null {
  if (spec.kind === 'once') {
    const start = readTimePoint(spec.start, timeZone);
    if (start === null) return { field: 'start', rule: 'must be an ISO 8601 instant (with Z or an offset) or a local YYYY-MM-DDTHH:MM' };
    const end = readTimePoint(spec.end, timeZone);
    if (end === null) return { field: 'end', rule: 'must be an ISO 8601 instant (with Z or an offset) or a local YYYY-MM-DDTHH:MM' };
    if (end <= start) return { field: 'end', rule: 'must be after start' };
    return null;
  }
  if (spec.days.length === 0) return { field: 'days', rule: 'must name at least one weekday' };
  if (new Set(spec.days).size !== spec.days.length) return { field: 'days', rule: 'must not repeat a weekday' };
  const start = readTimeOfDay(spec.start);
  const end = readTimeOfDay(spec.end);
  if (start === null || start === 1440) return { field: 'start', rule: 'must be a time of day HH:MM from 00:00 to 23:59' };
  if (end === null) return { field: 'end', rule: 'must be a time of day HH:MM from 00:00 to 24:00' };
  if (start === end) return { field: 'end', rule: 'must differ from start (for a whole day use 00:00–24:00)' };
  const from = spec.from === undefined ? null : readDate(spec.from);
  const until = spec.until === undefined ? null : readDate(spec.until);
  if (spec.from !== undefined && from === null) return { field: 'from', rule: 'must be a date YYYY-MM-DD' };
  if (spec.until !== undefined && until === null) return { field: 'until', rule: 'must be a date YYYY-MM-DD' };
  if (from !== null && until !== null && compareDates(until, from) < 0) return { field: 'until', rule: 'must not be before from' };
  return null;
}

function weeklyOccurrence(spec: Extract<WindowSpec, { kind: 'weekly' }>, date: LocalDate, timeZone: string): Occurrence {
  const start = readTimeOfDay(spec.start) as number;
  const end = readTimeOfDay(spec.end) as number;
  const startMs = instantOf(date, start, timeZone);
  const endMs = end > start ? instantOf(date, end, timeZone) : instantOf(addDays(date, 1), end, timeZone);
  return { startMs, endMs };
}

/**
 * The occurrences of a (checked) window that intersect [fromMs, toMs), in time order. Weekly windows are
 * enumerated day by day, so callers bound the interval (campaign windows are at most a year).
 */
export function occurrencesBetween(spec: WindowSpec, timeZone: string, fromMs: number, toMs: number): Occurrence[] {
  if (spec.kind === 'once') {
    const startMs = readTimePoint(spec.start, timeZone) as number;
    const endMs = readTimePoint(spec.end, timeZone) as number;
    return startMs < toMs && fromMs < endMs ? [{ startMs, endMs }] : [];
  }
  const days = new Set(spec.days.map((d) => WEEKDAYS.indexOf(d)));
  const from = spec.from === undefined ? null : readDate(spec.from);
  const until = spec.until === undefined ? null : readDate(spec.until);
  const out: Occurrence[] = [];
  // An occurrence that started the local day before `fromMs` may still be running (past midnight).
  const last = localDateAt(toMs, timeZone);
  for (let date = addDays(localDateAt(fromMs, timeZone), -1); compareDates(date, last) <= 0; date = addDays(date, 1)) {
    if (!days.has(weekday(date))) continue;
    if ((from !== null && compareDates(date, from) < 0) || (until !== null && compareDates(date, until) > 0)) continue;
    const o = weeklyOccurrence(spec, date, timeZone);
    if (o.startMs < toMs && fromMs < o.endMs) out.push(o);
  }
  return out;
}

/** The first occurrence of the window that intersects the interval, or null. */
export function firstCollision(spec: WindowSpec, timeZone: string, interval: Interval): Occurrence | null {
  return occurrencesBetween(spec, timeZone, interval.startMs, interval.endMs)[0] ?? null;
}

/** Whether the window's occurrences, joined, cover every instant of the interval. */
export function windowCovers(spec: WindowSpec, timeZone: string, interval: Interval): boolean {
  let next = interval.startMs;
  for (const o of occurrencesBetween(spec, timeZone, interval.startMs, interval.endMs)) {
    if (o.startMs > next) return false;
    next = Math.max(next, o.endMs);
    if (next >= interval.endMs) return true;
  }
  return false;
}

/** `weekly mon–fri 17:00–21:00 America/Chicago`, for messages. */
export function describeWindow(spec: WindowSpec, timeZone: string): string {
  if (spec.kind === 'once') return `once ${spec.start} – ${spec.end} (${timeZone})`;
  const bounds = `${spec.from !== undefined ? ` from ${spec.from}` : ''}${spec.until !== undefined ? ` until ${spec.until}` : ''}`;
  return `weekly ${spec.days.join(',')} ${spec.start}–${spec.end} ${timeZone}${bounds}`;
}

export function describeOccurrence(o: Occurrence, timeZone: string): string {
  return `${formatInZone(new Date(o.startMs), timeZone)} to ${formatInZone(new Date(o.endMs), timeZone)} (${timeZone})`;
}
