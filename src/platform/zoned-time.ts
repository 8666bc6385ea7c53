/**
 * Exact instants and the time zones people read them in. Instants are stored in UTC; a time zone is only
 * how an instant is shown, or how a local wall-clock time people type ("17:00 in New York") is turned into
 * one exact instant. A local time that a daylight-saving change skips or repeats is refused, never guessed.
 */

/** An IANA time zone name the runtime knows (`UTC`, `America/New_York`). */
export function isTimeZone(value: string): boolean {
  if (value.length === 0 || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = FORMATTERS.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    });
    FORMATTERS.set(timeZone, f);
  }
  return f;
}

interface LocalParts {
  readonly year: string;
  readonly month: string;
  readonly day: string;
  readonly hour: string;
  readonly minute: string;
  readonly second: string;
  /** `+02:00`, `-04:00` or `Z`. */
  readonly offset: string;
}

function localParts(date: Date, timeZone: string): LocalParts {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const offset = (parts['timeZoneName'] ?? 'GMT').replace(/^GMT/, '');
  return {
    year: parts['year'] ?? '',
    month: parts['month'] ?? '',
    day: parts['day'] ?? '',
    hour: parts['hour'] ?? '',
    minute: parts['minute'] ?? '',
    second: parts['second'] ?? '',
    offset: offset === '' || offset === '+00:00' || offset === '-00:00' ? 'Z' : offset,
  };
}

/**
 * An instant as local time in `timeZone` with its offset, e.g. `2026-06-10T09:00:00-04:00`: readable in
 * that zone and still one exact instant (it parses back to the same UTC time).
 */
export function formatInZone(instant: string | Date, timeZone: string): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  const p = localParts(date, timeZone);
  const ms = date.getUTCMilliseconds();
  const fraction = ms === 0 ? '' : `.${String(ms).padStart(3, '0')}`;
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}${fraction}${p.offset}`;
}

/** The zone's offset from UTC at that instant, in minutes (`-240` for New York in summer). */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  const offset = localParts(instant, timeZone).offset;
  if (offset === 'Z') return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  const [h, m] = offset.slice(1).split(':');
  return sign * (Number(h) * 60 + Number(m ?? 0));
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Why a local time names no single instant in its zone. */
export type LocalTimeProblem = 'malformed' | 'nonexistent' | 'ambiguous';

export type LocalTimeResult =
  | { readonly ok: true; readonly instant: Date }
  | { readonly ok: false; readonly problem: LocalTimeProblem; readonly candidates: readonly Date[] };

/**
 * The one instant at which the clocks of `timeZone` read `local` (`2026-07-20T17:00` or with seconds).
 * `nonexistent` when a daylight-saving change skips that time (02:30 on a spring-forward night), `ambiguous`
 * (with both instants) when it repeats it (01:30 on a fall-back night).
 */
export function localTimeToInstant(local: string, timeZone: string): LocalTimeResult {
  const m = LOCAL.exec(local);
  if (m === null) return { ok: false, problem: 'malformed', candidates: [] };
  const [, y, mo, d, h, mi, s] = m;
  const asUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  const wanted = `${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}`;
  if (Number.isNaN(asUtc) || new Date(asUtc).toISOString().slice(0, 19) !== wanted)
    return { ok: false, problem: 'malformed', candidates: [] };
  // The offsets in force a day either side cover every zone that changes its offset at most once in two days.
  const offsets = new Set([-1, 0, 1].map((days) => zoneOffsetMinutes(new Date(asUtc + days * 86_400_000), timeZone)));
  const found = [...offsets]
    .map((offset) => new Date(asUtc - offset * 60_000))
    .filter((candidate) => formatInZone(candidate, timeZone).slice(0, 19) === wanted)
    .sort((a, b) => a.getTime() - b.getTime());
  const unique = found.filter((c, i) => i === 0 || c.getTime() !== found[i - 1]?.getTime());
  if (unique.length === 1 && unique[0] !== undefined) return { ok: true, instant: unique[0] };
  return { ok: false, problem: unique.length === 0 ? 'nonexistent' : 'ambiguous', candidates: unique };
}

/**
 * The instant a local time names when it must name one, for recurring times (a blackout at 02:30 every
 * night): RFC 5545 §3.3.5 — a skipped time is read with the offset in force before the gap (02:30 on a
 * spring-forward night is 03:30 after it), a repeated one as its first occurrence. Null only when `local`
 * is malformed. Times people type once use {@link localTimeToInstant}, which refuses both instead.
 */
export function recurringLocalTimeToInstant(local: string, timeZone: string): Date | null {
  const r = localTimeToInstant(local, timeZone);
  if (r.ok) return r.instant;
  if (r.problem === 'malformed') return null;
  if (r.problem === 'ambiguous') return r.candidates[0] ?? null;
  const asUtc = Date.parse(`${local.length === 16 ? `${local}:00` : local}Z`);
  return new Date(asUtc - zoneOffsetMinutes(new Date(asUtc - 86_400_000), timeZone) * 60_000);
}
