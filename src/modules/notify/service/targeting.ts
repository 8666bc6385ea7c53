import type { ServiceContext } from '../../../platform/context.js';
import { asActor } from '../../../platform/context.js';
import { chunks, withTransaction, type Executor } from '../../../platform/db/index.js';
import { NotFoundError } from '../../../platform/errors.js';
import { canonicalJson, sha256Hex } from '../../../platform/hash.js';
import type { Tlp } from '../../../platform/tlp.js';
import { affectedOperators, getAdvisory, type Advisory, type AssetMatches } from '../../inventory/index.js';
import { deployerPriorities, type DeployerPriorities } from '../../scoring/index.js';
import {
  buildAdvisoryNotice,
  type AffectedAsset,
  type AssetDecision,
  type NotificationType,
  type PublicationNotice,
} from '../domain/notification.js';
import { fanOut, type FanOutDetail, type FanOutResult, type NoticeDraft } from './fan-out.js';
import { remediationLinkMaker } from './links.js';
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

export interface TargetingResult extends FanOutResult {
  /** Operators the advisory affects among those asked about, and those entitled to hear of it. */
  readonly matchedOperators: number;
  readonly entitledOperators: number;
}

/**
 * Whether the organisation may read the advisory (its TLP, owner and recipients), as any member of it could;
 * for a published advisory, also the advisories module's record of it.
 */
