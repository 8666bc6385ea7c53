const UTC = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
// dateStyle and timeStyle cannot be combined with timeZoneName: the fields are spelled out.
const LOCAL = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
});

/** `2026-07-20 21:00 UTC`: the instant in UTC, written the same for every reader. */
export function utc(at: string): string {
  const parts = Object.fromEntries(UTC.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} UTC`;
}

/** The instant in the reader's own zone, with the zone named. */
export function local(at: string): string {
  return LOCAL.format(new Date(at));
}

/** An instant shown briefly in the reader's zone (the full UTC instant on hover and to assistive technology). */
export function When({ at }: { at: string | null }) {
  if (at === null) return <>—</>;
  return (
    <time dateTime={at} title={utc(at)}>
      {local(at)}
    </time>
  );
}

/** An instant that must not be misread (an embargo's end): UTC and the reader's local time, both written out. */
export function Unambiguous({ at }: { at: string }) {
  return (
    <time dateTime={at}>
      {utc(at)} <span className="local">(your time: {local(at)})</span>
    </time>
  );
}

/** "in 3 days 4 hours" / "5 hours ago", from `now`. */
export function countdown(at: string, now: number): string {
  const ms = Date.parse(at) - now;
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const text = days > 0 ? `${days} d ${hours} h` : hours > 0 ? `${hours} h ${minutes % 60} min` : `${minutes} min`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}
