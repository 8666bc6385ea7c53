import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime, type TestRuntime } from '#test-support/runtime.js';
import { mergeClusters, undoRegroup } from '../../intake/index.js';
import { reporterRecord } from '../migrations/0003-reporter-record.js';
import { reporterRecords } from '../store/reporter-record.js';
import { distinctFinding, report, reproduced } from '../test-support/scene.js';
import { recordAttempt } from './attempts.js';
import { listReporterRecords } from './track-record.js';
import { setVerdict } from './verdicts.js';

const INVALID = { state: 'invalid', reason: 'false_positive', note: 'sanitized upstream' } as const;

describeEachDatabase('the reporters’ track-record counters', (dialect) => {
  const get = useTestRuntime(dialect);

  /** The counters precision is read from, next to the track record counted from every report (the oracle). */
  async function countersAndRecount(t: TestRuntime, orgIds: readonly string[]) {
    const counters = await reporterRecords(t.runtime.db.kysely, orgIds);
    const recount = (await listReporterRecords(t.as(t.coordinatorAdmin), { limit: 100 })).items.filter((r) => orgIds.includes(r.orgId));
    return {
      counters: Object.fromEntries(orgIds.map((id) => [id, counters.get(id) ?? { valid: 0, invalid: 0 }])),
      recount: Object.fromEntries(
        orgIds.map((id) => [id, { valid: 0, invalid: 0 }]).concat(recount.map((r) => [r.orgId, { valid: r.valid, invalid: r.invalid }])),
      ),
    };
  }

  it('follows verdicts, duplicates, merges and their undoing as a recount over every report does', async () => {
    const t = get();
    const lab = await t.org('model_developer');
    const researcher = await t.org('researcher');
    const agency = await t.org('agency');
    const share = { shareWith: [agency.orgId] };
    const findings = [1, 2, 3, 4].map(() => distinctFinding());
    const [a, b, c] = await report(t, lab, findings.slice(0, 3), share);
    // The researcher reports b again (a duplicate, in b's cluster) and a finding of its own, d.
    const [, d] = await report(t, researcher, [findings[1]!, findings[3]!], share);
    const orgs = [lab.orgId, researcher.orgId];
    const coordinator = t.as(t.coordinatorAdmin);

    await recordAttempt(t.as(agency), a!, reproduced());
    await setVerdict(coordinator, b!, INVALID);
    await setVerdict(coordinator, d!, INVALID);
    await t.runtime.jobs.drain();
    let seen = await countersAndRecount(t, orgs);
    expect(seen.counters).toEqual({ [lab.orgId]: { valid: 1, invalid: 1 }, [researcher.orgId]: { valid: 0, invalid: 2 } });
    expect(seen.counters).toEqual(seen.recount);

    // A report arriving in a decided cluster counts for its organisation once.
    await report(t, researcher, [findings[0]!, findings[0]!], share);
    seen = await countersAndRecount(t, orgs);
    expect(seen.counters[researcher.orgId]).toEqual({ valid: 1, invalid: 2 });
    expect(seen.counters).toEqual(seen.recount);

    // The invalid d merged into the pending c: the researcher's report leaves a decided cluster.
    const merge = await mergeClusters(coordinator, { from: d!, into: c!, reason: 'the same bug' });
    await t.runtime.jobs.drain();
    seen = await countersAndRecount(t, orgs);
    expect(seen.counters[researcher.orgId]).toEqual({ valid: 1, invalid: 1 });
    expect(seen.counters).toEqual(seen.recount);

    await undoRegroup(coordinator, merge.id);
    await t.runtime.jobs.drain();
    seen = await countersAndRecount(t, orgs);
    expect(seen.counters[researcher.orgId]).toEqual({ valid: 1, invalid: 2 });
    expect(seen.counters).toEqual(seen.recount);

    // Closing keeps the verdict; the counters stay.
    await setVerdict(coordinator, b!, { state: 'closed' });
    seen = await countersAndRecount(t, orgs);
    expect(seen.counters).toEqual(seen.recount);
  });

  it('is back-filled by its migration from the verdicts and reports stored before it', async () => {
    const t = get();
    const lab = await t.org('model_developer');
    const agency = await t.org('agency');
    const [a, b] = await report(t, lab, [distinctFinding(), distinctFinding(), distinctFinding()], { shareWith: [agency.orgId] });
    await recordAttempt(t.as(agency), a!, reproduced());
    await setVerdict(t.as(t.coordinatorAdmin), b!, INVALID);
    const db = t.runtime.db;
    await sql`drop table validation_reporter_record`.execute(db.kysely);
    await reporterRecord.up(db.kysely, db.caps);
    const seen = await countersAndRecount(t, [lab.orgId]);
    expect(seen.counters).toEqual({ [lab.orgId]: { valid: 1, invalid: 1 } });
    expect(seen.counters).toEqual(seen.recount);
  });
});
