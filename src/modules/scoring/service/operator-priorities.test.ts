import type { KyselyPlugin } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime, type TestRuntime, type TestUser } from '#test-support/runtime.js';
import { InputError, NotAllowedError, NotFoundError } from '../../../platform/errors.js';
import type { Tlp } from '../../../platform/tlp.js';
import { submitDocument } from '../../intake/index.js';
import { upsertAdvisories } from '../../inventory/index.js';
import { nativeDocument, nativeFinding } from '../../intake/test-support/native.js';
import { seedPriorities as seed } from '../test-support/priorities.js';
import { prioritize } from './decisions.js';
import { deployerPriorities } from './deployer-priorities.js';
import { listOperatorPriorities } from './operator-priorities.js';

/**
 * A cluster of one report naming `cveId`, sent by `by` at `tlp` (a RED one is shared with `by`'s own user
 * only), decided by the system as actively exploited and automatable on a validator's word: a decision that
 * raises every deployer priority of the CVE it is allowed to reach.
 */
async function decidedCluster(t: TestRuntime, by: TestUser, tlp: Tlp, cveId: string): Promise<string> {
  const answer = await submitDocument(t.as(by), {
    bytes: nativeDocument([
      nativeFinding({
        title: `Exploited ${cveId}`,
        aliases: [cveId],
        target: { purl: 'pkg:npm/left-pad@1.0.0' },
        location: { path: `src/${cveId}.js`, function: 'parse' },
      }),
    ]),
    tlp,
    ...(tlp === 'RED' ? { recipients: { userIds: [by.userId] } } : {}),
  });
  await t.runtime.jobs.drain();
  const clusterId = answer.findings[0]?.clusterId;
  if (clusterId === undefined) throw new Error('the report made no cluster');
  await prioritize(t.system, {
    subjectId: clusterId,
    cveIds: [cveId],
    validation: { validator: by.orgId, assessedAt: '2026-06-01T00:00:00.000Z', activeExploitation: true, automatable: 'yes' },
  });
  return clusterId;
}

