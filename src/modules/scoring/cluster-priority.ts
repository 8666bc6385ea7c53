import type { Actor } from '../../platform/actor.js';
import type { ServiceContext } from '../../platform/context.js';
import { isEvent, type EventConsumer, type StoredEvent } from '../../platform/events/index.js';
import { findingsData, getCluster, listClusters, type Finding } from '../intake/index.js';
import { exposureForAdvisory } from '../inventory/index.js';
import { EXPOSURE_CHANGED } from '../inventory/pure.js';
import { CLUSTER_ACCEPTED, CLUSTER_VALIDATED } from '../validation/pure.js';
import type { CisaAdpSsvc } from './domain/cisa-adp-ssvc.js';
import type { ExposedAsset } from './domain/exposure.js';
import type { ValidatorAssessment } from './domain/ssvc-input-sources.js';
import { SCORING_SYSTEM } from './jobs.js';
import { scoreVectors } from './service/cvss-scores.js';
import { findDecision } from './store/decisions.js';
import { prioritize } from './service/decisions.js';

/** Reports read per cluster for their CVSS vectors, CISA enrichment and exploit references. */
const REPORTS_READ = 50;
const EXPLOIT_REFERENCE = /exploit|poc|proof[-_ ]of[-_ ]concept/i;

interface ClusterSignals {
  readonly cveIds: string[];
  readonly vectors: string[];
  readonly exploitReferences: string[];
  readonly cisaAdp: CisaAdpSsvc | null;
}

/** CISA's ADP SSVC enrichment as intake read it from a CVE record, in scoring's terms; null if incomplete. */
function cisaAdpOf(finding: Finding, cveId: string | undefined): CisaAdpSsvc | null {
  const ssvc = finding.enrichment?.ssvc;
  if (!ssvc || cveId === undefined) return null;
  const value = (name: string) =>
    Object.entries(ssvc.options)
      .find(([k]) => k.toLowerCase() === name)?.[1]
      ?.toLowerCase()
      .replace('public poc', 'poc');
  const exploitation = value('exploitation');
  const automatable = value('automatable');
  const technicalImpact = value('technical impact');
  if (
    !['none', 'poc', 'active'].includes(exploitation ?? '') ||
    !['yes', 'no'].includes(automatable ?? '') ||
    !['partial', 'total'].includes(technicalImpact ?? '')
  )
    return null;
  return {
    cveId,
    role: ssvc.role ?? 'CISA Coordinator',
    version: ssvc.version ?? '',
    timestamp: ssvc.timestamp ?? '',
    exploitation: exploitation as CisaAdpSsvc['exploitation'],
    automatable: automatable as CisaAdpSsvc['automatable'],
    technicalImpact: technicalImpact as CisaAdpSsvc['technicalImpact'],
    pointer: `/containers/adp (${ssvc.provider})`,
  };
}

/** What a cluster's reports say that prioritization weighs: CVE ids, CVSS vectors, exploit references, CISA's SSVC. */
async function clusterSignals(ctx: ServiceContext, clusterId: string): Promise<ClusterSignals & { aliases: string[] }> {
  const cluster = await getCluster(ctx, clusterId);
  const cveIds = cluster.aliases.filter((a) => a.startsWith('CVE-'));
  const vectors = new Set<string>();
  const exploitReferences = new Set<string>();
  let cisaAdp: CisaAdpSsvc | null = null;
  // The reports getCluster showed this reader, their findings read in one statement (not one each).
  const read = cluster.findings.slice(0, REPORTS_READ).map((report) => report.id);
  const data = await findingsData(ctx.db.kysely, read);
  for (const id of read) {
    const finding = data.get(id);
    if (finding === undefined) continue;
    for (const severity of finding.severities) if (severity.kind === 'cvss') vectors.add(severity.vector);
    for (const reference of finding.references)
      if (EXPLOIT_REFERENCE.test(`${reference.type ?? ''} ${reference.url}`)) exploitReferences.add(reference.url);
    cisaAdp ??= cisaAdpOf(finding, cveIds[0]);
  }
  return { aliases: cluster.aliases, cveIds, vectors: [...vectors], exploitReferences: [...exploitReferences], cisaAdp };
}

/** The operators' exposed assets for the cluster's ids, or null when the inventory knows none of them. */
async function exposureOf(ctx: ServiceContext, aliases: readonly string[]): Promise<ExposedAsset[] | null> {
  if (aliases.length === 0) return null;
  const exposure = await exposureForAdvisory(ctx, aliases);
  return exposure.known ? exposure.exposedAssets : null;
}

/**
 * Decides a validated cluster's priority from everything known about it: its CVE ids (KEV, EPSS), the
 * validators' assessments, CISA's enrichment, exploit references, and the operators whose inventories
 * run it. Idempotent: the same inputs write nothing new.
 */
export async function prioritizeCluster(
  ctx: ServiceContext,
  clusterId: string,
  validation: ValidatorAssessment | null | undefined,
  reason: string,
): Promise<void> {
  const signals = await clusterSignals(ctx, clusterId);
  if (signals.vectors.length > 0) await scoreVectors(ctx, clusterId, signals.vectors);
  await prioritize(ctx, {
    subjectId: clusterId,
    reason,
    cveIds: signals.cveIds,
    publicExploitReferences: signals.exploitReferences,
    cisaAdp: signals.cisaAdp,
    exposure: await exposureOf(ctx, signals.aliases),
    ...(validation === undefined ? {} : { validation }),
  });
}

function strongestAssessment(assessments: readonly ValidatorAssessment[]): ValidatorAssessment | null {
  const valid = assessments.filter((a) => typeof a.validator === 'string' && typeof a.assessedAt === 'string');
  // The most recent confirmation speaks for the cluster; earlier ones stay in the validation record.
  return [...valid].sort((a, b) => (a.assessedAt < b.assessedAt ? 1 : -1))[0] ?? null;
}

/**
 * `scoring.cluster-priority`: a cluster validated (or accepted) is prioritized; new exposure of an
 * advisory re-decides the already-decided clusters known by its ids.
 */
export function clusterPriorityConsumer(deps: { contextFor(actor: Actor): ServiceContext }): EventConsumer {
  return {
    name: 'scoring.cluster-priority',
    types: [CLUSTER_VALIDATED, CLUSTER_ACCEPTED, EXPOSURE_CHANGED],
    async handle(event: StoredEvent) {
      const ctx = deps.contextFor(SCORING_SYSTEM);
      if (isEvent(event, EXPOSURE_CHANGED)) {
        const ids = [...new Set([...event.payload.aliases, event.payload.advisoryId])].filter(Boolean);
        for (const alias of ids) {
          for (const cluster of (await listClusters(ctx, { alias, limit: 50 })).items) {
            if ((await findDecision(ctx.db.kysely, cluster.id)) !== undefined)
              await prioritizeCluster(ctx, cluster.id, undefined, 'exposure');
          }
        }
        return;
      }
      if (isEvent(event, CLUSTER_VALIDATED) || isEvent(event, CLUSTER_ACCEPTED))
        await prioritizeCluster(ctx, event.payload.clusterId, strongestAssessment(event.payload.assessments), 'validation');
    },
  };
}
