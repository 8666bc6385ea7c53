import type { Tlp } from '../../../platform/tlp.js';
import type { StatementContent, StatementStatus } from '../../cases/index.js';

/**
 * What a CSAF document is generated from: a case's vulnerabilities and the vendors' statements about their
 * products, in plain data. The service gathers it from the cases module; the round-trip test builds it from
 * documents intake read. Nothing here is CSAF-shaped yet; ./csaf-document.ts writes the CSAF.
 */

/** What cases publish, and what a re-exported informational advisory stays (no vulnerabilities). */
export type AdvisoryCategory = 'csaf_security_advisory' | 'csaf_vex' | 'csaf_informational_advisory';

/** A product as a vendor named it. `vendorKey` keeps two vendors' statements about one package apart. */
export interface AdvisoryProduct {
  readonly vendorKey: string;
  /** The vendor's name in the product tree's `vendor` branch. */
  readonly vendor: string;
  readonly name: string;
  readonly version: string | null;
  /** Canonical purl, with the version when the product has one. */
  readonly purl: string | null;
  readonly cpe: string | null;
  /** For a component installed on a platform (`X as a component of Y`): the platform. */
  readonly platform?: Omit<AdvisoryProduct, 'platform' | 'vendorKey'> | null;
}

export type AdvisoryStatus = StatementStatus;

/**
 * One vendor statement about one product, as it will be published: what the cases module holds, with the
 * product as the vendor names it in the tree. `fixedVersions` of a `fixed` statement each become a product
 * with status `fixed`.
 */
export interface AdvisoryStatement extends Omit<StatementContent, 'product' | 'shareBeforePublication' | 'justification'> {
  readonly product: AdvisoryProduct;
  /** CSAF flag label (§3.2.3.5), for `not_affected`. */
  readonly justification: string | null;
}

export interface AdvisoryVulnerability {
  readonly cve: string | null;
  /** Other ids (the case number, GHSA…), as CSAF `ids` (`system_name`, `text`). */
  readonly ids: readonly { readonly systemName: string; readonly text: string }[];
  readonly title: string | null;
  readonly description: string;
  /** `CWE-<n>`; written only when the CWE list knows its name. */
  readonly cwe: string | null;
  /** CVSS v3.x and v2 vectors; the scores are recomputed from them. */
  readonly cvssVectors: readonly string[];
  readonly references: readonly { readonly url: string; readonly summary: string }[];
  readonly acknowledgments: readonly { readonly names: readonly string[]; readonly organization: string | null }[];
  /** True when exploitation has been observed (written as an `exploit_status` threat). */
  readonly exploited: boolean;
  readonly discoveryDate: string | null;
  readonly statements: readonly AdvisoryStatement[];
}

/**
 * One entry of the CSAF document's `tracking.revision_history`: its number as CSAF writes it (a string, `0` for
 * a draft), date and summary. Not the API's revision (presenters.ts `AdvisoryRevision`, a published revision
 * with its key and hash), which is read from the stored revisions.
 */
export interface CsafRevision {
  readonly number: string;
  readonly date: string;
  readonly summary: string;
}

export interface AdvisorySource {
  readonly category: AdvisoryCategory;
  /** `document.tracking.id`. */
  readonly trackingId: string;
  readonly title: string;
  readonly publisher: { readonly name: string; readonly namespace: string; readonly contactDetails: string | null };
  readonly tlp: Tlp;
  /** `draft` while embargoed (version 0), `final` once published (version = revisions). */
  readonly status: 'draft' | 'final';
  /** Oldest first; for a draft, ignored (a draft has the one revision 0). */
  readonly revisions: readonly CsafRevision[];
  /** When it was generated (the draft's date; the latest revision's for a final document). */
  readonly generatedAt: string;
  readonly summary: string;
  /** The document's own URL once published, as its `self` reference. */
  readonly selfUrl: string | null;
  /** Other documents it refers to (an informational advisory needs one). */
  readonly externalReferences: readonly { readonly url: string; readonly summary: string }[];
  readonly vulnerabilities: readonly AdvisoryVulnerability[];
  readonly engine: { readonly name: string; readonly version: string };
}
