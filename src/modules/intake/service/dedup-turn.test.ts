import pg from 'pg';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { expectOneStatementHolding, statementsSent } from '#test-support/pg-statements.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { nativeDocument, nativeFinding } from '../test-support/native.js';
import { eventsAbout } from '../../../platform/events/index.js';
import { SUBMISSION_PROCESSED } from '../events.js';
import { DEDUP_LOCK } from './dedup-lock.js';
import { submitDocument } from './submissions.js';

describeEachDatabase('intake deduplication turn', (dialect) => {
  // A pool of two: with one submission waiting for the deduplication lock on a connection, one is left.
  const get = useTestRuntime(dialect, { CLEARINGHOUSE_DB_POOL_SIZE: '2' });

  const documents = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      nativeDocument([nativeFinding({ title: `turn ${i}`, location: { path: `turn${i}.py`, function: `f${i}` } })]),
    );

  it('deduplicates concurrent submissions each into its own cluster', async () => {
    const { as, org } = get();
    const lab = await org('researcher');
    const answers = await Promise.all(documents(4).map((bytes) => submitDocument(as(lab), { bytes })));
    const clusters = answers.map((a) => a.findings[0]?.clusterId);
    expect(clusters.every((c) => typeof c === 'string')).toBe(true);
    expect(new Set(clusters).size).toBe(4);
  });

  it('writes the plan with the submission processed, its jobs and its event in one statement on PostgreSQL, few statements while holding the turn', async () => {
    const { as, org, runtime } = get();
    const [lab, agency] = [await org('researcher'), await org('agency')];
    const finding = (name: string) => nativeFinding({ title: name, location: { path: `${name}.py`, function: name } });
    const first = await submitDocument(as(lab), { bytes: nativeDocument([finding('seen')]) });
    // The agency's document: a duplicate of the lab's cluster (a new reporter into it) and a new one twice.
    const { result: second, sent } = await statementsSent(() =>
      submitDocument(as(agency), { bytes: nativeDocument([finding('seen'), finding('fresh'), finding('fresh')]) }),
    );
    expect(second.findings.map((f) => [f.outcome, f.firstReportHidden])).toEqual([
      ['duplicate', true],
      ['new', false],
      ['duplicate', false],
    ]);
    expect(second.findings[0]?.clusterId).toBe(first.findings[0]?.clusterId);
    const k = runtime.db.kysely;
    const cluster = (id: string | undefined) =>
      k.selectFrom('intake_cluster').select(['finding_count', 'reporter_count']).where('id', '=', id!).executeTakeFirstOrThrow();
    expect(await cluster(first.findings[0]?.clusterId)).toMatchObject({ finding_count: 2, reporter_count: 2 });
    expect(await cluster(second.findings[1]?.clusterId)).toMatchObject({ finding_count: 2, reporter_count: 1 });
    const jobs = await k
      .selectFrom('platform_job')
      .select(['kind', 'status'])
      .where('dedup_key', 'like', `%${second.submission.id}`)
      .orderBy('kind')
      .execute();
    expect(jobs).toEqual([
      { kind: 'intake.near-duplicates', status: 'queued' },
      { kind: 'intake.submission.process', status: 'done' },
    ]);
    expect(second.submission.status).toBe('processed');
    const [processed] = await eventsAbout(k, second.submission.id);
    expect(processed).toMatchObject({
      type: SUBMISSION_PROCESSED,
      payload: { grownClusterIds: [first.findings[0]?.clusterId], createdClusterIds: [second.findings[1]?.clusterId] },
    });
    if (runtime.db.caps.writesInWith) {
      expectOneStatementHolding(sent, (text) => text.startsWith('with w0 as (insert into intake_cluster '), [
        'insert into intake_finding ',
        'insert into intake_cluster_key ',
        'update intake_cluster set finding_count',
        'update "intake_submission"',
        'update "platform_job"',
        'insert into platform_job ',
        'insert into "platform_event"',
      ]);
      // From the lock's grant to COMMIT: the submission, the lookup of identity keys and anchors, the grown
      // clusters' facts, the writes (the event with them), the audit entry (head and event) and COMMIT.
      const locked = sent.findLastIndex((text) => text.includes('pg_advisory_xact_lock'));
      const held = sent.slice(locked + 1, sent.indexOf('commit', locked) + 1);
      expect(held.length).toBeLessThanOrEqual(7);
    }
  });

  if (dialect === 'postgres') {
    it("queues a process's submissions waiting for deduplication without a pooled connection each", async () => {
      const { as, org, runtime, database } = get();
      const lab = await org('researcher');
      // Another process holds the deduplication lock.
      const other = new pg.Client({ connectionString: database.url });
      await other.connect();
      try {
        await other.query('select pg_advisory_lock(hashtext($1))', [DEDUP_LOCK]);
        const submitting = Promise.all(documents(3).map((bytes) => submitDocument(as(lab), { bytes })));
        // Wait until all three are stored (their answers need deduplication, which waits for the lock).
        for (;;) {
          const { rows } = await other.query<{ n: string }>('select count(*) as n from intake_submission');
          if (Number(rows[0]?.n) === 3) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        // Were each waiting submission holding a connection, the pool's two would both be taken and this
        // query would wait for one until the pool gave up ("database unavailable" with the database up).
        const { rows } = await sql<{ one: number }>`select 1 as one`.execute(runtime.db.kysely);
        expect(rows).toEqual([{ one: 1 }]);
        const waiting = await other.query<{ n: string }>(
          `select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and wait_event = 'advisory' and datname = current_database()`,
        );
        expect(Number(waiting.rows[0]?.n)).toBeLessThanOrEqual(1);
        await other.query('select pg_advisory_unlock(hashtext($1))', [DEDUP_LOCK]);
        const answers = await submitting;
        expect(answers.map((a) => a.findings[0]?.outcome)).toEqual(['new', 'new', 'new']);
      } finally {
        await other.end();
      }
    });
  }
});
