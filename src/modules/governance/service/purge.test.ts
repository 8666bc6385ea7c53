import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime, type TestRuntime } from '#test-support/runtime.js';
import {
  addMaterial,
  downloadMaterial,
  endReview,
  openReview,
  proposeAgreement,
  registerModel,
  signAgreement,
} from '../../frontier/index.js';
import { frontierScene, grantAndAcknowledge } from '../../frontier/test-support/scene.js';
import { uploadSbom } from '../../inventory/index.js';
import { cycloneDx, pypi } from '../../inventory/test-support/fixtures.js';
import { addEvidence, setVerdict } from '../../validation/index.js';
import { distinctFinding, report } from '../../validation/test-support/scene.js';
import { sweepBlobs } from '../../../platform/blobs/index.js';
import { runMigrations } from '../../../platform/db/index.js';
import { governanceMigrations } from '../index.js';
import { testRegistry } from '../test-support/registry.js';
import { placeHold, releaseHold } from './holds.js';
import { retentionPlan } from './plan.js';
import { PURGE_BLOB_GRACE_MS, runRetentionPurge } from './purge.js';

const T1 = '2026-06-03T12:00:00.000Z';
const justBefore = (iso: string) => new Date(Date.parse(iso) - 1).toISOString();

/**
 * One of everything, created at T0 (2026-06-02T12:00Z); at T1 a day later cluster A is found invalid, the
 * operator's SBOM is replaced, and the review ends. Expected expiries under the default table (written out
 * by hand): evidence on A T1+30d, SBOM v1 T1+90d, finding in A T1+180d, cluster A and the review material
 * T1+365d, the submission T0+730d (its other cluster is not invalid), the access log T0+1095d.
 */
async function scene(t: TestRuntime) {
  const coordinator = t.as(t.coordinatorAdmin);
  const researcher = await t.org('researcher');
  const [clusterA, clusterB] = await report(t, researcher, [distinctFinding(), distinctFinding()]);
  const evidenceA = await addEvidence(t.as(researcher), clusterA!, {
    bytes: Buffer.from('exploit for A'),
    filename: 'poc-a.py',
    kind: 'proof_of_concept',
  });
  // The same bytes attached to B too: one blob, two records.
  const evidenceShared = await addEvidence(t.as(researcher), clusterA!, {
    bytes: Buffer.from('shared exploit'),
    filename: 'shared.py',
    kind: 'proof_of_concept',
  });
  const evidenceB = await addEvidence(t.as(researcher), clusterB!, {
    bytes: Buffer.from('shared exploit'),
    filename: 'shared.py',
    kind: 'proof_of_concept',
  });
  const operator = await t.org('operator', { sectors: ['energy'] });
  const v1 = await uploadSbom(t.as(operator), {
    asset: { name: 'historian' },
    bytes: Buffer.from(cycloneDx([pypi('django', '3.2.0')], 'v1')),
  });
  const frontier = await frontierScene(t);
  await grantAndAcknowledge(t, frontier);
  const material = await addMaterial(t.as(frontier.lab), frontier.review.id, {
    name: 'card.pdf',
    mediaType: 'application/pdf',
    bytes: Buffer.from('%PDF card'),
  });
  await downloadMaterial(t.as(frontier.agency), frontier.review.id, material.id);

  t.clock.set(T1);
  await setVerdict(coordinator, clusterA!, { state: 'invalid', reason: 'not_reproducible', note: 'fixture' });
  await uploadSbom(t.as(operator), { assetId: v1.asset.id, bytes: Buffer.from(cycloneDx([pypi('django', '3.2.1')], 'v2')) });
  await endReview(t.as(frontier.lab), frontier.review.id);
  await t.runtime.jobs.drain();
  const row = async (table: string, column: string, value: string) =>
    t.runtime.db.kysely.selectFrom(table).selectAll().where(column, '=', value).executeTakeFirst();
  const submission = (await row('intake_finding', 'cluster_id', clusterA!)) as { id: string; submission_id: string };
  return {
    coordinator,
    clusterA: clusterA!,
    clusterB: clusterB!,
    evidenceA,
    evidenceShared,
    evidenceB,
    findingA: submission.id,
    submissionId: submission.submission_id,
    sbomV1: v1.sbom,
    material,
    row,
  };
}

