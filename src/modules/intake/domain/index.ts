/**
 * The pure half of intake (issue 3): reading submissions in SARIF 2.1.0, OSV, CVE JSON 5, CSAF 2.0 and the
 * native format into one finding shape, and deciding finding identity in three layers (aliases, stable
 * fingerprints, near-duplicate proposals; see ../FINGERPRINTS.md). Nothing here touches a database, the
 * network or the file system; the service stores the raw submission first and then calls these.
 */
export { parseSubmission, parseSubmittedValue, MAX_WARNINGS } from './parse-submission.js';
export type { ParseOptions } from './format-reader.js';
export { detectFormat, type Detection } from './format-detection.js';
export { MAX_DOCUMENT_DEPTH } from './decode-document.js';
export { NATIVE_FINDINGS_SCHEMA, NATIVE_SCHEMA_MARKER } from './native-schema.js';
export { checkOsvRecord } from './osv-parser.js';
export {
  CSAF_PRODUCT_STATUSES,
  SOURCE_FORMATS,
  emptyFinding,
  isSourceFormat,
  type AffectedPackage,
  type AliasSource,
  type CodeLocation,
  type CreditPreference,
  type CsafProductStatus,
  type CveEnrichment,
  type Evidence,
  type Finding,
  type FindingStatus,
  type OsvRangeEvent,
  type ParsedDocument,
  type ProductStatusEntry,
  type Provenance,
  type Reference,
  type ResolvedProduct,
  type RuleRef,
  type Severity,
  type SourceFormat,
  type Target,
  type ToolRef,
  type VersionRange,
  type VulnerabilityAlias,
} from './finding.js';
export {
  FINGERPRINT_PREFIX,
  FINGERPRINT_VERSION,
  fingerprintFields,
  fingerprintFinding,
  findingIdentity,
  ANCHOR_LEVELS,
  type AnchorKey,
  type AnchorLevel,
  type FindingIdentity,
  type Fingerprint,
  type FingerprintFields,
  type LocationAnchor,
} from './fingerprint.js';
export {
  clusterFindings,
  type AliasLinkMember,
  type ClusterOptions,
  type IdentityCluster,
  type IdentityItem,
  type IdentityLink,
} from './finding-clusters.js';
export {
  MAX_BUCKET,
  findNearDuplicates,
  nearDuplicateBuckets,
  type NearDuplicateCandidate,
  type NearDuplicateOptions,
  type NearDuplicateSubject,
} from './near-duplicates.js';
export {
  MemoryClusterDirectory,
  assignClusters,
  identityKeys,
  type ClusterDirectory,
  type DedupAssignment,
  type DedupItem,
  type AnchorLookup,
  type ExactLookup,
  type AnchorProposal,
  type DedupPlan,
  type IdentityKey,
  type IdentityKeyKind,
} from './assign-clusters.js';
export { ANCHOR_PROPOSAL_SIMILARITY, anchorProposalPairs } from './anchor-proposal.js';
export { MINHASH_SEED, MINHASH_SIZE, estimateJaccard, minHashSignature } from './minhash.js';
export { cweFamily } from './cwe-families.js';
export { normalizeCwe } from './cwe.js';
export { normalizeVulnerabilityId, vulnerabilityIdsInText } from './vulnerability-ids.js';
export { packageTargetFromPurl, packageTargetFromEcosystem, purlVersion } from './package-target.js';
export { cpeTarget, productTarget, repositoryTarget } from './targets.js';
export { normalizeRelativePath, withoutCheckoutPrefix } from './artifact-path.js';
