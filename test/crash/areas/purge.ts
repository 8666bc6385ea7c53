import { updateRetentionTable, DEFAULT_RETENTION_TABLE } from '../../../src/modules/governance/index.js';
import { addEvidence, setVerdict } from '../../../src/modules/validation/index.js';
import { distinctFinding, report } from '../../../src/modules/validation/test-support/scene.js';
import type { CrashArea, CrashWorld } from '../harness.js';

const CLUSTERS = 60;
const EVIDENCE_PER_CLUSTER = 3;

interface Evidence {
  readonly id: string;
  readonly sha256: string;
}

/**
 * Retention purge: the retention table lets proof-of-concept evidence go as soon as its report is found
 * invalid. While the server is killed, the coordinator finds one report after another invalid and runs the
 * purge over HTTP (two at once). Afterwards — one more purge run, as the daily job would — every piece of
 * evidence of an invalid report is gone with its blob and purged exactly once (one tombstone, one audit
 * event), nothing is left pending, and the evidence of the other reports is whole.
 */
export function purgeArea(): CrashArea {
  const clusters: { id: string; evidence: Evidence[] }[] = [];
  let invalidated = 0;
  return {
    name: 'purge',
    concurrency: 2,
    async setup(world) {
      const table = structuredClone(DEFAULT_RETENTION_TABLE) as { rules: Record<string, unknown> };
      table.rules.poc_evidence = { expire: [{ after: 'invalidated', days: 0 }] };
      await updateRetentionTable(world.as(world.coordinatorAdmin), { table, note: 'crash harness' });
      const researcher = await world.org('researcher');
      const ids = await report(
        world,
        researcher,
        Array.from({ length: CLUSTERS }, () => distinctFinding()),
      );
      for (const [i, id] of ids.entries()) {
        const evidence: Evidence[] = [];
        for (let e = 0; e < EVIDENCE_PER_CLUSTER; e++) {
          const added = await addEvidence(world.as(researcher), id, {
            bytes: Buffer.from(`exploit ${i}.${e} ${Math.random()}`),
            filename: `poc-${i}-${e}.py`,
            kind: 'proof_of_concept',
          });
          evidence.push({ id: added.id, sha256: added.sha256 });
        }
        clusters.push({ id, evidence });
      }
    },
    async drive(world) {
      if (invalidated < clusters.length - 5) {
        const cluster = clusters[invalidated++]!;
        world.now();
        await setVerdict(world.as(world.coordinatorAdmin), cluster.id, { state: 'invalid', reason: 'not_reproducible', note: 'crash' });
      }
      const answer = await world.call(world.coordinatorAdmin.token, 'POST', '/api/v1/governance/retention/purge');
      return answer?.status === 200;
    },
    async settled(world) {
      const answer = await world.call(world.coordinatorAdmin.token, 'POST', '/api/v1/governance/retention/purge');
      const pending = await world.runtime.db.kysely.selectFrom('governance_pending_blob').select('sha256').execute();
      return answer?.status === 200 && pending.length === 0;
    },
    check: (world) => checkPurge(world, clusters.slice(0, invalidated), clusters.slice(invalidated)),
  };
}

async function checkPurge(world: CrashWorld, gone: { evidence: Evidence[] }[], kept: { evidence: Evidence[] }[]) {
  const db = world.runtime.db.kysely;
  const remaining = new Set((await db.selectFrom('validation_evidence').select('id').execute()).map((r) => r.id as string));
  const tombstones = new Set((await db.selectFrom('governance_tombstone').select('record_id').execute()).map((r) => r.record_id as string));
  const events = new Map<string, number>();
  for (const e of await db.selectFrom('audit_event').select('subject_id').where('action', '=', 'governance.record.purge').execute())
    events.set(e.subject_id as string, (events.get(e.subject_id as string) ?? 0) + 1);
  const pending = await db.selectFrom('governance_pending_blob').select('sha256').execute();
  let notPurged = 0;
  let blobsLeft = 0;
  for (const e of gone.flatMap((c) => c.evidence)) {
    if (remaining.has(e.id) || !tombstones.has(e.id) || events.get(e.id) !== 1) notPurged += 1;
    if (await world.runtime.blobs.has(e.sha256)) blobsLeft += 1;
  }
  let damaged = 0;
  for (const e of kept.flatMap((c) => c.evidence))
    if (!remaining.has(e.id) || tombstones.has(e.id) || !(await world.runtime.blobs.has(e.sha256))) damaged += 1;
  return {
    invariants: {
      everyExpiredRecordPurgedOnce: notPurged === 0,
      noBlobOfAPurgedRecordLeft: blobsLeft === 0,
      nothingLeftPending: pending.length === 0,
      unexpiredRecordsWhole: damaged === 0,
    },
    counts: { purged: gone.length * EVIDENCE_PER_CLUSTER, kept: kept.length * EVIDENCE_PER_CLUSTER },
  };
}
