import { InputError } from '../../../platform/errors.js';
import { formatInZone, isTimeZone, localTimeToInstant, zoneOffsetMinutes } from '../../../platform/zoned-time.js';

function refuse(pointer: '/endsAt' | '/timeZone', detail: string): InputError {
  return new InputError(`${pointer.slice(1)} ${detail}`, [{ pointer, detail }]);
}

const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/i;
const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?$/;

function offsetText(minutes: number): string {
  if (minutes === 0) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * Reads a proposed embargo end into one exact instant and the zone it is shown in. VINCE's users complained
 * of embargo hours nobody could place; here an end is either
 * - an instant with its offset (`2026-07-20T17:00:00-04:00` or `…Z`), checked against `timeZone` when one is
 *   given (an offset the zone does not have on that date is refused), or
 * - a local time (`2026-07-20T17:00`) with its `timeZone`, refused when a daylight-saving change skips or
 *   repeats it.
 *
 * @throws InputError naming `/endsAt` or `/timeZone` and the rule.
 */
export function readEmbargoEnd(input: { readonly endsAt?: unknown; readonly timeZone?: unknown }): { endsAt: Date; timeZone: string } {
  const zone = input.timeZone;
  if (zone !== undefined && (typeof zone !== 'string' || !isTimeZone(zone)))
    throw refuse('/timeZone', 'must be an IANA time zone such as UTC or America/New_York');
  const endsAt = input.endsAt;
  if (typeof endsAt !== 'string') throw refuse('/endsAt', 'is required: an ISO 8601 instant or a local time with timeZone');
  const offsetMatch = WITH_OFFSET.exec(endsAt);
  if (offsetMatch !== null && !Number.isNaN(Date.parse(endsAt))) {
    const instant = new Date(endsAt);
    if (zone === undefined) return { endsAt: instant, timeZone: 'UTC' };
    const expected = offsetText(zoneOffsetMinutes(instant, zone));
    const given = offsetMatch[1]?.toUpperCase() === 'Z' ? 'Z' : (offsetMatch[1] ?? '');
    if (given !== expected && !(given === '+00:00' && expected === 'Z'))
      throw refuse('/endsAt', `carries the offset ${given}, but ${zone} is at ${expected} then (${formatInZone(instant, zone)})`);
    return { endsAt: instant, timeZone: zone };
  }
  if (!LOCAL.test(endsAt))
    throw refuse('/endsAt', 'must be an ISO 8601 instant with Z or an offset, or a local time such as 2026-07-20T17:00 with timeZone');
  if (zone === undefined) throw refuse('/timeZone', `is required with a local time (${endsAt})`);
  const result = localTimeToInstant(endsAt, zone);
  if (result.ok) return { endsAt: result.instant, timeZone: zone };
  const detail =
    result.problem === 'nonexistent'
      ? `${endsAt} does not exist in ${zone}: the clocks skip it (daylight-saving change)`
      : result.problem === 'ambiguous'
        ? `${endsAt} happens twice in ${zone} (daylight-saving change): give the offset, ${result.candidates.map((c) => formatInZone(c, zone)).join(' or ')}`
        : `${endsAt} is not a valid calendar time`;
  throw refuse('/endsAt', detail);
}
