import { groupBy } from '../../../platform/collections.js';
import { VEX_STATUS_OF_CSAF } from '../../cases/index.js';
import type { CsafProductStatus, Finding, ParsedDocument } from '../../intake/index.js';
import type { AdvisoryProduct, AdvisorySource, AdvisoryStatement, AdvisoryStatus, AdvisoryVulnerability } from './advisory-source.js';

/**
 * A CSAF document as intake read it (one finding per vulnerability × product status) back into an
 * advisory source, so that `advisory convert` re-exports any CSAF 2.0 advisory or VEX document as ours:
 * the same vulnerabilities, products and statuses, with scores recomputed and a tree written afresh.
 */

// A re-export keeps a `recommended` product listed: as fixed, which a recommended version is.
const statusOf = (status: CsafProductStatus): AdvisoryStatus => VEX_STATUS_OF_CSAF[status] ?? 'fixed';

function productOf(finding: Finding, fallbackVendor: string): AdvisoryProduct | null {
  const resolved = finding.productStatus?.product;
  if (resolved === undefined) return null;
  const platform = resolved.platform;
  return {
    // Every product of the source stays one product, even two the source described alike.
    vendorKey: resolved.id,
    vendor: resolved.vendor ?? fallbackVendor,
    // A product named by a version range has no version here; its full name keeps the range.
    name: (resolved.version === null ? resolved.name : resolved.productName) ?? resolved.name ?? resolved.id,
    version: resolved.version,
    purl: resolved.purl,
    cpe: resolved.cpe,
    platform:
      platform === null
        ? null
        : { vendor: fallbackVendor, name: platform.name ?? platform.id, version: null, purl: null, cpe: platform.cpe },
  };
}

function statementOf(finding: Finding, product: AdvisoryProduct): AdvisoryStatement | null {
  const ps = finding.productStatus;
  if (ps === null) return null;
  const status = statusOf(ps.status);
  const remedies = ps.remediations.length > 0 ? `The vendor states a remediation (${ps.remediations.join(', ')}).` : null;
  return {
    product,
    status,
    justification: status === 'not_affected' ? ps.justification : null,
    impactStatement: status === 'not_affected' ? ps.impact : null,
    actionStatement: status === 'affected' ? remedies : null,
    fixedVersions: status === 'fixed' && product.version !== null ? [product.version] : [],
    fixUrl: null,
    fixText: status === 'fixed' ? remedies : null,
    text: null,
  };
}

function vulnerabilityOf(findings: readonly Finding[], fallbackVendor: string): AdvisoryVulnerability | null {
  const first = findings[0];
  if (first === undefined) return null;
  const cve = first.aliases.find((a) => a.source === 'record' && a.id.startsWith('CVE-'))?.id ?? null;
  const statements = findings.flatMap((f) => {
    const product = productOf(f, fallbackVendor);
    const statement = product === null ? null : statementOf(f, product);
    return statement === null ? [] : [statement];
  });
  return {
    cve,
    ids: first.aliases.filter((a) => a.id !== cve).map((a) => ({ systemName: a.id.split('-')[0] ?? 'id', text: a.id })),
    title: first.title,
    description: first.description ?? first.title ?? 'The source document gives no description.',
    cwe: first.cwes[0] ?? null,
    cvssVectors: first.severities.flatMap((s) => (s.kind === 'cvss' ? [s.vector] : [])),
    references: first.references.map((r) => ({ url: r.url, summary: r.type ?? 'Reference' })),
    acknowledgments: [],
    exploited: false,
    discoveryDate: null,
    statements,
  };
}

const record = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const textOf = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** The document-level parts intake does not read: the source's title and the documents it refers to. */
function documentParts(raw: unknown): { title: string | null; references: { url: string; summary: string }[] } {
  const document = record(record(raw)['document']);
  const references = Array.isArray(document['references']) ? document['references'].map(record) : [];
  return {
    title: textOf(document['title']),
    references: references.flatMap((r) => {
      const url = textOf(r['url']);
      return url === null ? [] : [{ url, summary: textOf(r['summary']) ?? 'Reference' }];
    }),
  };
}

/**
 * The advisory source of a parsed CSAF document (`raw` is the same document as JSON, for its title and
 * references), as a final document of one revision dated `at`. A VEX document stays `csaf_vex`, one without
 * vulnerabilities an informational advisory; everything else becomes `csaf_security_advisory`.
 */
export function advisoryFromCsafFindings(
  parsed: ParsedDocument,
  raw: unknown,
  options: { readonly publisher: AdvisorySource['publisher']; readonly at: string; readonly engine: AdvisorySource['engine'] },
): AdvisorySource {
  const parts = documentParts(raw);
  const byVulnerability = groupBy(parsed.findings, (f) => f.ref);
  const fallbackVendor = parsed.findings[0]?.provenance.publisher ?? 'Unknown vendor';
  const source = parsed.documentId ?? 'unidentified document';
  return {
    category: parsed.vex ? 'csaf_vex' : parsed.findings.length === 0 ? 'csaf_informational_advisory' : 'csaf_security_advisory',
    trackingId: `${source}-reexport`.slice(0, 200),
    title: parts.title ?? `Re-export of ${source}`,
    publisher: options.publisher,
    tlp: parsed.suggestedTlp,
    status: 'final',
    revisions: [{ number: '1', date: options.at, summary: `Re-exported from ${source}.` }],
    generatedAt: options.at,
    summary: `The vulnerabilities, products and statuses of ${source}, as read by the clearinghouse.`,
    selfUrl: null,
    externalReferences: parts.references,
    vulnerabilities: [...byVulnerability.values()].flatMap((group) => vulnerabilityOf(group, fallbackVendor) ?? []),
    engine: options.engine,
  };
}
