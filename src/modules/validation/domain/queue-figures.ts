import { DAY, HOUR } from '../../../platform/clock.js';
import { median } from '../../../platform/stats.js';

/** One cluster's stay in the triage queue, as far as the figures need it. */
export interface QueueStay {
  /** When its first report arrived: it entered the queue. */
  readonly firstSeenAt: string;
  /** When it first left `received` (a verdict, a quorum, or closed); null while it waits. */
  readonly leftAt: string | null;
  /** When it was found valid or invalid; null otherwise (still waiting, or closed without a verdict). */
  readonly validatedAt: string | null;
}

/** The queue on one UTC day. */
export interface QueueDay {
  readonly day: string;
  /** Clusters first reported that day. */
  readonly entered: number;
  /** Clusters that left `received` that day. */
  readonly left: number;
  /** Clusters waiting in `received` at the end of the day. */
  readonly waiting: number;
  /** Clusters found valid or invalid that day… */
  readonly validated: number;
  /** …and the median hours from their first report to that verdict (null when none was validated). */
  readonly medianHoursToValidate: number | null;
}

/** The UTC days from `from` to `to`, both included (dates as YYYY-MM-DD). */
export function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

const within = (at: string | null, start: number, end: number) => at !== null && Date.parse(at) >= start && Date.parse(at) < end;

/**
 * Queue volume and time to validate, day by day: what entered, what left, what waited at the end of the
 * day, and how long the clusters validated that day took from their first report.
 */
export function queueFigures(stays: readonly QueueStay[], days: readonly string[]): QueueDay[] {
  return days.map((day) => {
    const start = Date.parse(`${day}T00:00:00Z`);
    const end = start + DAY;
    const validated = stays.filter((s) => within(s.validatedAt, start, end));
    const hours = median(validated.map((s) => (Date.parse(s.validatedAt as string) - Date.parse(s.firstSeenAt)) / HOUR));
    return {
      day,
      entered: stays.filter((s) => within(s.firstSeenAt, start, end)).length,
      left: stays.filter((s) => within(s.leftAt, start, end)).length,
      waiting: stays.filter((s) => Date.parse(s.firstSeenAt) < end && (s.leftAt === null || Date.parse(s.leftAt) >= end)).length,
      validated: validated.length,
      medianHoursToValidate: hours === null ? null : Math.round(hours * 100) / 100,
    };
  });
}