async function entitled(
  ctx: ServiceContext,
  advisory: Advisory,
  orgId: string,
  noticeTlp: Tlp,
  publication: PublicationNotice | null,
): Promise<boolean> {
  if (noticeTlp === 'RED') return false;
  if (publication !== null && !(await publicationReadableBy(ctx, readerOf(orgId), publication.advisoryId))) return false;
  if (advisory.tlp === 'CLEAR' || advisory.tlp === 'GREEN') return true;
  try {
    await getAdvisory(asActor(ctx, readerOf(orgId)), advisory.id);
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
}

/** An affected asset with the inventory's typed fields, which scoring's deployer tree reads. */
type TypedAsset = AffectedAsset & Pick<AssetMatches, 'sector' | 'criticality'>;

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

type Reached = { readonly orgId: string; readonly assets: readonly TypedAsset[] };

/**
 * The SSVC deployer decision of every asset, as each operator may know it: the system may use a coordinator
 * decision of a cluster the operator may not see (a hidden report's exploitation would show through the
 * outcome and due date), so where the system's answer rests on a decision, each operator's is asked as a
 * reader of that organisation. Answers by asset id.
 */
async function decisionsFor(
  ctx: ServiceContext,
  cveIds: readonly string[],
  reached: readonly Reached[],
): Promise<Map<string, AssetDecision>> {
  const request = (operators: readonly Reached[]) => ({
    cveIds,
    assets: operators.flatMap((o) =>
      o.assets.map((a) => ({
        operatorId: o.orgId,
        assetId: a.assetId,
        sector: a.sector,
        criticality: a.criticality,
        internetFacing: a.internetFacing,
      })),
    ),
  });
  const decisions = new Map<string, AssetDecision>();
  const keep = (priorities: DeployerPriorities) => {
    for (const d of priorities.decisions)
      decisions.set(d.assetId, {
        outcome: d.outcome,
        dueAt: d.deadline.dueAt,
        days: d.deadline.days,
        policyVersion: priorities.policyVersion,
      });
  };
  const asSystem = await deployerPriorities(ctx, request(reached));
  // From the public feeds alone: what every operator would be told.
  if (asSystem.basis.kind === 'feeds') keep(asSystem);
  else for (const o of reached) keep(await deployerPriorities(asActor(ctx, readerOf(o.orgId)), request([o])));
  return decisions;
}

function titleOf(advisory: Advisory, publication: PublicationNotice | null, assets: number): string {
  const affects = `affects ${assets} of your assets`;
  if (publication !== null)
    return `${publication.revision ? `Revision ${publication.version} of ` : ''}${publication.trackingId}: ${publication.title} ${affects}`;
  return `${advisory.aliases.find((a) => a.startsWith('CVE-')) ?? advisory.id}: ${advisory.summary ?? 'an advisory'} ${affects}`;
}

/** One advisory's notices for one page of operators, not written yet. */
export interface PlannedNotices {
  readonly advisoryId: string;
  readonly type: TargetingRequest['type'];
  readonly sourceEventId: string | null;
  readonly drafts: readonly NoticeDraft[];
}

export type TargetingCounts = { matchedOperators: number; entitledOperators: number };

/**
 * The notices of one request, a page of the reverse match at a time (see {@link notifyAffectedOperators}),
 * counting the operators matched and entitled into `counts`. Reads only.
 */
export async function* planNotices(
  ctx: ServiceContext,
  deps: TargetingDeps,
  request: TargetingRequest,
  counts: TargetingCounts,
): AsyncGenerator<PlannedNotices> {
  let advisory: Advisory;
  try {
    advisory = await getAdvisory(ctx, request.advisoryId);
  } catch (error) {
    if (error instanceof NotFoundError) return;
    throw error;
  }
  const prenotice = request.type === 'embargo.prenotice';
  const publication = prenotice ? null : await publicationOf(ctx, deps, advisory);
  // An advisory derived from a publication that is no longer published tells nobody anything.
  if (publication === null && request.type === 'advisory.published') return;
  if (publication !== null && request.skipPublications === true) return;
  const type: TargetingRequest['type'] = publication === null ? request.type : 'advisory.published';
  const dedupScope = publication === null ? request.dedupScope : `v${publication.version}`;
  const noticeTlp: Tlp = prenotice ? 'AMBER+STRICT' : advisory.tlp;
  if (advisory.withdrawn !== null && !prenotice) return;
  const link = await remediationLinkMaker(ctx, deps.publicUrl);
  const cveIds = [advisory.id, ...advisory.aliases];
  const scopes: (readonly string[] | undefined)[] = request.orgIds === undefined ? [undefined] : chunks(request.orgIds, 1000);
  for (const among of scopes) {
    let cursor: string | undefined;
    do {
      const page = await affectedOperators(ctx, advisory.id, { limit: TARGETING_PAGE, cursor }, among);
      cursor = page.nextCursor ?? undefined;
      const operators = page.items
        .map((item) => ({ orgId: item.orgId, assets: affectedAssets(item.orgId, item.assets) }))
        .filter((o) => o.assets.length > 0);
      counts.matchedOperators += operators.length;
      const reached = [];
      for (const o of operators) if (prenotice || (await entitled(ctx, advisory, o.orgId, noticeTlp, publication))) reached.push(o);
      counts.entitledOperators += reached.length;
      if (reached.length === 0) continue;
      const decisions = await decisionsFor(ctx, cveIds, reached);
      const drafts: NoticeDraft[] = reached.map((o) => {
        // The same assets, components and fixed versions for the same advisory state are one notification.
        const content = sha256Hex(canonicalJson(o.assets.map((a) => [a.assetId, a.components]))).slice(0, 32);
        const title = request.title ?? titleOf(advisory, publication, o.assets.length);
        return {
          orgId: o.orgId,
          type,
          dedupKey: `${type}:${advisory.id}:${dedupScope}:${content}`,
          subjectId: advisory.id,
          sourceEventId: request.sourceEventId,
          title,
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
      yield { advisoryId: advisory.id, type, sourceEventId: request.sourceEventId, drafts };
    } while (cursor !== undefined);
  }
}

/**
 * Writes planned notices in the caller's transaction: one fan-out for all of them (one dispatch kick), and
 * one audit line per advisory and request that created notifications, as each request's own transaction
 * would have written it. A draft whose organisation and dedup key an earlier one in the batch has is left
 * out, as it would have found the earlier one stored.
 */
export async function writeNotices(ctx: ServiceContext, trx: Executor, planned: readonly PlannedNotices[]): Promise<FanOutDetail> {
  const seen = new Set<string>();
  const groups = planned.map((p) => ({
    ...p,
    drafts: p.drafts.filter((d) => {
      const key = `${d.orgId}\u0000${d.dedupKey}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
  }));
  const out = await fanOut(
    ctx,
    trx,
    groups.flatMap((g) => g.drafts),
  );
  for (const g of groups) {
    let notifications = 0;
    let deliveries = 0;
    for (const draft of g.drafts) {
      const created = out.created.get(draft);
      if (created === undefined) continue;
      notifications++;
      deliveries += created.deliveries;
    }
    if (notifications === 0) continue;
    await ctx.audit.record(trx, ctx.actor, {
      action: 'notify.notification.create',
      subject: { type: 'advisory', id: g.advisoryId },
      diff: { type: g.type, notifications, deliveries, sourceEventId: g.sourceEventId },
    });
  }
  return out;
}

/**
 * Tells exactly the operators whose inventories run an affected version of an advisory — page by page of
 * the inventory's reverse match — each about its own assets and components, the fixed versions, and the
 * SSVC deployer decision and due date per asset (scoring), with a signed link to report remediation.
 * Operators that match nothing hear nothing; an operator the advisory's TLP does not reach hears nothing
 * (a pre-notice is the coordinator's own publication at TLP:AMBER+STRICT to each operator in scope). The
 * same content for the same operator is sent once. Runs as the system.
 */
export async function notifyAffectedOperators(
  ctx: ServiceContext,
  deps: TargetingDeps,
  request: TargetingRequest,
): Promise<TargetingResult> {
  const totals = { notifications: 0, deliveries: 0, createdIds: [] as string[], matchedOperators: 0, entitledOperators: 0 };
  for await (const planned of planNotices(ctx, deps, request, totals)) {
    const result = await withTransaction(ctx.db, (trx) => writeNotices(ctx, trx, [planned]));
    totals.notifications += result.notifications;
    totals.deliveries += result.deliveries;
    totals.createdIds.push(...result.createdIds);
  }
  return totals;
}
