import type { OsvRange } from './osv-record.js';
import type { VersionOrder } from './version-order.js';

/**
 * One SEMVER or ECOSYSTEM range, compiled once against its ecosystem's version order, evaluated as the
 * OSV schema's "Evaluation" section defines it:
 *
 *   a version is in the range if it is below some `limit` (when any is given), and walking the events
 *   sorted by version — `introduced` sets affected when v >= it ("0" is below every version), `fixed`
 *   clears it when v >= it, `last_affected` clears it when v > it — leaves it set.
 *
 * Events at the same version sort `introduced` first, so a version both introduced and fixed at one point
 * is not affected. A `limit` of "*" means no limit, even beside other limits.
 */

export type EventKind = 'introduced' | 'fixed' | 'last_affected';

export interface CompiledEvent<P = unknown> {
  readonly kind: EventKind;
  readonly version: string;
  /** null only for `introduced: "0"`, below everything. */
  readonly parsed: P | null;
}

export interface CompiledRange<P = unknown> {
  readonly index: number;
  readonly type: string;
  readonly order: VersionOrder<P>;
  readonly events: readonly CompiledEvent<P>[];
  readonly limits: readonly P[];
  /** Why the range cannot be evaluated (an event version the order cannot parse), or null. */
  readonly invalid: string | null;
}

/** The outcome for one version in one range; `closing` is the event that ends the interval it is in. */
export type RangeOutcome<P = unknown> =
  | { readonly affected: true; readonly introduced: CompiledEvent<P>; readonly closing: CompiledEvent<P> | null }
  | { readonly affected: false };

/**
 * Compiles a range's events. Never throws: unparseable versions make the range `invalid`, with a reason.
 * `parse` defaults to the order's own; an index passes a shared, remembering one (ParsedVersions).
 */
export function compileRange<P>(
  range: OsvRange,
  index: number,
  order: VersionOrder<P>,
  parse: (version: string) => P | null = (v) => order.parse(v),
): CompiledRange<P> {
  const events: CompiledEvent<P>[] = [];
  const limits: P[] = [];
  const bad: string[] = [];
  // BeforeLimits in the schema: v passes if it is below any limit, and "*" is above everything.
  const unlimited = range.events.some((e) => e.limit === '*');
  for (const e of range.events) {
    if (e.limit !== undefined) {
      if (unlimited) continue;
      const p = parse(e.limit);
      if (p === null) bad.push(e.limit);
      else limits.push(p);
      continue;
    }
    const kind: EventKind = e.introduced !== undefined ? 'introduced' : e.fixed !== undefined ? 'fixed' : 'last_affected';
    const version = (e.introduced ?? e.fixed ?? e.last_affected) as string;
    const parsed = kind === 'introduced' && version === '0' ? null : parse(version);
    if (parsed === null && !(kind === 'introduced' && version === '0')) bad.push(version);
    events.push({ kind, version, parsed });
  }
  const rank = (e: CompiledEvent<P>): number => (e.kind === 'introduced' ? 0 : 1);
  events.sort((a, b) => {
    if (a.parsed === null || b.parsed === null) return a.parsed === b.parsed ? rank(a) - rank(b) : a.parsed === null ? -1 : 1;
    return order.compareParsed(a.parsed, b.parsed) || rank(a) - rank(b);
  });
  const invalid = bad.length > 0 ? `range ${index} has versions that are not valid ${order.scheme}: ${bad.join(', ')}` : null;
  return { index, type: range.type, order, events, limits, invalid };
}

/** Evaluates a parsed version against a valid compiled range (check `invalid` first). */
export function evaluateRange<P>(range: CompiledRange<P>, version: P): RangeOutcome<P> {
  // Hot path (every candidate advisory of every component): plain loops, no closures.
  const order = range.order;
  if (range.limits.length > 0) {
    let below = false;
    for (const l of range.limits) if (order.compareParsed(version, l) < 0) below = true;
    if (!below) return { affected: false };
  }
  let introduced: CompiledEvent<P> | null = null;
  let at = -1;
  for (let i = 0; i < range.events.length; i++) {
    const e = range.events[i] as CompiledEvent<P>;
    const c = e.parsed === null ? 1 : order.compareParsed(version, e.parsed);
    if (e.kind === 'introduced' && c >= 0) {
      introduced = e;
      at = i;
    } else if ((e.kind === 'fixed' && c >= 0) || (e.kind === 'last_affected' && c > 0)) {
      introduced = null;
    }
  }
  if (introduced === null) return { affected: false };
  const closing = range.events.slice(at + 1).find((e) => e.kind !== 'introduced') ?? null;
  return { affected: true, introduced, closing };
}
