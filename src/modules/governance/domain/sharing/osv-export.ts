/**
 * OSV records (OpenSSF OSV schema 1.x) for published advisories: what an operator's scanner reads to match
 * its dependencies. Only published advisories are exported this way; the record is built from what the
 * advisory states — affected versions the vendors named, fixed versions they shipped — and claims nothing
 * more.
 */

export type OsvEvent = { readonly introduced: string } | { readonly fixed: string } | { readonly last_affected: string };

export interface OsvAffectedInput {
  /** OSV ecosystem (`npm`, `PyPI`, `Debian:12`, …), from the one purl reader. */
  readonly ecosystem: string;
  readonly name: string;
  readonly purl: string | null;
  /** Versions stated affected. */
  readonly versions: readonly string[];
  /** Version ranges, each starting with an `introduced` event (`"0"` when unknown). */
  readonly ranges: readonly { readonly type: 'ECOSYSTEM' | 'SEMVER'; readonly events: readonly OsvEvent[] }[];
}

export interface PublishedAdvisory {
  /** The clearinghouse's advisory id (`CHX-2026-0001`). */
  readonly advisoryId: string;
  readonly aliases: readonly string[];
  readonly title: string;
  readonly details: string;
  readonly publishedAt: string;
  readonly modifiedAt: string;
  readonly withdrawnAt: string | null;
  readonly cvss: readonly { readonly version: '2.0' | '3.0' | '3.1' | '4.0'; readonly vector: string }[];
  readonly cwes: readonly string[];
  readonly affected: readonly OsvAffectedInput[];
  /** Where the advisory lives (the CSAF document's URL), then references the advisory cites. */
  readonly references: readonly { readonly type: 'ADVISORY' | 'FIX' | 'REPORT' | 'WEB' | 'PACKAGE' | 'ARTICLE'; readonly url: string }[];
  readonly credits: readonly { readonly name: string; readonly type: 'FINDER' | 'REPORTER' | 'COORDINATOR' | 'REMEDIATION_DEVELOPER' }[];
}

/**
 * The OSV schema version these records declare. Every field they use exists since 1.6.2 (CVSS_V4 severity),
 * and ossf/osv-schema's CHANGELOG.md names 1.6.8 as its latest release; the tests validate the records
 * against the schema as of ossf/osv-schema @ 51b8156 (July 2026).
 */
export const OSV_SCHEMA_VERSION = '1.6.8';

/**
 * The id of a clearinghouse advisory in OSV. The schema's `id` pattern admits the registered home
 * databases' prefixes and `x_`; the clearinghouse is not a registered home database, so its ids are
 * `x_<advisory id>`, and the CVE and other identifiers go to `aliases`.
 */
export function osvId(advisoryId: string): string {
  return `x_${advisoryId}`;
}

/** OSV timestamps: RFC 3339 in UTC with `Z`. */
const utc = (iso: string) => new Date(iso).toISOString();

const SEVERITY_TYPE = { '2.0': 'CVSS_V2', '3.0': 'CVSS_V3', '3.1': 'CVSS_V3', '4.0': 'CVSS_V4' } as const;

/** One published advisory as an OSV record. */
export function osvRecord(advisory: PublishedAdvisory): Record<string, unknown> {
  return {
    schema_version: OSV_SCHEMA_VERSION,
    id: osvId(advisory.advisoryId),
    modified: utc(advisory.modifiedAt),
    published: utc(advisory.publishedAt),
    ...(advisory.withdrawnAt !== null ? { withdrawn: utc(advisory.withdrawnAt) } : {}),
    ...(advisory.aliases.length > 0 ? { aliases: [...new Set(advisory.aliases)] } : {}),
    summary: advisory.title.replace(/\s+/g, ' ').trim().slice(0, 120),
    details: advisory.details,
    ...(advisory.cvss.length > 0 ? { severity: advisory.cvss.map((c) => ({ type: SEVERITY_TYPE[c.version], score: c.vector })) } : {}),
    affected: advisory.affected.map((a) => ({
      package: { ecosystem: a.ecosystem, name: a.name, ...(a.purl !== null ? { purl: a.purl } : {}) },
      ...(a.ranges.length > 0 ? { ranges: a.ranges.map((r) => ({ type: r.type, events: r.events.map((e) => ({ ...e })) })) } : {}),
      ...(a.versions.length > 0 ? { versions: [...a.versions] } : {}),
    })),
    ...(advisory.references.length > 0 ? { references: advisory.references.map((r) => ({ type: r.type, url: r.url })) } : {}),
    ...(advisory.credits.length > 0 ? { credits: advisory.credits.map((c) => ({ name: c.name, type: c.type })) } : {}),
    ...(advisory.cwes.length > 0 ? { database_specific: { cwe_ids: [...advisory.cwes] } } : {}),
  };
}
