import { createHash } from 'node:crypto';
import type { CaseDetail, Statement } from '../../cases/index.js';
import type {
  AdvisoryCategory,
  AdvisorySource,
  AdvisoryStatement,
  AdvisoryVulnerability,
  CsafRevision,
} from '../domain/advisory-source.js';
import type { Tlp } from '../../../platform/tlp.js';

/**
 * A case as an {@link AdvisorySource}: each vulnerability with the statements a coordinator approved for
 * it, the product as the vendor named it (or by the vendor organisation's name). A vulnerability no
 * approved statement speaks of is left out: CSAF has no product status to give it.
 */

export interface Publisher {
  readonly name: string;
  readonly namespace: string;
  readonly contactDetails: string | null;
}

export interface CaseSourceInput {
  readonly detail: CaseDetail;
  readonly statements: readonly Statement[];
  readonly vendorNames: ReadonlyMap<string, string>;
  readonly category: AdvisoryCategory;
  readonly publisher: Publisher;
  readonly engineVersion: string;
}

function statementOf(s: Statement, vendorNames: ReadonlyMap<string, string>): AdvisoryStatement {
  const vendor = s.product.vendor ?? vendorNames.get(s.vendorOrgId) ?? s.vendorOrgId;
  return {
    product: {
      vendorKey: s.vendorOrgId,
      vendor,
      name: s.product.name,
      version: s.product.version,
      purl: s.product.purl,
      cpe: s.product.cpe,
    },
    status: s.status,
    justification: s.status === 'not_affected' ? s.justification : null,
    impactStatement: s.impactStatement,
    actionStatement: s.actionStatement,
    fixedVersions: s.fixedVersions,
    fixUrl: s.fixUrl,
    fixText: s.fixText,
    text: s.text,
  };
}

/** The vulnerabilities of the case with their approved statements, in the case's order. */
export function caseVulnerabilities(input: CaseSourceInput): AdvisoryVulnerability[] {
  const { detail } = input;
  const approved = input.statements.filter((s) => s.approval === 'approved');
  return detail.vulnerabilities.flatMap((v) => {
    const statements = approved.filter((s) => s.clusterId === v.clusterId).map((s) => statementOf(s, input.vendorNames));
    if (statements.length === 0) return [];
    // The id the coordinator assigned as CNA first; else a CVE id the reports name (and every participant reads).
    const cve = v.cveIds[0] ?? v.aliases.find((a) => /^CVE-\d{4}-\d{4,}$/.test(a)) ?? null;
    const vulnerability: AdvisoryVulnerability = {
      cve,
      ids: [{ systemName: 'Clearinghouse case', text: detail.number }],
      // The coordinator's words, not a report's: a participant may read the case without reading every report.
      title: null,
      description: detail.description ?? detail.title,
      cwe: v.cwes[0] ?? null,
      cvssVectors: v.cvssVectors,
      references: v.references.map((url) => ({ url, summary: 'Reference given by the report.' })),
      // Reporters who asked to be named, people and organisations credited as themselves; the coordinator is
      // acknowledged as the organisation that coordinated.
      acknowledgments: [
        ...(v.credits.length > 0 ? [{ names: v.credits, organization: null }] : []),
        ...v.creditedOrganizations.filter((o) => o !== input.publisher.name).map((organization) => ({ names: [], organization })),
        { names: [], organization: input.publisher.name },
      ],
      exploited: detail.exploited,
      discoveryDate: null,
      statements,
    };
    return [vulnerability];
  });
}

/** What a revision is made of: a new statement, a changed title… changes it; a new date does not. */
export function sourceFingerprint(category: AdvisoryCategory, title: string, vulnerabilities: readonly AdvisoryVulnerability[]): string {
  return createHash('sha256').update(JSON.stringify({ category, title, vulnerabilities })).digest('hex');
}

export function advisorySource(
  input: CaseSourceInput,
  vulnerabilities: readonly AdvisoryVulnerability[],
  document: { tlp: Tlp; status: 'draft' | 'final'; revisions: readonly CsafRevision[]; generatedAt: string; selfUrl: string | null },
): AdvisorySource {
  const { detail } = input;
  const vendors = [...new Set(vulnerabilities.flatMap((v) => v.statements.map((s) => s.product.vendor)))];
  return {
    category: input.category,
    trackingId: detail.number,
    title: detail.title,
    publisher: input.publisher,
    tlp: document.tlp,
    status: document.status,
    revisions: document.revisions,
    generatedAt: document.generatedAt,
    summary: `${detail.title}: ${vulnerabilities.length} ${vulnerabilities.length === 1 ? 'vulnerability' : 'vulnerabilities'} coordinated by ${input.publisher.name} with ${vendors.join(', ')}.`,
    selfUrl: document.selfUrl,
    externalReferences: [],
    vulnerabilities,
    engine: { name: 'Clearinghouse', version: input.engineVersion },
  };
}
