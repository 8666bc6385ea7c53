import { cycloneDx, pypi } from '../../../src/modules/inventory/test-support/fixtures.js';
import type { TestUser } from '#test-support/runtime.js';
import { jobsIdle, type CrashArea, type CrashWorld } from '../harness.js';

/** Uploads go to a few assets, so that new versions of one asset race each other. */
const ASSETS = 6;

/**
 * SBOM ingest: an operator uploads CycloneDX SBOMs over HTTP as new versions of a few assets while the
 * server is killed. Afterwards every acknowledged SBOM is there with all its components and its bytes, each
 * asset's versions run 1..n without a gap or a twin, and its current SBOM is its newest.
 */
export function sbomArea(): CrashArea {
  const accepted = new Map<string, number>();
  let operator: TestUser | undefined;
  let serial = 0;
  return {
    name: 'sbom',
    async setup(world) {
      operator = await world.org('operator');
    },
    async drive(world, random) {
      serial += 1;
      const size = 5 + Math.floor(random() * 60);
      const components = Array.from({ length: size }, (_, i) => pypi(`crash-lib-${serial}-${i}`, `1.${i}.0`));
      const asset = `crash asset ${Math.floor(random() * ASSETS)}`;
      const answer = await world.call(
        operator!.token,
        'POST',
        `/api/v1/inventory/sboms?asset=${encodeURIComponent(asset)}`,
        cycloneDx(components),
      );
      if (answer?.status !== 201) return false;
      // The document's subject (metadata.component) is a component of the inventory too.
      accepted.set((answer.body as { sbom: { id: string } }).sbom.id, size + 1);
      return true;
    },
    settled: (world) => jobsIdle(world, ['inventory.', 'event:']),
    check: (world) => checkSboms(world, accepted),
  };
}

async function checkSboms(world: CrashWorld, accepted: ReadonlyMap<string, number>) {
  const db = world.runtime.db.kysely;
  const sboms = await db
    .selectFrom('inventory_sbom')
    .select(['id', 'asset_id', 'version', 'blob_sha256', 'component_count', 'superseded_at'])
    .execute();
  const components = new Map(
    (
      await db
        .selectFrom('inventory_component')
        .select(['sbom_id', (eb) => eb.fn.countAll().as('n')])
        .groupBy('sbom_id')
        .execute()
    ).map((r) => [r.sbom_id as string, Number(r.n)]),
  );
  const byId = new Map(sboms.map((s) => [s.id as string, s]));
  let lost = 0;
  let incomplete = 0;
  for (const [id, size] of accepted) {
    const row = byId.get(id);
    if (row === undefined) lost += 1;
    else if (Number(row.component_count) !== size || components.get(id) !== size) incomplete += 1;
  }
  const halfStored = sboms.filter((s) => (components.get(s.id as string) ?? 0) !== Number(s.component_count)).length;
  let blobsMissing = 0;
  for (const s of sboms) if (!(await world.runtime.blobs.has(s.blob_sha256 as string))) blobsMissing += 1;
  const assets = await db.selectFrom('inventory_asset').select(['id', 'current_sbom_id']).execute();
  let badVersions = 0;
  let badCurrent = 0;
  for (const a of assets) {
    const own = sboms.filter((s) => s.asset_id === a.id).sort((x, y) => Number(x.version) - Number(y.version));
    if (own.some((s, i) => Number(s.version) !== i + 1)) badVersions += 1;
    const newest = own.at(-1);
    if (newest !== undefined && (a.current_sbom_id !== newest.id || newest.superseded_at !== null)) badCurrent += 1;
    if (own.slice(0, -1).some((s) => s.superseded_at === null)) badCurrent += 1;
  }
  return {
    invariants: {
      noAcceptedSbomLost: lost === 0,
      everyAcceptedSbomWhole: incomplete === 0,
      noHalfStoredSbom: halfStored === 0,
      everySbomKeepsItsBytes: blobsMissing === 0,
      versionsWithoutGapOrTwin: badVersions === 0,
      currentSbomIsNewest: badCurrent === 0,
    },
    counts: { accepted: accepted.size, stored: sboms.length, assets: assets.length },
  };
}
