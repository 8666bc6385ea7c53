import type { FieldIssue } from '../../../platform/errors.js';
import type { Tlp } from '../../../platform/tlp.js';

/**
 * The one normalized shape every intake format is read into. Fields a format does not carry are `null` or
 * empty, never missing, so that stores and presenters handle every finding alike.
 */

export const SOURCE_FORMATS = ['sarif', 'osv', 'cve5', 'csaf', 'native'] as const;
/** The formats a submission can come in (DESIGN §8, "Formats in"). */
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

export function isSourceFormat(value: unknown): value is SourceFormat {
  return typeof value === 'string' && (SOURCE_FORMATS as readonly string[]).includes(value);
}

/**
 * What a finding is about. `identity` is the version-free key the fingerprint and the near-duplicate blocking
 * use: `pkg:<type>/<namespace>/<name>` for packages, `repo:<host>/<path>` for repositories, `cpe:<part>:<vendor>:<product>`
 * for CPEs and `product:<vendor>/<product>` for vendor/product pairs.
 */
export type Target =
  | { readonly kind: 'package'; readonly purl: string; readonly identity: string }
  | { readonly kind: 'repository'; readonly url: string; readonly commit: string | null; readonly identity: string }
  | { readonly kind: 'cpe'; readonly cpe: string; readonly identity: string }
  | { readonly kind: 'product'; readonly vendor: string; readonly product: string; readonly identity: string };

/** Where a vulnerability id was read: the document's own id, a declared alias, or a scanner rule naming it. */
export type AliasSource = 'record' | 'alias' | 'rule';

/** A vulnerability identifier (CVE, GHSA, PYSEC, GO, RUSTSEC, OSV…) with where it came from. */
export interface VulnerabilityAlias {
  /** Canonical spelling, see `normalizeVulnerabilityId`. */
  readonly id: string;
  readonly source: AliasSource;
  /** JSON pointer of the field it was read from, inside the submitted document. */
  readonly pointer: string;
}

/** One event of an OSV range, kept as the advisory wrote it. */
export interface OsvRangeEvent {
  readonly kind: 'introduced' | 'fixed' | 'last_affected' | 'limit';
  readonly version: string;
}

/** Version ranges in the advisory's own semantics: nothing is translated between ecosystems here. */
export type VersionRange =
  | { readonly scheme: 'osv'; readonly type: string; readonly repo: string | null; readonly events: readonly OsvRangeEvent[] }
  | {
      readonly scheme: 'cve5';
      readonly status: string;
      readonly versionType: string | null;
      readonly version: string;
      readonly lessThan: string | null;
      readonly lessThanOrEqual: string | null;
      readonly changes: readonly { readonly at: string; readonly status: string }[];
    };

/** A package or product a finding affects, with the versions the source names. */
export interface AffectedPackage {
  readonly target: Target | null;
  /** OSV ecosystem (with its suffix, e.g. `Debian:11`), or the CVE collection URL; null when unknown. */
  readonly ecosystem: string | null;
  readonly name: string | null;
  readonly ranges: readonly VersionRange[];
  /** Versions the source lists as affected, verbatim. */
  readonly versions: readonly string[];
  /** Versions the source lists as fixed, verbatim (native format; OSV and CVE say it in `ranges`). */
  readonly fixedVersions: readonly string[];
  /** CVE 5 `defaultStatus` (`affected`, `unaffected`, `unknown`); null elsewhere. */
  readonly defaultStatus: string | null;
  /** Which part of the document said so: `osv`, `cna`, `adp:<shortName>`, `native`. */
  readonly source: string;
}

/** A place in source code. Lines are kept for display but never fingerprinted (they drift). */
export interface CodeLocation {
  /** Relative, normalized, forward-slash path; null when only a function is known. */
  readonly path: string | null;
  readonly startLine: number | null;
  readonly endLine: number | null;
  readonly startColumn: number | null;
  readonly function: string | null;
  readonly symbol: string | null;
  /** Content-based line hash (SARIF `primaryLocationLineHash`), which survives edits elsewhere in the file. */
  readonly lineHash: string | null;
  readonly snippet: string | null;
}

/** One severity statement, with the part of the document it came from in `source`. */
export type Severity =
  | {
      readonly kind: 'cvss';
      readonly version: '2.0' | '3.0' | '3.1' | '4.0';
      readonly vector: string;
      readonly baseScore: number | null;
      readonly source: string;
    }
  | { readonly kind: 'sarif-level'; readonly level: 'none' | 'note' | 'warning' | 'error'; readonly source: string }
  | { readonly kind: 'security-severity'; readonly score: number; readonly source: string }
  | { readonly kind: 'qualitative'; readonly text: string; readonly source: string };

export interface ToolRef {
  readonly name: string;
  readonly version: string | null;
}

export interface RuleRef {
  readonly id: string;
  readonly name: string | null;
  /** Version-free rule key used by the fingerprint, see `ruleFamily`. */
  readonly family: string;
}

/** Who or what produced the finding. */
export interface Provenance {
  readonly tool: ToolRef | null;
  readonly model: ToolRef | null;
  /** True or false when the source says so; null when it does not. */
  readonly aiGenerated: boolean | null;
  readonly campaignId: string | null;
  /** The publishing party named by the document (CVE assigner, CSAF publisher, OSV database prefix). */
  readonly publisher: string | null;
}

export interface Reference {
  readonly url: string;
  readonly type: string | null;
}

/** CSAF 2.0 product status categories (§3.2.3.9), kept as the advisory states them. */
export const CSAF_PRODUCT_STATUSES = [
  'first_affected',
  'first_fixed',
  'fixed',
  'known_affected',
  'known_not_affected',
  'last_affected',
  'recommended',
  'under_investigation',
] as const;
export type CsafProductStatus = (typeof CSAF_PRODUCT_STATUSES)[number];

