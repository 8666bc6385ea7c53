import type { ServiceContext } from '../../../platform/context.js';
import type { Executor, Page, PageRequest } from '../../../platform/db/index.js';
import { NotFoundError } from '../../../platform/errors.js';
import { groupBy } from '../../../platform/collections.js';
import { visibleTo, type Sector } from '../../identity/index.js';
import { ASSET_CRITICALITIES, type AssetCriticality, type ExposedAsset } from '../domain/asset.js';
import {
  presentAdvisory,
  presentMatch,
  type AdvisoryExposure,
  type AffectedOperators,
  type AssetMatches,
  type ComponentMatch,
  type OperatorExposure,
} from '../presenters.js';
import { advisoryIdsOfEachName, findAdvisories } from '../store/advisories.js';
import { advisoryIdsOfOrg, exposedAssets, matchesFor, orgIdsMatching, orgMatchTotals, type MatchWithAsset } from '../store/matches.js';
import { requireCoordinator, requireReadable } from './access.js';
import { readersOf } from './advisories.js';

export type { ExposedAsset };

/** For each list of names (ids or aliases), the advisories behind them that the caller may see, sorted. */
async function visibleAdvisoriesNamed(ctx: ServiceContext, executor: Executor, lists: readonly (readonly string[])[]): Promise<string[][]> {
  const named = await advisoryIdsOfEachName(executor, lists.flat());
  const rows = await findAdvisories(executor, [...new Set([...named.values()].flat())]);
  const readers = await readersOf(executor, rows);
  const visible = new Set(rows.filter((_, i) => readers[i]?.(ctx.actor) === true).map((r) => r.id));
  return lists.map((names) => [...new Set(names.flatMap((n) => named.get(n) ?? []))].filter((id) => visible.has(id)).sort());
}

/** The advisories behind these names that the caller may see. */
async function visibleAdvisoryIds(ctx: ServiceContext, executor: Executor, names: string[]): Promise<string[]> {
  return (await visibleAdvisoriesNamed(ctx, executor, [names]))[0] ?? [];
}

/**
 * How many registered operators, assets and sectors run a version an advisory affects — by the advisory's
 * id or any alias (a CVE id finds the PYSEC and GHSA records that alias it; their exposure is united).
 * For the coordinator and the system (scoring's consumer); others get NotAllowedError.
 */
export async function exposureForAdvisory(ctx: ServiceContext, advisoryIdOrAliases: string | readonly string[]): Promise<AdvisoryExposure> {
  const executor = ctx.db.kysely;
  const names = typeof advisoryIdOrAliases === 'string' ? [advisoryIdOrAliases] : [...advisoryIdOrAliases];
  const advisoryIds = await visibleAdvisoryIds(ctx, executor, names);
  // One advisory named (the API's path): one the caller may not see does not exist for it.
  if (typeof advisoryIdOrAliases === 'string' && advisoryIds.length === 0) throw new NotFoundError(`no advisory ${advisoryIdOrAliases}`);
  requireCoordinator(ctx.actor, 'exposure across operators');
  const rows = await exposedAssets(executor, advisoryIds);
  const affected = new Map<string, ExposedAsset>();
  for (const r of rows) {
    if (r.status !== 'affected' || affected.has(r.asset_id)) continue;
    affected.set(r.asset_id, {
      operatorId: r.owner_org_id,
      assetId: r.asset_id,
      sector: r.sector as Sector | null,
      criticality: r.criticality as AssetCriticality,
      internetFacing: r.internet_facing === 1,
    });
  }
  const exposed = [...affected.values()].sort((a, b) => (a.assetId < b.assetId ? -1 : 1));
  const bySector = new Map<Sector, { operators: Set<string>; assets: number }>();
  for (const a of exposed) {
    if (a.sector === null) continue;
    const entry = bySector.get(a.sector) ?? { operators: new Set<string>(), assets: 0 };
    entry.operators.add(a.operatorId);
    entry.assets += 1;
    bySector.set(a.sector, entry);
  }
  const criticality = Object.fromEntries(ASSET_CRITICALITIES.map((c) => [c, exposed.filter((a) => a.criticality === c).length])) as Record<
    AssetCriticality,
    number
  >;
  return {
    advisoryIds,
    known: advisoryIds.length > 0,
    operators: new Set(exposed.map((a) => a.operatorId)).size,
    assets: exposed.length,
    sectors: [...bySector]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([sector, e]) => ({ sector, operators: e.operators.size, assets: e.assets })),
    criticality,
    internetFacingAssets: exposed.filter((a) => a.internetFacing).length,
    undecidedAssets: new Set(rows.filter((r) => !affected.has(r.asset_id)).map((r) => r.asset_id)).size,
    exposedAssets: exposed,
  };
}

