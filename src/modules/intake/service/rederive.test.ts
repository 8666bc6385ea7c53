import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { enqueueJob } from '../../../platform/jobs/index.js';
import { auditEvents } from '#test-support/audit.js';
import { FINGERPRINT_PREFIX } from '../domain/index.js';
import { syntheticLog } from '../test-support/ci-runs.js';
import { REDERIVE_JOB, rederiveFingerprints } from './rederive.js';
import { submitDocument } from './submissions.js';
import { clusterKeyBytes, clusterKeyOf } from '../store/cluster-key-bytes.js';

const SQL = 'String query = "SELECT * FROM orders WHERE owner = \'" + owner + "\'";';

/** Two findings with a line hash and a snippet, so with anchors too. */
const LOG = syntheticLog([
  { ruleId: 'CWE-89', uri: 'src/Orders.java', line: 40, snippet: SQL, lineHash: 'aa11:1' },
  { ruleId: 'CWE-89', uri: 'src/Invoices.java', line: 12, snippet: SQL, lineHash: 'bb22:1' },
]);

describeEachDatabase('re-deriving stored fingerprints after a version bump', (dialect) => {
  const get = useTestRuntime(dialect);

  interface State {
    findings: { id: string; fingerprint: string; data: unknown }[];
    keys: { key: string; cluster_id: string }[];
    anchors: { key: string; level: string; finding_id: string }[];
  }

  async function state(): Promise<State> {
    const db = get().runtime.db.kysely;
    return {
      findings: (await db.selectFrom('intake_finding').select(['id', 'fingerprint', 'data']).orderBy('id').execute()).map((f) => ({
        id: f.id as string,
        fingerprint: f.fingerprint as string,
        data: JSON.parse(f.data as string) as unknown,
      })),
      keys: (await db.selectFrom('intake_cluster_key').select(['key', 'cluster_id']).execute())
        .map((k) => ({ key: clusterKeyOf(k.key as Uint8Array), cluster_id: k.cluster_id as string }))
        .filter((k) => k.key.startsWith('fp:'))
        .sort((a, b) => (a.key < b.key ? -1 : 1)),
      anchors: (await db
        .selectFrom('intake_anchor')
        .select(['key', 'level', 'finding_id'])
        .orderBy('key')
        .orderBy('finding_id')
        .execute()) as State['anchors'],
    };
  }

  /**
   * Puts the database back as version 1 left it: fingerprints under the old prefix (the hash differs too,
   * since the version is hashed), no anchors, and the path of an absolute CI checkout as v1 stored it.
   */
  async function asVersionOne(): Promise<void> {
    const db = get().runtime.db.kysely;
    const old = (fp: string) => `fp1:${[...fp.slice(4)].reverse().join('')}`;
    for (const f of await db.selectFrom('intake_finding').select(['id', 'fingerprint', 'data']).execute()) {
      const data = (f.data as string).replace('"src/Invoices.java"', '"home/runner/work/shop/shop/src/Invoices.java"');
      await db
        .updateTable('intake_finding')
        .set({ fingerprint: old(f.fingerprint as string), data })
        .where('id', '=', f.id)
        .execute();
    }
    for (const k of await db.selectFrom('intake_cluster_key').select(['key']).execute()) {
      const key = clusterKeyOf(k.key as Uint8Array);
      if (!key.startsWith('fp:')) continue;
      await db
        .updateTable('intake_cluster_key')
        .set({ key: clusterKeyBytes(`fp:${old(key.slice(3))}`) })
        .where('key', '=', k.key)
        .execute();
    }
    await db.deleteFrom('intake_anchor').execute();
  }

  it('recomputes every stored fingerprint, key and anchor, once, resuming after a kill midway', async () => {
    const { as, org, system } = get();
    const ci = await org('researcher');
    await submitDocument(as(ci), { bytes: LOG });
    const current = await state();
    expect(current.findings.every((f) => f.fingerprint.startsWith(FINGERPRINT_PREFIX))).toBe(true);
    expect(current.anchors).toHaveLength(4);

    await asVersionOne();
    expect((await state()).findings.every((f) => f.fingerprint.startsWith('fp1:'))).toBe(true);
    // Killed after the first batch of one finding: that batch is committed, the rest is left as it was.
    await expect(
      rederiveFingerprints(system, {
        batchSize: 1,
        afterBatch: () => {
          throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const midway = await state();
    expect(midway.findings.map((f) => f.fingerprint.slice(0, 4)).sort()).toEqual(['fp1:', 'fp2:']);

    // The committed batch is audited with it: a kill loses no audit line of what was written.
    const audited = async () =>
      (await auditEvents(system, { action: 'intake.fingerprints.rederive', limit: 100 })).items.map((e) => e.diff).reverse();
    expect(await audited()).toEqual([{ findings: 1, paths: expect.any(Number), proposed: 0 }]);

    const report = await rederiveFingerprints(system, { batchSize: 1 });
    expect(report).toMatchObject({ findings: 1, proposed: 0 });
    // As a fresh submission would have stored it: the CI checkout folder dropped, old keys gone.
    expect(await state()).toEqual(current);
    expect(await rederiveFingerprints(system)).toEqual({ findings: 0, paths: 0, proposed: 0 });
    // One line per batch, the two runs together accounting for each finding once (and the one path) exactly.
    const lines = (await audited()) as { findings: number; paths: number; proposed: number }[];
    expect(lines).toHaveLength(2);
    expect(lines.reduce((sum, l) => sum + l.findings, 0)).toBe(2);
    expect(lines.reduce((sum, l) => sum + l.paths, 0)).toBe(1);
  });

  it('proposes, never merges, two clusters that the new fingerprint shows to be one', async () => {
    const { as, org, system, runtime } = get();
    const ci = await org('researcher');
    const first = await submitDocument(as(ci), { bytes: LOG });
    await asVersionOne();
    // Meanwhile, under version 2, the same finding arrives and finds no v2 key: a second cluster.
    const second = await submitDocument(as(await org('vendor')), { bytes: LOG });
    expect(second.findings.map((f) => f.outcome)).toEqual(['new', 'new']);
    const report = await rederiveFingerprints(system);
    expect(report.proposed).toBe(2);
    const candidates = await runtime.db.kysely
      .selectFrom('intake_candidate')
      .select(['cluster_id', 'other_cluster_id', 'reason'])
      .execute();
    expect(candidates.map((c) => [c.cluster_id, c.other_cluster_id]).sort()).toEqual(
      first.findings.map((f, i) => [f.clusterId, second.findings[i]?.clusterId]).sort(),
    );
    expect(candidates[0]?.reason).toMatch(/same fingerprint once re-derived as fp2/);
  });

  it('runs as a background job', async () => {
    const { as, org, runtime } = get();
    await submitDocument(as(await org('researcher')), { bytes: LOG });
    await asVersionOne();
    await enqueueJob(runtime.db.kysely, get().clock, { kind: REDERIVE_JOB });
    await runtime.jobs.drain();
    expect((await state()).findings.every((f) => f.fingerprint.startsWith(FINGERPRINT_PREFIX))).toBe(true);
  });
});