// The expected rows are those of seedPriorities (test-support/priorities.ts), read off the SSVC tables there.
describeEachDatabase("an operator's ranked priorities", (dialect) => {
  const get = useTestRuntime(dialect);

  it('ranks its own affected rows by the deployer decision, with KEV, EPSS, due date and fixed versions', async () => {
    const t = get();
    const { a } = await seed(t);
    const result = await listOperatorPriorities(t.as(a));
    expect(result.orgId).toBe(a.orgId);
    expect(result.items.map((r) => [r.rank, r.asset.name, r.advisory.id, r.priority, r.dueAt, r.fixed])).toEqual([
      [1, 'Historian', 'PYSEC-2', 'immediate', '2026-06-03T12:00:00.000Z', ['2.31.0']],
      [2, 'HMI', 'PYSEC-2', 'out_of_cycle', '2026-06-09T12:00:00.000Z', ['2.31.0']],
      [3, 'Historian', 'PYSEC-1', 'scheduled', '2026-07-02T12:00:00.000Z', ['3.2.1']],
    ]);
    expect(result.items[0]?.kev).toMatchObject({ cveId: 'CVE-2026-0002' });
    expect(result.items[2]).toMatchObject({ kev: null, epss: { cveId: 'CVE-2026-0001', score: 0.5, percentile: 0.97 } });
    expect(result.items[0]?.explanation.inputs.exploitation).toEqual({
      value: 'active',
      basis: expect.stringContaining('CISA KEV: CVE-2026-0002'),
    });
    expect(result.items[1]?.explanation.inputs.systemExposure.basis).toContain('policy rule');
    expect(result.totals).toEqual({
      rows: 3,
      assets: 2,
      advisories: 2,
      kev: 2,
      byPriority: { defer: 0, scheduled: 1, out_of_cycle: 1, immediate: 1 },
      undecided: 0,
    });
  });

  it("never shows another operator's assets or advisories the caller may not see", async () => {
    const t = get();
    const { a, b } = await seed(t);
    const mine = JSON.stringify(await listOperatorPriorities(t.as(a)));
    expect(mine).not.toContain('Other operator turbine');
    expect(mine).not.toContain('PYSEC-3');
    const theirs = await listOperatorPriorities(t.as(b));
    expect(theirs.items.map((r) => [r.asset.name, r.advisory.id])).toEqual([['Other operator turbine', 'PYSEC-1']]);
    await expect(listOperatorPriorities(t.as(b), { orgId: a.orgId })).rejects.toThrow(NotFoundError);
    const viewer = await t.user(a.orgId, 'viewer');
    expect((await listOperatorPriorities(t.as(viewer))).totals.rows).toBe(3);
  });

  it('gives the coordinator the view of a named operator, and refuses organisations that keep no inventory', async () => {
    const t = get();
    const { a } = await seed(t);
    const seen = await listOperatorPriorities(t.as(t.coordinatorAdmin), { orgId: a.orgId });
    // The clearinghouse reads what it is sent: the coordinator sees the RED advisory's row too (PYSEC-3, Scheduled, unscored).
    expect(seen.items.map((r) => [r.asset.name, r.advisory.id])).toEqual([
      ['Historian', 'PYSEC-2'],
      ['HMI', 'PYSEC-2'],
      ['Historian', 'PYSEC-1'],
      ['Historian', 'PYSEC-3'],
    ]);
    const vendor = await t.org('vendor');
    await expect(listOperatorPriorities(t.as(vendor))).rejects.toThrow(NotAllowedError);
    await expect(listOperatorPriorities(t.system)).rejects.toThrow(InputError);
  });

  it('filters by asset, sector and due date, and pages with a cursor over the ranking', async () => {
    const t = get();
    const { a } = await seed(t);
    const ctx = t.as(a);
    expect((await listOperatorPriorities(ctx, { asset: 'HMI' })).items.map((r) => r.rank)).toEqual([1]);
    expect((await listOperatorPriorities(ctx, { sector: 'energy' })).items.map((r) => r.advisory.id)).toEqual(['PYSEC-2', 'PYSEC-1']);
    expect((await listOperatorPriorities(ctx, { dueBefore: '2026-06-05' })).items.map((r) => r.asset.name)).toEqual(['Historian']);
    await expect(listOperatorPriorities(ctx, { dueBefore: 'soon' })).rejects.toThrow(InputError);
    const first = await listOperatorPriorities(ctx, { limit: 2 });
    expect(first.items.map((r) => r.rank)).toEqual([1, 2]);
    expect(first.nextCursor).not.toBeNull();
    const second = await listOperatorPriorities(ctx, { limit: 2, cursor: first.nextCursor ?? '' });
    expect(second.items.map((r) => r.rank)).toEqual([3]);
    expect(second.nextCursor).toBeNull();
  });

  it("answers exactly as if a hidden cluster's decision did not exist", async () => {
    const t = get();
    const { a } = await seed(t);
    const researcher = await t.org('researcher');
    const alone = await listOperatorPriorities(t.as(a));
    const coordinatorAlone = await listOperatorPriorities(t.as(t.coordinatorAdmin), { orgId: a.orgId });
    // A RED report naming PYSEC-1's CVE (Historian runs it), not shared with the operator, decided as exploited.
    const red = await decidedCluster(t, researcher, 'RED', 'CVE-2026-0001');
    expect(await listOperatorPriorities(t.as(a))).toEqual(alone);
    expect(await listOperatorPriorities(t.as(await t.user(a.orgId, 'viewer')))).toEqual(alone);
    // The coordinator reads every report: its view of the same operator moves (so the decision does bear on the rows).
    expect(await listOperatorPriorities(t.as(t.coordinatorAdmin), { orgId: a.orgId })).not.toEqual(coordinatorAlone);

    // A GREEN report of the same vulnerability joins that cluster: its decision still rests on the RED report.
    const joined = await decidedCluster(t, researcher, 'GREEN', 'CVE-2026-0001');
    expect(joined).toBe(red);
    expect(await listOperatorPriorities(t.as(a))).toEqual(alone);
  });

  it('builds on the decision of a cluster whose every report the operator may see', async () => {
    const t = get();
    const { a } = await seed(t);
    const alone = await listOperatorPriorities(t.as(a));
    await decidedCluster(t, await t.org('researcher'), 'GREEN', 'CVE-2026-0001');
    const shared = await listOperatorPriorities(t.as(a));
    expect(shared).not.toEqual(alone);
    expect(shared.items.find((r) => r.advisory.id === 'PYSEC-1')?.explanation.inputs.exploitation).toEqual({
      value: 'active',
      basis: "the clearinghouse's validation (2026-06-01)",
    });
  });

  it('decides a page of many rows with the queries of a page of few, each row as it would be decided alone', async () => {
    const t = get();
    const { a } = await seed(t);
    const answer = async () => {
      let queries = 0;
      const counter: KyselyPlugin = {
        transformQuery: (args) => {
          queries += 1;
          return args.node;
        },
        transformResult: async (args) => args.result,
      };
      const ctx = { ...t.as(a), db: { ...t.runtime.db, kysely: t.runtime.db.kysely.withPlugin(counter) } };
      return { result: await listOperatorPriorities(ctx, { limit: 500 }), queries };
    };
    const few = await answer();
    const cve = (i: number) => `CVE-2026-1${String(i).padStart(3, '0')}`;
    await upsertAdvisories(
      t.system,
      Array.from({ length: 60 }, (_, i) => ({
        record: {
          id: `PYSEC-${100 + i}`,
          modified: '2026-01-01T00:00:00Z',
          aliases: [cve(i)],
          summary: `Django flaw ${i}`,
          affected: [
            {
              package: { ecosystem: 'PyPI', name: 'django' },
              ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '3.0' }, { fixed: '3.2.1' }] }],
            },
          ],
        },
      })),
      { source: 'test', tlp: 'GREEN' },
    );
    // Some of them with a decision the operator may build on.
    const researcher = await t.org('researcher');
    for (const i of [0, 7, 19]) await decidedCluster(t, researcher, 'GREEN', cve(i));
    await t.runtime.jobs.drain();

    const many = await answer();
    expect(many.result.totals.rows).toBe(few.result.totals.rows + 60);
    expect(many.queries).toBe(few.queries);
    const decidedRows = many.result.items.filter((r) =>
      r.explanation.inputs.exploitation.basis.startsWith("the clearinghouse's validation"),
    );
    expect(decidedRows.map((r) => r.advisory.aliases[0]).sort()).toEqual([cve(0), cve(7), cve(19)]);
    for (const row of many.result.items) {
      const { asset } = row;
      const alone = await deployerPriorities(t.as(a), {
        cveIds: [row.advisory.id, ...row.advisory.aliases],
        assets: [
          {
            operatorId: a.orgId,
            assetId: asset.id,
            sector: asset.sector,
            criticality: asset.criticality,
            internetFacing: asset.internetFacing,
          },
        ],
      });
      const decision = alone.decisions[0]!;
      expect([row.priority, row.dueAt, row.explanation.inputs.exploitation.value, row.explanation.inputs.automatable.value]).toEqual([
        decision.outcome,
        decision.deadline.dueAt,
        decision.explanation.inputs.exploitation.value,
        decision.explanation.inputs.automatable.value,
      ]);
    }
  });
});
