import { paginate, type Executor, type Page, type PageRequest, type WriteStatement } from '../../../platform/db/index.js';
import { batches, t, type ComponentRow, type SbomRow } from './tables.js';

/**
 * The domain's package key as stored: PostgreSQL text cannot hold its NUL separator, and an ecosystem base
 * never contains ":" (a suffix starts after the first one), so ":" keeps it unambiguous.
 */
export const storedPackageKey = (key: string): string => key.replace('\u0000', ':');

/** The statements that store an SBOM version and its components, in that order (for `writeTogether`). */
export function insertSbomStatements(executor: Executor, row: SbomRow, components: readonly ComponentRow[]): WriteStatement[] {
  return [
    t(executor).insertInto('inventory_sbom').values(row),
    ...batches(components).map((chunk) => t(executor).insertInto('inventory_component').values(chunk)),
  ];
}

export async function findSbom(executor: Executor, id: string): Promise<SbomRow | undefined> {
  return t(executor).selectFrom('inventory_sbom').selectAll().where('id', '=', id).executeTakeFirst();
}

export function supersedeStatement(executor: Executor, sbomId: string, at: string) {
  return t(executor).updateTable('inventory_sbom').set({ superseded_at: at }).where('id', '=', sbomId);
}

/** An asset's SBOM versions, newest first. */
export async function listSboms(executor: Executor, assetId: string, page: PageRequest): Promise<Page<SbomRow>> {
  const query = t(executor).selectFrom('inventory_sbom').selectAll().where('asset_id', '=', assetId);
  return paginate(query, page, {
    sort: 'inventory_sbom.version',
    id: 'inventory_sbom.id',
    sortOf: (r) => r.version,
    idOf: (r) => r.id,
    direction: 'desc',
  });
}

/** One SBOM's components in document order, optionally only those that cannot be matched. */
export async function listComponents(
  executor: Executor,
  sbomId: string,
  onlyUnmatched: boolean,
  page: PageRequest,
): Promise<Page<ComponentRow>> {
  const query = t(executor)
    .selectFrom('inventory_component')
    .selectAll()
    .where('sbom_id', '=', sbomId)
    .$if(onlyUnmatched, (q) => q.where('unmatched_reason', 'is not', null));
  // idx is unique within one SBOM; the keyset's tie-breaker (a string column) is the constant SBOM id.
  return paginate(query, page, {
    sort: 'inventory_component.idx',
    id: 'inventory_component.sbom_id',
    sortOf: (r) => r.idx,
    idOf: (r) => r.sbom_id,
  });
}

/** The components of these SBOMs that can match (those with a package), each with its SBOM id, by SBOM then position. */
export async function matchableComponentsOf(
  executor: Executor,
  sbomIds: readonly string[],
): Promise<Pick<ComponentRow, 'sbom_id' | 'ecosystem' | 'package_name' | 'version'>[]> {
  const out: Pick<ComponentRow, 'sbom_id' | 'ecosystem' | 'package_name' | 'version'>[] = [];
  for (const chunk of batches(sbomIds))
    out.push(
      ...(await t(executor)
        .selectFrom('inventory_component')
        .select(['sbom_id', 'ecosystem', 'package_name', 'version'])
        .where('sbom_id', 'in', chunk)
        .where('package_key', 'is not', null)
        .orderBy('sbom_id')
        .orderBy('idx')
        .execute()),
    );
  return out;
}

/** Components of these SBOMs under these package keys: the rows behind a reverse-match hit. */
export async function componentsByPackage(
  executor: Executor,
  sbomIds: readonly string[],
  packageKeys: readonly string[],
): Promise<ComponentRow[]> {
  if (packageKeys.length === 0) return [];
  const out: ComponentRow[] = [];
  for (const chunk of batches(sbomIds, 500)) {
    out.push(
      ...(await t(executor)
        .selectFrom('inventory_component')
        .selectAll()
        .where('sbom_id', 'in', chunk)
        .where('package_key', 'in', packageKeys.map(storedPackageKey))
        .execute()),
    );
  }
  return out;
}

/**
 * Matchable components of every asset's current SBOM after (`sbomId`, `idx`), in that order, with their
 * asset and operator: the component index is built from these, a page at a time.
 */
export async function currentComponentsAfter(
  executor: Executor,
  after: { readonly sbomId: string; readonly idx: number },
  limit: number,
): Promise<
  (Pick<ComponentRow, 'sbom_id' | 'idx' | 'ecosystem' | 'package_name' | 'version'> & { asset_id: string; owner_org_id: string })[]
> {
  return t(executor)
    .selectFrom('inventory_component as c')
    .innerJoin('inventory_asset as a', 'a.current_sbom_id', 'c.sbom_id')
    .select(['c.sbom_id', 'c.idx', 'c.ecosystem', 'c.package_name', 'c.version', 'a.id as asset_id', 'a.owner_org_id'])
    .where('c.package_key', 'is not', null)
    .where((eb) => eb.or([eb('c.sbom_id', '>', after.sbomId), eb.and([eb('c.sbom_id', '=', after.sbomId), eb('c.idx', '>', after.idx)])]))
    .orderBy('c.sbom_id')
    .orderBy('c.idx')
    .limit(limit)
    .execute();
}
