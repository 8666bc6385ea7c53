import type { Tlp } from '../../../../platform/tlp.js';

/**
 * What an export is made of, in neutral form: records already filtered by the recipient's entitlements
 * (the access policy, applied by the service), each carrying its own TLP label. STIX, CSV and TAXII are
 * renderings of these; they never widen what is in them.
 */

/** An organisation named by a shared record (the vendor whose products a vulnerability affects). */
export interface SharedOrg {
  readonly orgId: string;
  readonly name: string;
  readonly kind: string;
  readonly sectors: readonly string[];
}

/** A vulnerability: a deduplicated cluster as the recipient may see it. */
export interface SharedVulnerability {
  readonly recordId: string;
  readonly tlp: Tlp;
  readonly title: string;
  readonly description: string | null;
  /** CVE, GHSA, OSV and other identifiers of the same vulnerability. */
  readonly aliases: readonly string[];
  readonly cwes: readonly string[];
  /** Affected targets as the reports named them (package URLs, repositories, CPEs). */
  readonly targets: readonly string[];
  /** Where validation stands: `received`, `valid`, `invalid`, … */
  readonly state: string;
  readonly createdAt: string;
  readonly modifiedAt: string;
  /** Organisations whose products it affects (vendors in its case), when known. */
  readonly vendorOrgIds: readonly string[];
}

/** An analyst note on one or more vulnerabilities (a verdict, a priority decision, a case status). */
export interface SharedNote {
  readonly recordId: string;
  readonly tlp: Tlp;
  readonly about: readonly string[];
  readonly abstract: string | null;
  readonly content: string;
  readonly authors: readonly string[];
  readonly createdAt: string;
  readonly modifiedAt: string;
}

/** A link between two vulnerabilities (one merged into the other, or related). */
export interface SharedLink {
  readonly sourceId: string;
  readonly targetId: string;
  readonly type: 'duplicate-of' | 'related-to';
  readonly description: string | null;
  readonly createdAt: string;
  readonly modifiedAt: string;
}

export interface SharedRecords {
  readonly vulnerabilities: readonly SharedVulnerability[];
  readonly notes: readonly SharedNote[];
  readonly links: readonly SharedLink[];
  readonly orgs: readonly SharedOrg[];
}
