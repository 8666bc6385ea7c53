import { defineEvent } from '../../platform/events/event-type.js';
/**
 * The events the advisories module emits, one constant and one payload type each, shared by producer and
 * consumers (notify). Payloads are plain JSON; every field is listed and consumers may rely on them.
 */

/**
 * A CSAF advisory was published as TLP:CLEAR (at the embargo's exit, or a later revision of it), signed and
 * listed by the CSAF provider. Subject: the advisory id.
 */
export const ADVISORY_PUBLISHED = defineEvent<AdvisoryPublishedPayload>('advisories.advisory.published');

export interface AdvisoryPublishedPayload {
  readonly advisoryId: string;
  readonly caseId: string;
  readonly caseNumber: string;
  /** CSAF `document.tracking.id`, e.g. `CH-2026-0042`. */
  readonly trackingId: string;
  /** CSAF `document.tracking.version` of this publication ("1", then "2" for a revision…). */
  readonly version: string;
  readonly category: 'csaf_security_advisory' | 'csaf_vex';
  readonly tlp: 'CLEAR';
  readonly title: string;
  readonly cveIds: readonly string[];
  /** Package URLs of the products stated affected or fixed, for matching against inventories. */
  readonly purls: readonly string[];
  /**
   * The products stated affected or fixed that have a package URL, as the published document states them:
   * the product (with its version when the vendor named one) and, for `fixed`, the versions that fix it.
   * Absent from events emitted before it was added: read it as empty.
   */
  readonly products?: readonly PublishedProduct[];
  /** Where the CSAF provider serves the document (path below the server's base URL). */
  readonly path: string;
  readonly publishedAt: string;
}

/** A product of a published advisory, with a package URL: what inventories are matched against. */
export interface PublishedProduct {
  /** Canonical purl, with the version when the vendor named the product's version. */
  readonly purl: string;
  readonly status: 'affected' | 'fixed';
  /** `fixed`: the versions that carry the fix; empty for `affected`. */
  readonly fixedVersions: readonly string[];
}