describeEachDatabase('the retention purge', (dialect) => {
  const get = useTestRuntime(dialect, dialect === 'postgres' ? { CLEARINGHOUSE_BLOBS: 'db' } : {});

  async function ready(): Promise<TestRuntime> {
    const t = get();
    await runMigrations(t.runtime.db, [governanceMigrations]);
    return t;
  }

  it('deletes each class exactly when its rule says, with its blobs, a tombstone and an audit event', async () => {
    const t = await ready();
    const s = await scene(t);
    const plan = (when: string) => retentionPlan(s.coordinator, testRegistry, { at: when, limit: 1000 });
    const planned = async (when: string) => (await plan(when)).records.filter((r) => r.outcome === 'purge').map((r) => r.recordId);
    const schedule: [string, string][] = [
      ['2026-07-03T12:00:00.000Z', s.evidenceA.id],
      ['2026-09-01T12:00:00.000Z', s.sbomV1.id],
      ['2026-11-30T12:00:00.000Z', s.findingA],
      ['2027-06-03T12:00:00.000Z', s.material.id],
      ['2028-06-01T12:00:00.000Z', s.submissionId],
    ];
    for (const [expiry, id] of schedule) {
      expect(await planned(justBefore(expiry)), `${id} before ${expiry}`).not.toContain(id);
      expect(await planned(expiry), `${id} at ${expiry}`).toContain(id);
    }

    // The purge, run on the day evidence A expires, deletes evidence A and the shared copy on A — but the
    // shared bytes stay, since B's evidence still refers to them.
    t.clock.set('2026-07-03T12:00:00.000Z');
    const first = await runRetentionPurge(s.coordinator, testRegistry);
    expect(first.byClass).toEqual({ poc_evidence: 2 });
    expect(await s.row('validation_evidence', 'id', s.evidenceA.id)).toBeUndefined();
    expect(await s.row('validation_evidence', 'id', s.evidenceB.id)).toBeDefined();
    expect(await t.runtime.blobs.has(s.evidenceA.sha256)).toBe(false);
    expect(await t.runtime.blobs.has(s.evidenceB.sha256)).toBe(true);
    expect(await s.row('governance_tombstone', 'record_id', s.evidenceA.id)).toMatchObject({
      data_class: 'poc_evidence',
      module: 'validation',
      cause: 'retention',
      expired_at: '2026-07-03T12:00:00.000Z',
      policy_version: 1,
      run_id: first.runId,
    });
    const tombstone = (await s.row('governance_tombstone', 'record_id', s.evidenceA.id)) as { reason: string };
    expect(tombstone.reason).toContain('30 days after invalidated');
    const purgeEvents = await t.runtime.db.kysely
      .selectFrom('audit_event')
      .select(['action', 'subject_id'])
      .where('action', '=', 'governance.record.purge')
      .execute();
    expect(purgeEvents.map((e) => e.subject_id).sort()).toEqual([s.evidenceA.id, s.evidenceShared.id].sort());

    // Run again at once: nothing more to do.
    expect((await runRetentionPurge(s.coordinator, testRegistry)).purged).toBe(0);

    // A year after the verdict: the SBOM, the finding, cluster A (its finding gone first) and the material.
    t.clock.set('2027-06-03T12:00:00.000Z');
    const yearLater = await runRetentionPurge(s.coordinator, testRegistry);
    expect(yearLater.byClass).toEqual({ sbom: 1, finding: 1, cluster: 1, model_review_material: 1 });
    expect(await s.row('intake_finding', 'id', s.findingA)).toBeUndefined();
    expect(await s.row('inventory_sbom', 'id', s.sbomV1.id)).toBeUndefined();
    expect(await s.row('inventory_component', 'sbom_id', s.sbomV1.id)).toBeUndefined();
    expect(await t.runtime.blobs.has(s.material.sha256)).toBe(false);
    expect(await s.row('intake_cluster', 'id', s.clusterA)).toBeUndefined();
    expect(await s.row('intake_cluster', 'id', s.clusterB)).toBeDefined();
    expect(await s.row('intake_submission', 'id', s.submissionId)).toBeDefined();
  });

  it("keeps a purged record's blob that an upload has just stored again, and leaves it to the sweeper", async () => {
    const t = await ready();
    const s = await scene(t);
    t.clock.set('2026-07-03T12:00:00.000Z');
    // An upload of evidence A's bytes has stored them and is about to commit its record: no reference
    // check can see it yet, only the time the bytes were stored.
    expect((await t.runtime.blobs.put(Buffer.from('exploit for A'))).sha256).toBe(s.evidenceA.sha256);
    const run = await runRetentionPurge(s.coordinator, testRegistry);
    expect(run.byClass).toEqual({ poc_evidence: 2 });
    expect(run.blobsDeleted).toBe(0);
    expect(await t.runtime.blobs.has(s.evidenceA.sha256)).toBe(true);
    expect(await t.runtime.db.kysely.selectFrom('governance_pending_blob').selectAll().execute()).toEqual([]);

    // The upload never committed: once the grace is over the sweeper removes the bytes like any orphan.
    t.clock.advance(PURGE_BLOB_GRACE_MS + 1);
    const swept = await sweepBlobs(t.system, testRegistry.blobReferences, { graceMs: PURGE_BLOB_GRACE_MS });
    expect(swept.blobs.removed).toBe(1);
    expect(await t.runtime.blobs.has(s.evidenceA.sha256)).toBe(false);
    expect(await t.runtime.blobs.has(s.evidenceB.sha256)).toBe(true);
  });

  it('a cluster waits for the findings that belong to it', async () => {
    const t = await ready();
    const s = await scene(t);
    await placeHold(s.coordinator, { scope: 'record', targetId: s.findingA, reason: 'evidence in a dispute' });
    t.clock.set('2027-06-03T12:00:00.000Z');
    const run = await runRetentionPurge(s.coordinator, testRegistry);
    expect(run.byClass).not.toHaveProperty('cluster');
    expect(await s.row('intake_cluster', 'id', s.clusterA)).toBeDefined();
    const plan = await retentionPlan(s.coordinator, testRegistry);
    expect(plan.classes.find((c) => c.dataClass === 'cluster')).toMatchObject({ purge: 0, held: 0 });
    expect(plan.records.find((r) => r.recordId === s.findingA)).toMatchObject({ outcome: 'held' });
  });

  it('a legal hold on a cluster, a case or an organisation stops the purge until it is released', async () => {
    const t = await ready();
    const s = await scene(t);
    const hold = await placeHold(s.coordinator, { scope: 'record', targetId: s.clusterA, reason: 'litigation hold, matter 42' });
    t.clock.set('2026-12-01T00:00:00.000Z');
    const held = await runRetentionPurge(s.coordinator, testRegistry);
    expect(held.byClass).toEqual({ sbom: 1 });
    expect(held.held).toBe(3);
    const plan = await retentionPlan(s.coordinator, testRegistry);
    expect(plan.records.filter((r) => r.outcome === 'held').map((r) => [r.recordId, r.holdIds])).toEqual(
      expect.arrayContaining([
        [s.evidenceA.id, [hold.id]],
        [s.findingA, [hold.id]],
      ]),
    );
    expect(await s.row('validation_evidence', 'id', s.evidenceA.id)).toBeDefined();
    await releaseHold(s.coordinator, hold.id, { note: 'matter settled' });
    expect((await runRetentionPurge(s.coordinator, testRegistry)).byClass).toEqual({ poc_evidence: 2, finding: 1 });
    expect(await t.runtime.blobs.has(s.evidenceA.sha256)).toBe(false);
  });

  it('keeps review material only as long as the voluntary testing agreement of its review says', async () => {
    const t = await ready();
    const lab = await t.org('model_developer');
    const agency = await t.org('agency');
    const agreement = await proposeAgreement(t.as(lab), {
      counterpartyOrgId: agency.orgId,
      terms: {
        scope: { allModels: true },
        window: { defaultDays: 10, maxDays: 30 },
        releaseNoticeDays: 7,
        confidentiality: 'confidential',
        useTerms: 'assessment only',
        retention: { keep: ['evaluation_logs'], days: 60 },
        grantees: ['agency'],
        contacts: [
          { side: 'developer', name: 'D', email: 'd@lab.example', role: 'lead' },
          { side: 'government', name: 'G', email: 'g@agency.example', role: 'lead' },
        ],
      },
    });
    await signAgreement(t.as(lab), agreement.id, { version: 1 });
    await signAgreement(t.as(agency), agreement.id, { version: 1 });
    const model = await registerModel(t.as(lab), { name: 'Orion', version: '1', plannedRelease: '2026-09-01' });
    const review = await openReview(t.as(lab), { modelId: model.id, accessStart: t.clock.now().toISOString() });
    const material = await addMaterial(t.as(lab), review.id, {
      name: 'card.pdf',
      mediaType: 'application/pdf',
      bytes: Buffer.from('%PDF x'),
    });
    t.clock.set(T1);
    await endReview(t.as(lab), review.id);
    // The agreement keeps evaluation logs, not files: the file goes when the review closes, not a year later.
    const plan = await retentionPlan(t.as(t.coordinatorAdmin), testRegistry, { at: T1 });
    expect(plan.records.find((r) => r.recordId === material.id)).toMatchObject({ outcome: 'purge', expiresAt: T1 });
    expect(plan.records.find((r) => r.recordId === material.id)?.reason).toContain(`voluntary testing agreement ${agreement.id} version 1`);
  });

  it('only coordinator admins purge; coordinator staff see the plan; others neither', async () => {
    const t = await ready();
    const analyst = await t.user(t.coordinatorAdmin.orgId, 'analyst');
    const outsider = await t.org('vendor');
    await expect(runRetentionPurge(t.as(analyst), testRegistry)).rejects.toMatchObject({ code: 'not-allowed' });
    await expect(retentionPlan(t.as(outsider), testRegistry)).rejects.toMatchObject({ code: 'not-allowed' });
    await expect(retentionPlan(t.as(analyst), testRegistry)).resolves.toMatchObject({ policyVersion: 1 });
    await expect(placeHold(t.as(analyst), { scope: 'org', targetId: outsider.orgId, reason: 'x' })).rejects.toMatchObject({
      code: 'not-allowed',
    });
  });
});
