import { systemActor } from '../../../platform/actor.js';
import { asActor, type ServiceContext } from '../../../platform/context.js';
import { NotFoundError } from '../../../platform/errors.js';
import { orgNames } from '../../identity/index.js';
import { findingsData, getCluster, packageTargetFromPurl, type ClusterDetail, type Finding } from '../../intake/index.js';
import type { CaseVulnerability } from '../presenters.js';
import type { CveRow, VulnerabilityRow } from '../store/tables.js';

/** Package URLs these findings name as affected (version-free identities are enough to match vendor scopes). */
export function affectedPackages(findings: Iterable<Finding>): string[] {
  const purls = new Set<string>();
  for (const finding of findings)
    for (const target of [...finding.targets, ...finding.affected.flatMap((a) => (a.target === null ? [] : [a.target]))])
      if (target.kind === 'package' && packageTargetFromPurl(target.purl) !== null) purls.add(target.purl);
  return [...purls].sort();
}

/** CVSS vectors, reference URLs and the names credited of these findings, each once, in a stable order. */
function reportFacts(findings: Iterable<Finding>): Pick<CaseVulnerability, 'cvssVectors' | 'references' | 'credits'> {
  const vectors = new Set<string>();
  const references = new Set<string>();
  const credits = new Set<string>();
  for (const f of findings) {
    for (const s of f.severities) if (s.kind === 'cvss') vectors.add(s.vector);
    for (const r of f.references) if (/^https?:\/\//.test(r.url)) references.add(r.url);
    if (f.credit?.mode === 'named' && f.credit.name !== null && f.credit.name.trim() !== '') credits.add(f.credit.name.trim());
  }
  return { cvssVectors: [...vectors].sort(), references: [...references].sort(), credits: [...credits].sort() };
}

/**
 * The names of the reporting organisations that asked to be credited as themselves (credit mode `organization`)
 * in these reports. Read as the system: the organisation agreed to be named to whoever reads its report.
 */
async function creditedOrganizations(
  ctx: ServiceContext,
  reports: readonly { readonly id: string; readonly reporterOrgId: string }[],
  findings: ReadonlyMap<string, Finding>,
): Promise<string[]> {
  const orgIds = reports.filter((r) => findings.get(r.id)?.credit?.mode === 'organization').map((r) => r.reporterOrgId);
  if (orgIds.length === 0) return [];
  const names = await orgNames(asActor(ctx, systemActor('cases')), orgIds);
  return [...new Set(orgIds.flatMap((id) => names.get(id) ?? []))].sort();
}

async function clusterAsSeen(ctx: ServiceContext, clusterId: string): Promise<ClusterDetail | null> {
  try {
    return await getCluster(ctx, clusterId);
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

/**
 * The case's vulnerabilities as the reader may see them (DESIGN §5, derived data): title, aliases and CWEs
 * from intake's summary of the cluster for this reader, packages from the reports it may read — never the
 * text stored at opening, which was derived from every report. A cluster of which the reader may read no
 * report shows its id only.
 */
export async function vulnerabilitiesAsSeen(
  ctx: ServiceContext,
  rows: readonly VulnerabilityRow[],
  cves: readonly Pick<CveRow, 'cve_id' | 'cluster_id' | 'state'>[] = [],
): Promise<CaseVulnerability[]> {
  const out: CaseVulnerability[] = [];
  for (const row of rows) {
    const cveIds = cves
      .filter((c) => c.cluster_id === row.cluster_id && (c.state === 'assigned' || c.state === 'published'))
      .map((c) => c.cve_id);
    const cluster = await clusterAsSeen(ctx, row.cluster_id);
    if (cluster === null) {
      out.push({
        clusterId: row.cluster_id,
        title: null,
        aliases: [],
        cveIds,
        cwes: [],
        purls: [],
        cvssVectors: [],
        references: [],
        credits: [],
        creditedOrganizations: [],
      });
      continue;
    }
    const findings = await findingsData(
      ctx.db.kysely,
      cluster.findings.map((f) => f.id),
    );
    out.push({
      clusterId: row.cluster_id,
      title: cluster.title,
      aliases: cluster.aliases,
      cveIds,
      cwes: cluster.cwes,
      purls: affectedPackages(findings.values()),
      ...reportFacts(findings.values()),
      creditedOrganizations: await creditedOrganizations(ctx, cluster.findings, findings),
    });
  }
  return out;
}
