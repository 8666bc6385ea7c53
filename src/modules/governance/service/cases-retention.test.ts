import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { addParticipant, casesRetention, moveEmbargo, openCase, setStatement } from '../../cases/index.js';
import { acceptedCluster } from '../../cases/test-support/cases.js';
import { runMigrations, tables, withTransaction } from '../../../platform/db/index.js';
import { governanceMigrations } from '../index.js';
import { testRegistry } from '../test-support/registry.js';
import { retentionPlan } from './plan.js';

const DAY = 86_400_000;

/**
 * Cases lend retention their records (the `case` class) and the one event they know about whole clusters,
 * `case_published`: before they did, no rule counting from a case's publication ever fired (evidence 90 days
 * after it, raw submissions 365 days after it), and the plan never listed a case.
 */
describeEachDatabase('cases in retention', (dialect) => {
  const get = useTestRuntime(dialect);

  it('lists each case with its clusters and parties, tells its publication to its clusters’ records, exports and purges it whole', async () => {
    const t = get();
    await runMigrations(t.runtime.db, [governanceMigrations]);
    const db = t.runtime.db.kysely;
    const coordinator = t.as(t.coordinatorAdmin);
    const researcher = await t.org('researcher');
    const vendor = await t.org('vendor');
    // Day 0 (2 June 2026, 12:00 UTC): the report; day 1: the case, with a vendor and its statement.
    const clusterId = await acceptedCluster(t, researcher, { purl: 'pkg:npm/left-pad@1.0.0', aliases: ['CVE-2026-5000'] });
    t.clock.advance(DAY);
    const opened = await openCase(coordinator, { clusterIds: [clusterId] });
    await addParticipant(coordinator, opened.id, { orgId: vendor.orgId });
    await setStatement(t.as(vendor), opened.id, { clusterId, status: 'affected', product: { purl: 'pkg:npm/left-pad@1.0.0' } });

    const records = () => casesRetention.records(db, { dataClass: 'case', afterId: null, limit: 10 });
    const [before] = await records();
    expect(before).toMatchObject({
      recordId: opened.id,
      dataClass: 'case',
      ownerOrgId: t.coordinatorAdmin.orgId,
      anchors: { created: '2026-06-03T12:00:00.000Z' },
      clusterIds: [clusterId],
      blobs: [],
    });
    expect(Object.keys(before!.anchors)).toEqual(['created']);
    expect([...before!.holdKeys.orgs].sort()).toEqual([t.coordinatorAdmin.orgId, researcher.orgId, vendor.orgId].sort());
    expect(await casesRetention.clusterEvents!(db, [clusterId])).toEqual(new Map());
    expect(await casesRetention.records(db, { dataClass: 'case', afterId: opened.id, limit: 10 })).toEqual([]);
    expect(await casesRetention.records(db, { dataClass: 'case', afterId: null, limit: 10, orgId: vendor.orgId })).toEqual([]);

    // Day 10: a leak ends the embargo and discloses the case.
    t.clock.set('2026-06-12T12:00:00.000Z');
    await moveEmbargo(coordinator, opened.id, { action: 'leak', note: 'posted on a forum' });
    expect((await records())[0]!.anchors).toEqual({ created: '2026-06-03T12:00:00.000Z', case_published: '2026-06-12T12:00:00.000Z' });
    expect(await casesRetention.clusterEvents!(db, [clusterId])).toEqual(
      new Map([[clusterId, { case_published: '2026-06-12T12:00:00.000Z' }]]),
    );

    // The raw submission now goes 365 days after the publication (12 June 2027), before the 730 days after it
    // arrived (1 June 2028) would; the case itself counts from its closing, which has not happened.
    const plan = async (at: string) => retentionPlan(coordinator, testRegistry, { at, limit: 1000 });
    const purged = async (at: string, dataClass: string) =>
      (await plan(at)).records.filter((r) => r.dataClass === dataClass && r.outcome === 'purge').length;
    expect(await purged('2027-06-12T11:59:59.999Z', 'raw_submission')).toBe(0);
    expect(await purged('2027-06-12T12:00:00.000Z', 'raw_submission')).toBe(1);
    const later = await plan('2040-01-01T00:00:00.000Z');
    expect(later.classes.find((c) => c.dataClass === 'case')).toMatchObject({ purge: 0, held: 0, retained: 1 });

    // An export of the case carries its parties, statement and timeline.
    const [content] = (await casesRetention.content(db, 'case', [opened.id])) as {
      id: string;
      participants: { org_id: string }[];
      statements: { vendor_org_id: string; status: string }[];
      timeline: { kind: string }[];
    }[];
    expect(content!.id).toBe(opened.id);
    expect(content!.participants.map((p) => p.org_id).sort()).toEqual([t.coordinatorAdmin.orgId, researcher.orgId, vendor.orgId].sort());
    expect(content!.statements.map((s) => [s.vendor_org_id, s.status])).toEqual([[vendor.orgId, 'affected']]);
    expect(content!.timeline.map((s) => s.kind)).toContain('case.opened');

    // Purged, nothing of it is left; a second purge finds nothing to do.
    const purge = () =>
      withTransaction(t.runtime.db, (trx) =>
        casesRetention.purge(trx, 'case', [opened.id], { caps: t.runtime.db.caps, now: t.clock.now().toISOString() }),
      );
    expect(await purge()).toEqual([opened.id]);
    const left = await Promise.all(
      ['cases_vulnerability', 'cases_participant', 'cases_statement', 'cases_timeline', 'cases_post'].map(async (table) =>
        Number(
          (
            await tables<Record<string, { case_id: string }>>(db)
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('case_id', '=', opened.id)
              .executeTakeFirstOrThrow()
          ).n,
        ),
      ),
    );
    expect(left).toEqual([0, 0, 0, 0, 0]);
    expect(await records()).toEqual([]);
    expect(await purge()).toEqual([]);
  });
});
