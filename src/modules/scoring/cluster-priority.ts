import type { Actor } from '../../platform/actor.js';
import type { ServiceContext } from '../../platform/context.js';
import { isEvent, type EventConsumer, type StoredEvent } from '../../platform/events/index.js';
import { clusterReportsDigest, clustersByAlias } from '../intake/index.js';
import { exposureForAdvisory } from '../inventory/index.js';
import { EXPOSURE_CHANGED, type ExposureChangedPayload } from '../inventory/pure.js';
import {
  CLUSTER_ACCEPTED,
  CLUSTER_VALIDATED,
  REPORTS_IN_TRANSITION,
  TRANSITION_EVENTS_V1,
  type ClusterReportsSnapshot,
  type SsvcEnrichmentRecord,
} from '../validation/pure.js';
import type { CisaAdpSsvc } from './domain/cisa-adp-ssvc.js';
import type { ExposedAsset } from './domain/exposure.js';
import type { ValidatorAssessment } from './domain/ssvc-input-sources.js';
import { SCORING_SYSTEM } from './jobs.js';
import { scoreVectors } from './service/cvss-scores.js';
import { findDecision } from './store/decisions.js';
import { prioritize } from './service/decisions.js';

const EXPLOIT_REFERENCE = /exploit|poc|proof[-_ ]of[-_ ]concept/i;

interface ClusterSignals {
  readonly aliases: readonly string[];
  readonly cveIds: string[];
  readonly vectors: string[];
  readonly exploitReferences: string[];
  readonly cisaAdp: CisaAdpSsvc | null;
}

/** CISA's ADP SSVC enrichment as intake read it from a CVE record, in scoring's terms; null if incomplete. */
function cisaAdpOf(ssvc: SsvcEnrichmentRecord, cveId: string | undefined): CisaAdpSsvc | null {
  if (cveId === undefined) return null;
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

/** What prioritization weighs of a cluster's reports: CVE ids, CVSS vectors, exploit references, CISA's SSVC. */
function signalsOf(reports: ClusterReportsSnapshot): ClusterSignals {
  const cveIds = reports.aliases.filter((a) => a.startsWith('CVE-'));
  const exploitReferences = new Set<string>();
  for (const reference of reports.references)
    if (EXPLOIT_REFERENCE.test(`${reference.type ?? ''} ${reference.url}`)) exploitReferences.add(reference.url);
  let cisaAdp: CisaAdpSsvc | null = null;
  for (const ssvc of reports.ssvc) cisaAdp ??= cisaAdpOf(ssvc, cveIds[0]);
  return { aliases: reports.aliases, cveIds, vectors: [...reports.cvssVectors], exploitReferences: [...exploitReferences], cisaAdp };
}

/**
 * The cluster's reports as they stand now, read from intake, in the shape a transition event carries them:
 * for new exposure of an advisory (an inventory event, which knows nothing of clusters) and for version 1
 * transition events queued before they carried `reports`.
 */
async function currentReports(ctx: ServiceContext, clusterId: string): Promise<ClusterReportsSnapshot> {
  return clusterReportsDigest(ctx.db.kysely, clusterId, REPORTS_IN_TRANSITION);
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
async function prioritizeCluster(
  ctx: ServiceContext,
  clusterId: string,
  reports: ClusterReportsSnapshot,
  validation: ValidatorAssessment | null | undefined,
  reason: string,
): Promise<void> {
  const signals = signalsOf(reports);
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
 * New exposure of advisories re-decides the already-decided clusters known by their ids (each advisory's id
 * and aliases, in the events' order): the clusters of all the ids looked up at once, each cluster decided
 * once however many of the events name it (deciding is idempotent: again on the same inputs writes nothing).
 */
async function reprioritizeExposed(ctx: ServiceContext, events: readonly StoredEvent<ExposureChangedPayload>[]): Promise<void> {
  if (events.length === 0) return;
  const idsOf = events.map((e) => [...new Set([...e.payload.aliases, e.payload.advisoryId])].filter(Boolean));
  const clusters = await clustersByAlias(ctx, [...new Set(idsOf.flat())], 50);
  const seen = new Set<string>();
  for (const cluster of idsOf.flat().flatMap((alias) => clusters.get(alias) ?? [])) {
    if (seen.has(cluster.id)) continue;
    seen.add(cluster.id);
    if ((await findDecision(ctx.db.kysely, cluster.id)) !== undefined)
      await prioritizeCluster(ctx, cluster.id, await currentReports(ctx, cluster.id), undefined, 'exposure');
  }
}

/**
 * `scoring.cluster-priority`: a cluster validated (or accepted) is prioritized; new exposure of an
 * advisory re-decides the already-decided clusters known by its ids — for the exposure changes of one job
 * (an SBOM upload changes dozens) together.
 */
export function clusterPriorityConsumer(deps: { contextFor(actor: Actor): ServiceContext }): EventConsumer {
  const handleAll = async (events: readonly StoredEvent[]) => {
    const ctx = deps.contextFor(SCORING_SYSTEM);
    let exposed: StoredEvent<ExposureChangedPayload>[] = [];
    for (const event of events) {
      if (isEvent(event, EXPOSURE_CHANGED)) {
        exposed.push(event);
        continue;
      }
      // The events' order stands: the exposure changes before this one first.
      await reprioritizeExposed(ctx, exposed);
      exposed = [];
      if (isEvent(event, CLUSTER_VALIDATED) || isEvent(event, CLUSTER_ACCEPTED)) {
        const { clusterId, reports, assessments } = event.payload;
        await prioritizeCluster(ctx, clusterId, reports, strongestAssessment(assessments), 'validation');
      } else if (isEvent(event, TRANSITION_EVENTS_V1.validated) || isEvent(event, TRANSITION_EVENTS_V1.accepted)) {
        const { clusterId, assessments } = event.payload;
        await prioritizeCluster(ctx, clusterId, await currentReports(ctx, clusterId), strongestAssessment(assessments), 'validation');
      }
    }
    await reprioritizeExposed(ctx, exposed);
  };
  return {
    name: 'scoring.cluster-priority',
    types: [CLUSTER_VALIDATED, CLUSTER_ACCEPTED, EXPOSURE_CHANGED],
    handle: (event) => handleAll([event]),
    handleAll,
  };
}