/** A CSAF product id resolved through the product tree. */
export interface ResolvedProduct {
  readonly id: string;
  readonly name: string | null;
  /** From the `vendor` and `product_name` branches above it, when the tree has them. */
  readonly vendor: string | null;
  readonly productName: string | null;
  /** From the `product_version` branch or the purl. */
  readonly version: string | null;
  readonly purl: string | null;
  readonly cpe: string | null;
  /** For relationship products (`X as a component of Y`): the product Y it is installed on. */
  readonly platform: { readonly id: string; readonly name: string | null; readonly cpe: string | null } | null;
}

export interface ProductStatusEntry {
  readonly status: CsafProductStatus;
  readonly product: ResolvedProduct;
  /** VEX justification flag label for the product (`component_not_present`…), when given. */
  readonly justification: string | null;
  /** Remediation categories that name the product (`vendor_fix`, `workaround`, `none_available`…). */
  readonly remediations: readonly string[];
  /** The `impact` threat statement for the product (VEX "impact statement"), when given. */
  readonly impact: string | null;
}

/** Enrichment an ADP (CISA's "Vulnrichment") adds to a CVE record. */
export interface CveEnrichment {
  readonly kev: { readonly dateAdded: string; readonly reference: string | null; readonly provider: string } | null;
  readonly ssvc: {
    readonly role: string | null;
    readonly version: string | null;
    readonly timestamp: string | null;
    /** Decision point → value, e.g. `{ Exploitation: 'active', Automatable: 'no' }`. */
    readonly options: Readonly<Record<string, string>>;
    readonly provider: string;
  } | null;
}

/** Proof the reporter offers (native format). Blobs are referenced by SHA-256, never inlined. */
export interface Evidence {
  readonly proofOfConcept: readonly { readonly sha256: string; readonly name: string | null; readonly mediaType: string | null }[];
  readonly reproductionSteps: readonly string[];
  readonly affectedBuild: string | null;
  readonly fixedBuild: string | null;
}

/** How the reporter wants to be credited (native format). */
export interface CreditPreference {
  readonly mode: 'named' | 'organization' | 'anonymous';
  readonly name: string | null;
  readonly url: string | null;
}

export type FindingStatus = 'active' | 'withdrawn' | 'rejected';

export interface Finding {
  readonly format: SourceFormat;
  /** JSON pointer of the finding in its document: `/runs/0/results/3`, `""` for OSV and CVE, `/vulnerabilities/0` for CSAF. */
  readonly ref: string;
  /** CSAF only: the product id that, with `ref`, names the finding. */
  readonly productId: string | null;
  readonly title: string | null;
  readonly description: string | null;
  readonly aliases: readonly VulnerabilityAlias[];
  readonly targets: readonly Target[];
  readonly affected: readonly AffectedPackage[];
  /** Normalized `CWE-<n>` ids, sorted, without duplicates. */
  readonly cwes: readonly string[];
  /** The primary location first. */
  readonly locations: readonly CodeLocation[];
  readonly severities: readonly Severity[];
  readonly rule: RuleRef | null;
  /** Fingerprints the source computed itself (SARIF `partialFingerprints` and `fingerprints`), verbatim. */
  readonly sourceFingerprints: { readonly partial: Readonly<Record<string, string>>; readonly full: Readonly<Record<string, string>> };
  readonly productStatus: ProductStatusEntry | null;
  readonly status: FindingStatus;
  readonly dates: { readonly published: string | null; readonly modified: string | null; readonly withdrawn: string | null };
  readonly references: readonly Reference[];
  readonly enrichment: CveEnrichment | null;
  readonly evidence: Evidence | null;
  readonly provenance: Provenance;
  readonly credit: CreditPreference | null;
}

/** The result of reading one submitted document. */
export interface ParsedDocument {
  readonly format: SourceFormat;
  /** The version the document declares (`2.1.0`, OSV `schema_version`, CVE `dataVersion`, `2.0`, `1`); null if none. */
  readonly formatVersion: string | null;
  /** The document's own identifier when it has one (OSV id, CVE id, CSAF tracking id, SARIF automation id). */
  readonly documentId: string | null;
  readonly findings: readonly Finding[];
  /** Things that were read but look wrong; the findings are still usable. Pointers as in InputError. */
  readonly warnings: readonly FieldIssue[];
  /**
   * The TLP label the issue sets as default for this kind of source: CLEAR for public advisories (OSV, a
   * published CVE record, a CSAF document marked WHITE/CLEAR), otherwise the document's own label, else AMBER.
   */
  readonly suggestedTlp: Tlp;
  /**
   * True for a VEX document (CSAF `csaf_vex`): a supplier's statements about its own products. Submitted by a
   * vendor, it updates that vendor's statements in its cases instead of adding findings.
   */
  readonly vex: boolean;
}

/** A finding with every optional part empty; parsers spread their fields over it. */
export function emptyFinding(format: SourceFormat, ref: string): Finding {
  return {
    format,
    ref,
    productId: null,
    title: null,
    description: null,
    aliases: [],
    targets: [],
    affected: [],
    cwes: [],
    locations: [],
    severities: [],
    rule: null,
    sourceFingerprints: { partial: {}, full: {} },
    productStatus: null,
    status: 'active',
    dates: { published: null, modified: null, withdrawn: null },
    references: [],
    enrichment: null,
    evidence: null,
    provenance: { tool: null, model: null, aiGenerated: null, campaignId: null, publisher: null },
    credit: null,
  };
}
