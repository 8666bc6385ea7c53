import type { ServiceContext } from '../../../platform/context.js';
import { asActor } from '../../../platform/context.js';
import { canonicalJson, sha256Hex } from '../../../platform/hash.js';
import type { Tlp } from '../../../platform/tlp.js';
import { appendTo } from '../../../platform/collections.js';
import type { AffectedOperators, AssetMatches, ReadableAdvisory } from '../../inventory/index.js';
import { deployerPrioritiesMany, type DeployerPriorities, type DeployerPriorityRequest } from '../../scoring/index.js';
import {
  buildAdvisoryNotice,
  type AffectedAsset,
  type AssetDecision,
  type NotificationType,
  type PublicationNotice,
} from '../domain/notification.js';
import type { NoticeDraft } from './fan-out.js';
import { readerOf } from './org-reader.js';
import { publicationOf, publicationReadableBy } from './publication-access.js';

/** Operators targeted per transaction (notices written together): one page of the reverse match, one statement of each kind. */
export const TARGETING_PAGE = 500;

export interface TargetingDeps {
  /** The server's public base URL, for the remediation links notifications carry. */
  readonly publicUrl: string;
}

export interface TargetingRequest {
  readonly type: Extract<NotificationType, 'advisory.published' | 'advisory.matched' | 'embargo.prenotice'>;
  /** The inventory's advisory (id or alias) whose matches say who runs what. */
  readonly advisoryId: string;
  /** Only these operators (an exposure change names them); all that match when absent. */
  readonly orgIds?: readonly string[];
  /**
   * What makes a notification the same again, besides its organisation and content. An advisory derived from
   * a published one is always told as `advisory.published` of its current version, whichever event asked.
   */
  readonly dedupScope: string;
  readonly sourceEventId: string | null;
  readonly title?: string;
  /**
   * Leave advisories derived from a publication alone: `notify.publication` tells every operator after its own
   * reverse match, so that match's exposure event would only repeat the work to be deduplicated.
   */
  readonly skipPublications?: boolean;
  /** Pre-notices: the embargo's end, and the TLP the coordinator published the notice at. */
  readonly embargo?: { readonly endsAt: string } | null;
  /** Extra fields the coordinator published with the notice (a pre-notice's text). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** One advisory's notices for one page of operators, not written yet. */
export interface PlannedNotices {
  readonly advisoryId: string;
  readonly type: TargetingRequest['type'];
  readonly sourceEventId: string | null;
  readonly drafts: readonly NoticeDraft[];
}

export type TargetingCounts = { matchedOperators: number; entitledOperators: number };

/** A request whose advisory is to be told, with what telling it takes. */
export interface Target {
  readonly request: TargetingRequest;
  readonly found: ReadableAdvisory;
  readonly publication: PublicationNotice | null;
  readonly type: TargetingRequest['type'];
  readonly dedupScope: string;
  readonly noticeTlp: Tlp;
  readonly cveIds: readonly string[];
}

/**
 * What a request tells, given its advisory as the system sees it (absent: nobody is told anything): a
 * published case advisory is told as `advisory.published` of its current version; a withdrawn one, or one
 * derived from a publication no longer published, tells nobody.
 */
export async function targetOf(
  ctx: ServiceContext,
  deps: TargetingDeps,
  request: TargetingRequest,
  found: ReadableAdvisory | undefined,
): Promise<Target | null> {
  if (found === undefined) return null;
  const { advisory } = found;
  const prenotice = request.type === 'embargo.prenotice';
  const publication = prenotice ? null : await publicationOf(ctx, deps, advisory);
  if (publication === null && request.type === 'advisory.published') return null;
  if (publication !== null && request.skipPublications === true) return null;
  if (advisory.withdrawn !== null && !prenotice) return null;
  return {
    request,
    found,
    publication,
    type: publication === null ? request.type : 'advisory.published',
    dedupScope: publication === null ? request.dedupScope : `v${publication.version}`,
    noticeTlp: prenotice ? 'AMBER+STRICT' : advisory.tlp,
    cveIds: [advisory.id, ...advisory.aliases],
  };
}

/** An affected asset with the inventory's typed fields, which scoring's deployer tree reads. */
type TypedAsset = AffectedAsset & Pick<AssetMatches, 'sector' | 'criticality'>;

export type Reached = { readonly orgId: string; readonly assets: readonly TypedAsset[] };

function affectedAssets(orgId: string, assets: readonly AssetMatches[]): TypedAsset[] {
  return assets.flatMap((a) => {
    const components = a.matches
      .filter((m) => m.status === 'affected')
      .map((m) => ({ purl: m.purl, version: m.version, fixed: [...m.fixed] }));
    return components.length === 0
      ? []
      : [
          {
            orgId,
            assetId: a.assetId,
            name: a.name,
            sector: a.sector,
            criticality: a.criticality,
            internetFacing: a.internetFacing,
            components,
          },
        ];
  });
}

/**
 * Whether the organisation may read the advisory (its TLP, owner and recipients), as any member of it could;
 * for a published advisory, also the advisories module's record of it. A pre-notice is the coordinator's own
 * publication to each operator in scope.
 */
async function entitled(ctx: ServiceContext, target: Target, orgId: string): Promise<boolean> {
  if (target.request.type === 'embargo.prenotice') return true;
  if (target.noticeTlp === 'RED') return false;
  if (target.publication !== null && !(await publicationReadableBy(ctx, readerOf(orgId), target.publication.advisoryId))) return false;
  return target.found.readableBy(readerOf(orgId));
}

/**
 * Of one page of the reverse match, the operators with affected assets that may hear of the advisory,
 * counting the operators matched and entitled into `counts`.
 */
export async function reachedOperators(
  ctx: ServiceContext,
  target: Target,
  items: AffectedOperators['items'],
  counts: TargetingCounts,
): Promise<Reached[]> {
  const operators = items
    .map((item) => ({ orgId: item.orgId, assets: affectedAssets(item.orgId, item.assets) }))
    .filter((o) => o.assets.length > 0);
  counts.matchedOperators += operators.length;
  const reached = [];
  for (const o of operators) if (await entitled(ctx, target, o.orgId)) reached.push(o);
  counts.entitledOperators += reached.length;
  return reached;
}

/** One page of operators to decide for: the advisory's CVE ids and the operators reached. */
export interface DecisionPage {
  readonly cveIds: readonly string[];
  readonly reached: readonly Reached[];
}

function requestOf(page: DecisionPage, operators: readonly Reached[]): DeployerPriorityRequest {
  return {
    cveIds: page.cveIds,
    assets: operators.flatMap((o) =>
      o.assets.map((a) => ({
        operatorId: o.orgId,
        assetId: a.assetId,
        sector: a.sector,
        criticality: a.criticality,
        internetFacing: a.internetFacing,
      })),
    ),
  };
}

function keep(decisions: Map<string, AssetDecision>, priorities: DeployerPriorities): void {
  for (const d of priorities.decisions)
    decisions.set(d.assetId, {
      outcome: d.outcome,
      dueAt: d.deadline.dueAt,
      days: d.deadline.days,
      policyVersion: priorities.policyVersion,
    });
}

/**
 * The SSVC deployer decision of every asset of each page, by asset id, as each operator may know it: the
 * system may use a coordinator decision of a cluster the operator may not see (a hidden report's
 * exploitation would show through the outcome and due date), so where the system's answer rests on a
 * decision, each operator's is asked as a reader of that organisation. One scoring read for all the pages as
 * the system, and one per operator whose answer rests on a decision.
 */
export async function decisionsOfPages(ctx: ServiceContext, pages: readonly DecisionPage[]): Promise<Map<string, AssetDecision>[]> {
  const out = pages.map(() => new Map<string, AssetDecision>());
  if (pages.length === 0) return out;
  const asSystem = await deployerPrioritiesMany(
    ctx,
    pages.map((page) => requestOf(page, page.reached)),
  );
  const byOperator = new Map<
    string,
    { readonly page: DecisionPage; readonly decisions: Map<string, AssetDecision>; readonly operator: Reached }[]
  >();
  pages.forEach((page, i) => {
    const answer = asSystem[i];
    const decisions = out[i];
    if (answer === undefined || decisions === undefined) return;
    // From the public feeds alone: what every operator would be told.
    if (answer.basis.kind === 'feeds') return keep(decisions, answer);
    for (const operator of page.reached) {
      appendTo(byOperator, operator.orgId, { page, decisions, operator });
    }
  });
  for (const [orgId, asked] of byOperator) {
    const answers = await deployerPrioritiesMany(
      asActor(ctx, readerOf(orgId)),
      asked.map(({ page, operator }) => requestOf(page, [operator])),
    );
    asked.forEach(({ decisions }, j) => {
      const answer = answers[j];
      if (answer !== undefined) keep(decisions, answer);
    });
  }
  return out;
}

function titleOf(target: Target, assets: number): string {
  const { advisory } = target.found;
  const affects = `affects ${assets} of your assets`;
  const publication = target.publication;
  if (publication !== null)
    return `${publication.revision ? `Revision ${publication.version} of ` : ''}${publication.trackingId}: ${publication.title} ${affects}`;
  return `${advisory.aliases.find((a) => a.startsWith('CVE-')) ?? advisory.id}: ${advisory.summary ?? 'an advisory'} ${affects}`;
}

/** The notices of one page of reached operators, each about its own assets, with the decisions of {@link decisionsOfPages}. */
export function plannedNotices(
  target: Target,
  reached: readonly Reached[],
  decisions: ReadonlyMap<string, AssetDecision>,
  link: (notificationId: string, orgId: string) => { readonly link: string; readonly expiresAt: string },
): PlannedNotices {
  const { request, type, publication, noticeTlp } = target;
  const { advisory } = target.found;
  const drafts: NoticeDraft[] = reached.map((o) => {
    // The same assets, components and fixed versions for the same advisory state are one notification.
    const content = sha256Hex(canonicalJson(o.assets.map((a) => [a.assetId, a.components]))).slice(0, 32);
    return {
      orgId: o.orgId,
      type,
      dedupKey: `${type}:${advisory.id}:${target.dedupScope}:${content}`,
      subjectId: advisory.id,
      sourceEventId: request.sourceEventId,
      title: request.title ?? titleOf(target, o.assets.length),
      tlp: noticeTlp,
      build: (notificationId) => {
        const built = buildAdvisoryNotice({
          type,
          publication,
          notificationId,
          orgId: o.orgId,
          advisory: { id: advisory.id, aliases: advisory.aliases, summary: advisory.summary, tlp: advisory.tlp },
          assets: o.assets,
          decisions,
          embargo: request.embargo ?? null,
          remediation: link(notificationId, o.orgId),
        });
        return { data: request.extra === undefined ? built.data : { ...built.data, notice: request.extra }, facets: built.facets };
      },
      remediation: o.assets.map((a) => ({
        advisoryId: advisory.id,
        assetId: a.assetId,
        assetName: a.name,
        sector: a.sector,
        decision: decisions.get(a.assetId)?.outcome ?? null,
        dueAt: decisions.get(a.assetId)?.dueAt ?? null,
      })),
    };
  });
  return { advisoryId: advisory.id, type, sourceEventId: request.sourceEventId, drafts };
}
