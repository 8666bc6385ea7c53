import { tlpRank, type Tlp } from '../../../platform/tlp.js';

/**
 * What one webhook endpoint wants to receive, on top of what its organisation is entitled to (entitlement
 * is decided before any filter runs, by the access policy).
 */
export interface DeliveryFilter {
  /** Event types: exact (`advisories.advisory.published`), a family (`notify.remediation.*`) or `*`. */
  readonly eventTypes: readonly string[];
  /** The most restrictive TLP label the endpoint accepts; anything stricter stays in the inbox only. */
  readonly tlpCeiling: Tlp;
  /** Only notifications about the org's assets in these sectors; null for all. */
  readonly sectors: readonly string[] | null;
  /**
   * Only notifications naming these packages: a package URL without version (`pkg:pypi/django`), matched
   * against each matched component's purl up to its version; null for all.
   */
  readonly products: readonly string[] | null;
}

/** What a notification says about itself, for filtering. */
export interface NotificationFacets {
  readonly type: string;
  readonly tlp: Tlp;
  /** Sectors of the recipient's assets it concerns; empty when it concerns no asset. */
  readonly sectors: readonly string[];
  /** Purls of the recipient's components it concerns; empty when it concerns no component. */
  readonly purls: readonly string[];
}

/** The ceiling a new endpoint gets: everything short of TLP:RED, which names people, not systems. */
export const DEFAULT_TLP_CEILING: Tlp = 'AMBER+STRICT';

const EVENT_PATTERN = /^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){0,2}(\.\*)?)$/;

/** Why an event-type pattern is malformed, or null when it is fine. */
export function eventPatternProblem(pattern: string): string | null {
  return EVENT_PATTERN.test(pattern) ? null : 'must be an event type (module.noun.verb), a family ending in .*, or *';
}

export function eventTypeMatches(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}

/** A purl up to its version (no `@version`, qualifiers or subpath), lower-cased: what product filters compare. */
export function purlPackage(purl: string): string {
  const cut = purl.search(/[@?#]/);
  return (cut < 0 ? purl : purl.slice(0, cut)).toLowerCase();
}

export type FilterVerdict =
  { readonly pass: true } | { readonly pass: false; readonly reason: 'event-type' | 'tlp-ceiling' | 'sector' | 'product' };

/**
 * Whether a notification goes to the endpoint. Sector and product filters judge notifications about
 * assets; one about no asset (a test, a notice) passes them.
 */
export function filterNotification(filter: DeliveryFilter, facets: NotificationFacets): FilterVerdict {
  if (!eventTypeMatches(filter.eventTypes, facets.type)) return { pass: false, reason: 'event-type' };
  if (tlpRank(facets.tlp) > tlpRank(filter.tlpCeiling)) return { pass: false, reason: 'tlp-ceiling' };
  if (filter.sectors !== null && facets.sectors.length > 0 && !facets.sectors.some((s) => filter.sectors?.includes(s))) {
    return { pass: false, reason: 'sector' };
  }
  if (filter.products !== null && facets.purls.length > 0) {
    const wanted = new Set(filter.products.map(purlPackage));
    if (!facets.purls.some((p) => wanted.has(purlPackage(p)))) return { pass: false, reason: 'product' };
  }
  return { pass: true };
}
