import { sql } from 'kysely';
import type { Executor } from '../../../platform/db/index.js';
import { t } from './tables.js';

/** Per OSV package in current SBOMs: how many operators run it, and in which sectors (with how many assets). */
export async function packagesRun(
  executor: Executor,
  orgId: string | null,
): Promise<{
  packages: { ecosystem: string; name: string; operators: number }[];
  sectors: { ecosystem: string; name: string; sector: string | null }[];
}> {
  const base = () =>
    t(executor)
      .selectFrom('inventory_component as c')
      .innerJoin('inventory_asset as a', 'a.current_sbom_id', 'c.sbom_id')
      .where('c.ecosystem', 'is not', null)
      .where('c.package_name', 'is not', null)
      .$if(orgId !== null, (w) => w.where('a.owner_org_id', '=', orgId ?? ''));
  const packages = await base()
    .select(['c.ecosystem', 'c.package_name'])
    .select(sql<number>`count(distinct a.owner_org_id)`.as('operators'))
    .groupBy(['c.ecosystem', 'c.package_name'])
    .execute();
  const sectors = await base().select(['c.ecosystem', 'c.package_name', 'a.sector']).distinct().execute();
  return {
    packages: packages.map((p) => ({ ecosystem: p.ecosystem as string, name: p.package_name as string, operators: Number(p.operators) })),
    sectors: sectors.map((s) => ({ ecosystem: s.ecosystem as string, name: s.package_name as string, sector: s.sector })),
  };
}
