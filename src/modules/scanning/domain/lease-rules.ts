import { firstCollision, type WindowSpec } from './time-window.js';

/**
 * Leases: a scanner holds a target for a technique for a while. The bounds keep a forgotten lease from
 * blocking a target for long: a claim or renewal asks for 10 seconds to a day, and renews as often as needed.
 */
export const LEASE_MIN_SECONDS = 10;
export const LEASE_MAX_SECONDS = 86_400;

/** Blackouts that may postpone when a network target is next free. */
export interface BlackoutCalendar {
  readonly timeZone: string;
  readonly blackouts: readonly { readonly window: WindowSpec }[];
}

/**
 * The first instant from `fromMs` on at which no blackout of the calendars is in force (a held lease ends
 * at `fromMs`; active scanning may resume only outside blackouts). Looks ahead at most `horizonMs`;
 * beyond it, the horizon's end is answered.
 */
export function nextFreeTime(fromMs: number, calendars: readonly BlackoutCalendar[], horizonMs = 31 * 86_400_000): number {
  let at = fromMs;
  for (let moved = true; moved && at < fromMs + horizonMs;) {
    moved = false;
    for (const calendar of calendars) {
      for (const blackout of calendar.blackouts) {
        const hit = firstCollision(blackout.window, calendar.timeZone, { startMs: at, endMs: at + 1 });
        if (hit !== null && hit.endMs > at) {
          at = hit.endMs;
          moved = true;
        }
      }
    }
  }
  return Math.min(at, fromMs + horizonMs);
}
