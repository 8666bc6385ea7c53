import { nativeDocument, nativeFinding } from '../../../src/modules/intake/test-support/native.js';
import type { AnyKysely } from '../../../src/platform/db/index.js';
import type { TestUser } from '#test-support/runtime.js';
import { countRows, jobsIdle, type CrashArea, type CrashWorld } from '../harness.js';

/** Findings drawn from a small pool, so that submissions at once report the same bug and must share a cluster. */
const POOL = 60;
const PER_DOCUMENT = 6;

const pooled = (n: number) =>
  nativeFinding({ title: `crash pool bug ${n}`, location: { path: `src/pool_${n}.py`, function: `f${n}` }, cwe: ['CWE-79'] });

/**
 * Intake: researchers submit documents over HTTP (each acknowledged one remembered with its finding
 * count) while the server is killed. Afterwards every acknowledged submission is there and processed with
 * all its findings, each pooled bug sits in exactly one cluster, and cluster counts match their findings.
 */
export function intakeArea(): CrashArea {
  const accepted = new Map<string, number>();
  let submitter: TestUser | undefined;
  let serial = 0;
  return {
    name: 'intake',
    async setup(world) {
      submitter = await world.org('researcher');
    },
    async drive(world, random) {
      serial += 1;
      const findings = [
        nativeFinding({ title: `crash unique ${serial}`, location: { path: `src/unique_${serial}.py`, function: 'g' } }),
        ...Array.from({ length: PER_DOCUMENT - 1 }, () => pooled(Math.floor(random() * POOL))),
      ];
      const answer = await world.call(submitter!.token, 'POST', '/api/v1/submissions', nativeDocument(findings));
      if (answer === null || (answer.status !== 200 && answer.status !== 201)) return false;
      accepted.set((answer.body as { submission: { id: string } }).submission.id, findings.length);
      return true;
    },
    async settled(world) {
      const waiting = await countRows(world, 'intake_submission', ['status', '!=', 'processed']);
      return waiting === 0 && (await jobsIdle(world, ['intake.', 'event:']));
    },
    check: (world) => checkIntake(world, accepted, submitter!.orgId),
  };
}

/** Unmerged clusters whose finding count is not the number of findings in them. */
export async function clustersMiscounted(db: AnyKysely): Promise<string[]> {
  const rows = await db
    .selectFrom('intake_cluster as c')
    .select('c.id')
    .where('c.merged_into', 'is', null)
    .where((eb) =>
      eb(
        'c.finding_count',
        '!=',
        eb
          .selectFrom('intake_finding as f')
          .select((f) => f.fn.countAll().as('n'))
          .whereRef('f.cluster_id', '=', 'c.id'),
      ),
    )
    .execute();
  return rows.map((r) => r.id as string);
}

/** `orgId`: the submitter's; other areas driven at once store submissions of their own (of other sizes). */
async function checkIntake(world: CrashWorld, accepted: ReadonlyMap<string, number>, orgId: string) {
  const db = world.runtime.db.kysely;
  const stored = new Map(
    (await db.selectFrom('intake_submission').select(['id', 'status']).where('owner_org_id', '=', orgId).execute()).map((r) => [
      r.id as string,
      r,
    ]),
  );
  const perSubmission = new Map(
    (
      await db
        .selectFrom('intake_finding')
        .select(['submission_id', (eb) => eb.fn.countAll().as('n')])
        .groupBy('submission_id')
        .execute()
    ).map((r) => [r.submission_id as string, Number(r.n)]),
  );
  let lost = 0;
  let incomplete = 0;
  for (const [id, findings] of accepted) {
    const row = stored.get(id);
    if (row === undefined) lost += 1;
    else if (row.status !== 'processed' || perSubmission.get(id) !== findings) incomplete += 1;
  }
  // Every stored submission (acknowledged or not) holds all its findings or none: no half state.
  const halfStored = [...stored.keys()].filter((id) => {
    const n = perSubmission.get(id) ?? 0;
    return n !== 0 && n !== PER_DOCUMENT;
  }).length;
  const clusters = await db
    .selectFrom('intake_finding as f')
    .innerJoin('intake_cluster as c', 'c.id', 'f.cluster_id')
    .select(['f.title', 'f.cluster_id', 'c.merged_into'])
    .where('f.title', 'like', 'crash pool bug %')
    .execute();
  const clustersPerBug = new Map<string, Set<string>>();
  for (const r of clusters) {
    const set = clustersPerBug.get(r.title as string) ?? new Set<string>();
    set.add((r.merged_into as string | null) ?? (r.cluster_id as string));
    clustersPerBug.set(r.title as string, set);
  }
  const duplicateClusters = [...clustersPerBug.values()].filter((s) => s.size > 1).length;
  const inconsistent = await clustersMiscounted(world.runtime.db.kysely);
  let blobsMissing = 0;
  for (const s of await db.selectFrom('intake_submission').select('sha256').execute())
    if (!(await world.runtime.blobs.has(s.sha256 as string))) blobsMissing += 1;
  return {
    invariants: {
      noAcceptedSubmissionLost: lost === 0,
      everyAcceptedSubmissionProcessedWhole: incomplete === 0,
      noHalfStoredSubmission: halfStored === 0,
      noDuplicateClusters: duplicateClusters === 0,
      clusterCountsMatchFindings: inconsistent.length === 0,
      everySubmissionKeepsItsBytes: blobsMissing === 0,
    },
    counts: { accepted: accepted.size, stored: stored.size, pooledBugs: clustersPerBug.size },
  };
}