/** Groups match rows by asset, in the order given. */
function byAsset(rows: MatchWithAsset[]): AssetMatches[] {
  const out = new Map<string, AssetMatches & { matches: ComponentMatch[] }>();
  for (const r of rows) {
    let entry = out.get(r.asset_id);
    if (entry === undefined) {
      entry = {
        assetId: r.asset_id,
        name: r.asset_name,
        sector: r.asset_sector as Sector | null,
        criticality: r.asset_criticality as AssetCriticality,
        internetFacing: r.asset_internet_facing === 1,
        matches: [],
      };
      out.set(r.asset_id, entry);
    }
    entry.matches.push(presentMatch(r));
  }
  return [...out.values()];
}

/**
 * One operator's exposure: the advisories its current inventories match (affected or undecidable), by
 * advisory and asset, counting only advisories the caller may see. The operator's own members and the
 * coordinator; anyone else gets NotFoundError.
 */
export async function exposureForOperator(ctx: ServiceContext, orgId: string, request: PageRequest = {}): Promise<OperatorExposure> {
  requireReadable(ctx.actor, orgId, `organisation ${orgId}`);
  const executor = ctx.db.kysely;
  const visible = (table: string) => visibleTo(ctx.actor, table);
  const page = await advisoryIdsOfOrg(executor, orgId, visible, request);
  const ids = page.items.map((r) => r.advisory_id);
  const advisories = new Map((await findAdvisories(executor, ids)).map((r) => [r.id, presentAdvisory(r)] as const));
  const rows = await matchesFor(executor, [orgId], ids);
  return {
    orgId,
    totals: await orgMatchTotals(executor, orgId, visible),
    items: ids.flatMap((id) => {
      const advisory = advisories.get(id);
      return advisory === undefined ? [] : [{ advisory, assets: byAsset(rows.filter((r) => r.advisory_id === id)) }];
    }),
    nextCursor: page.nextCursor,
  };
}

/**
 * The operators an advisory (by id or alias) matches, with their assets and components: the coordinator's
 * view for targeting, within the advisory's TLP; `among` narrows it to some operators (at most 1,000; notify
 * targets the ones an exposure change names). NotAllowedError for non-coordinators; NotFoundError when no
 * advisory of that name is visible to the caller.
 */
export async function affectedOperators(
  ctx: ServiceContext,
  advisoryIdOrAlias: string,
  request: PageRequest = {},
  among?: readonly string[],
): Promise<AffectedOperators> {
  const executor = ctx.db.kysely;
  const advisoryIds = await visibleAdvisoryIds(ctx, executor, [advisoryIdOrAlias]);
  if (advisoryIds.length === 0) throw new NotFoundError(`no advisory ${advisoryIdOrAlias}`);
  requireCoordinator(ctx.actor, "an advisory's affected operators");
  if (among !== undefined && among.length > 1000) throw new RangeError('affectedOperators narrows to at most 1,000 operators at a time');
  const page: Page<{ owner_org_id: string }> = await orgIdsMatching(executor, advisoryIds, request, among);
  const orgIds = page.items.map((r) => r.owner_org_id);
  const rows = await matchesFor(executor, orgIds, advisoryIds);
  return {
    advisoryIds,
    items: orgIds.map((orgId) => ({ orgId, assets: byAsset(rows.filter((r) => r.owner_org_id === orgId)) })),
    nextCursor: page.nextCursor,
  };
}

/** One request of {@link affectedOperatorsAmong}: an advisory (id or alias) and the operators to look at. */
export interface AffectedAmong {
  readonly advisoryIdOrAlias: string;
  readonly among: readonly string[];
}

/**
 * {@link affectedOperators} for many advisories at once, each narrowed to some operators (at most 1,000 in
 * all), each answered whole (`nextCursor` null) in the order asked, with a fixed number of queries however
 * many: notify targets the few dozen advisories one SBOM upload changes the exposure of. An advisory the
 * caller may not see matches no operators. NotAllowedError for non-coordinators.
 */
export async function affectedOperatorsAmong(ctx: ServiceContext, requests: readonly AffectedAmong[]): Promise<AffectedOperators[]> {
  requireCoordinator(ctx.actor, "an advisory's affected operators");
  const among = [...new Set(requests.flatMap((r) => r.among))];
  if (requests.reduce((n, r) => n + r.among.length, 0) > 1000)
    throw new RangeError('affectedOperatorsAmong looks at most 1,000 operators at a time');
  const executor = ctx.db.kysely;
  const advisoryIdsOf = await visibleAdvisoriesNamed(
    ctx,
    executor,
    requests.map((r) => [r.advisoryIdOrAlias]),
  );
  // The rows of every operator asked about × every advisory asked about, each request keeping its own.
  const rows = await matchesFor(executor, among, [...new Set(advisoryIdsOf.flat())]);
  return requests.map((request, i) => {
    const advisoryIds = advisoryIdsOf[i] ?? [];
    const advisories = new Set(advisoryIds);
    const wanted = new Set(request.among);
    const byOrg = groupBy(
      rows.filter((row) => advisories.has(row.advisory_id) && wanted.has(row.owner_org_id)),
      (row) => row.owner_org_id,
    );
    const orgIds = [...byOrg.keys()].sort();
    return { advisoryIds, items: orgIds.map((orgId) => ({ orgId, assets: byAsset(byOrg.get(orgId) ?? []) })), nextCursor: null };
  });
}
