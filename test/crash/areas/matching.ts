import { cycloneDx, osvRecord, pypi } from '../../../src/modules/inventory/test-support/fixtures.js';
import { uploadSbom } from '../../../src/modules/inventory/index.js';
import { jobsIdle, type CrashArea, type CrashWorld } from '../harness.js';

/** Each of the operator's assets lists every library once, affected by any advisory on it. */
const LIBRARIES = 25;
const ASSETS = 3;

/**
 * Matching: the coordinator imports OSV advisories over HTTP, each affecting one library the operator's
 * assets run, while the server is killed. Afterwards every acknowledged advisory is stored and reverse
 * matched against every asset exactly once.
 */
export function matchingArea(): CrashArea {
  const accepted = new Map<string, number>();
  let serial = 0;
  return {
    name: 'matching',
    async setup(world) {
      const operator = await world.org('operator');
      for (let a = 0; a < ASSETS; a++) {
        const bytes = Buffer.from(cycloneDx(Array.from({ length: LIBRARIES }, (_, i) => pypi(`crash-match-${i}`, '1.0.0'))));
        await uploadSbom(world.as(operator), { asset: { name: `matched asset ${a}` }, bytes });
      }
      world.now();
      await world.runtime.jobs.drain();
    },
    async drive(world, random) {
      serial += 1;
      const lib = Math.floor(random() * LIBRARIES);
      // An id with a prefix the OSV schema knows: the API refuses any other (400 invalid-osv).
      const record = osvRecord(`PYSEC-2099-${serial}`, 'PyPI', `crash-match-${lib}`, [{ introduced: '0' }, { fixed: '2.0.0' }]);
      const answer = await world.call(world.coordinatorAdmin.token, 'POST', '/api/v1/inventory/advisories', { record, tlp: 'GREEN' });
      if (answer?.status !== 201) return false;
      accepted.set((answer.body as { advisory: { id: string } }).advisory.id, lib);
      return true;
    },
    settled: (world) => jobsIdle(world, ['inventory.', 'event:']),
    check: (world) => checkMatches(world, accepted),
  };
}

async function checkMatches(world: CrashWorld, accepted: ReadonlyMap<string, number>) {
  const db = world.runtime.db.kysely;
  const advisories = new Set((await db.selectFrom('inventory_advisory').select('id').execute()).map((r) => r.id as string));
  const matches = await db.selectFrom('inventory_match').select(['advisory_id', 'asset_id', 'status']).execute();
  const perAdvisory = new Map<string, string[]>();
  for (const m of matches)
    perAdvisory.set(m.advisory_id as string, [...(perAdvisory.get(m.advisory_id as string) ?? []), m.asset_id as string]);
  let lost = 0;
  let unmatched = 0;
  let matchedFewer = 0;
  let doubled = 0;
  for (const id of accepted.keys()) {
    if (!advisories.has(id)) lost += 1;
    const assets = perAdvisory.get(id) ?? [];
    if (new Set(assets).size !== ASSETS) unmatched += 1;
    if (new Set(assets).size < ASSETS) matchedFewer += 1;
    if (assets.length !== new Set(assets).size) doubled += 1;
  }
  // For a failure's diagnosis: the inventory jobs that gave up, and why (its event consumers' jobs included:
  // the reverse match runs as `event:inventory.reverse-match`).
  const failed = await db
    .selectFrom('platform_job')
    .select(['kind', 'last_error'])
    .where('status', '=', 'failed')
    .where((eb) => eb.or([eb('kind', 'like', 'inventory.%'), eb('kind', 'like', 'event:inventory.%')]))
    .execute();
  if (failed.length > 0 && process.env.CRASH_DEBUG) console.error('failed inventory jobs:', JSON.stringify(failed.slice(0, 5)));
  return {
    invariants: {
      noAcceptedAdvisoryLost: lost === 0,
      everyAdvisoryMatchedAgainstEveryAsset: unmatched === 0,
      noDuplicateMatch: doubled === 0 && matches.every((m) => m.status === 'affected'),
    },
    counts: {
      accepted: accepted.size,
      advisories: advisories.size,
      matches: matches.length,
      advisoriesMatchedAgainstFewerAssets: matchedFewer,
      failedInventoryJobs: failed.length,
    },
  };
}
