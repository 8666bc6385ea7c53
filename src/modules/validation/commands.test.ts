import { expect, it } from 'vitest';
import { cli } from '#test-support/cli.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestServer } from '#test-support/http.js';
import type { QueueRow } from './presenters.js';
import type { AttemptOutcome } from './presenters.js';
import type { ClaimAnswer } from './service/jobs.js';
import type { ValidationView } from './service/validation-view.js';
import { distinctFinding, report } from './test-support/scene.js';

describeEachDatabase('clearinghouse triage and validate', (dialect) => {
  const get = useTestServer(dialect);

  it('lists the queue, claims and reports a job, and sets a verdict on the local database', async () => {
    const t = get();
    const env = { DATABASE_URL: t.database.url, CLEARINGHOUSE_DATA_DIR: t.database.dir };
    const lab = await t.org('model_developer');
    const agency = await t.org('agency');
    const [first, second] = await report(
      t,
      lab,
      [distinctFinding({ cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' }), distinctFinding()],
      { shareWith: [agency.orgId] },
    );

    const listed = await cli(env, 'triage', 'list', '--json');
    expect(listed.code).toBe(0);
    expect(listed.json<{ items: QueueRow[] }>().items.map((r) => r.clusterId)).toEqual([first, second]);
    expect((await cli(env, 'triage', 'list')).stdout).toMatch(/CLUSTER\s+STATE\s+SCORE/);

    const claimed = await cli(env, 'validate', 'claim', '--org', agency.orgId, '--json');
    const job = claimed.json<ClaimAnswer>().job;
    expect(job?.clusterId).toBe(first);
    const reported = await cli(
      env,
      'validate',
      'report',
      job!.id,
      '--org',
      agency.orgId,
      '--reproduced',
      'yes',
      '--artifact',
      'pkg:pypi/shopfront',
      '--build',
      '2.3.1',
      '--environment',
      'sandbox',
      '--step',
      'one',
      '--step',
      'two',
      '--json',
    );
    expect(reported.code).toBe(0);
    expect(reported.json<AttemptOutcome>()).toMatchObject({ state: 'valid', attempt: { steps: ['one', 'two'] } });

    const refused = await cli(env, 'triage', 'verdict', second!, 'invalid', '--reason', 'false_positive');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('/note');
    const verdict = await cli(env, 'triage', 'verdict', second!, 'invalid', '--reason', 'false_positive', '--note', 'parameterized query');
    expect(verdict.code).toBe(0);
    expect(verdict.stdout).toContain(`${second}: invalid — False positive (parameterized query)`);
    const illegal = await cli(env, 'triage', 'verdict', second!, 'accepted');
    expect(illegal.code).toBe(1);
    expect(illegal.stderr).toContain('is invalid and cannot become accepted: it may move to closed');
    expect(
      (await cli(env, 'validate', 'report', job!.id, '--reproduced', 'maybe', '--artifact', 'a', '--build', 'b', '--environment', 'e'))
        .code,
    ).toBe(2);
  });

  it('talks to a remote server with --url and --token', async () => {
    const t = get();
    const lab = await t.org('model_developer');
    const agency = await t.org('agency');
    const [id] = await report(t, lab, [distinctFinding()], { shareWith: [agency.orgId] });
    const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const remote = (token: string) => ['--url', url, '--token', token];
    const queue = await cli({}, 'triage', 'list', ...remote(t.coordinatorAdmin.token), '--json');
    expect(queue.json<{ items: QueueRow[] }>().items.map((r) => r.clusterId)).toEqual([id]);
    expect((await cli({}, 'triage', 'list', ...remote(lab.token))).code).toBe(1);
    const claim = await cli({}, 'validate', 'claim', ...remote(agency.token), '--lease-hours', '2', '--json');
    const job = claim.json<ClaimAnswer>().job!;
    const released = await cli({}, 'validate', 'release', job.id, ...remote(agency.token));
    expect(released.stdout).toContain(`released job ${job.id}`);
    const shown = await cli({}, 'triage', 'show', id!, ...remote(lab.token), '--json');
    expect(shown.json<ValidationView>()).toMatchObject({ clusterId: id, state: 'received', attempts: [] });
    const quota = await cli({}, 'triage', 'quota', lab.orgId, '--limit', '3', '--note', 'trial', ...remote(t.coordinatorAdmin.token));
    expect(quota.stdout).toContain(`${lab.orgId}: 3 submissions per 24 hours`);
    expect((await cli({}, 'validate', 'claim', '--org', agency.orgId, ...remote(agency.token))).code).toBe(2);
  });
  it('shows what each queued cluster is, pages the queue, names reporters and says what a claimed job asks to reproduce', async () => {
    const t = get();
    const lab = await t.org('model_developer');
    const agency = await t.org('agency');
    const findings = [
      distinctFinding({ title: 'Order search builds SQL from the query string', target: { purl: 'pkg:pypi/shopfront@2.3.1' } }),
      distinctFinding({ title: 'Invoice export runs a shell command from the file name', target: { purl: 'pkg:npm/invoicer@1.0.0' } }),
    ];
    const [first, second] = await report(t, lab, findings, { shareWith: [agency.orgId] });
    const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const coordinator = ['--url', url, '--token', t.coordinatorAdmin.token];

    const page = await cli({}, 'triage', 'list', ...coordinator, '--limit', '1');
    expect(page.code).toBe(0);
    expect(page.stdout).toMatch(/CLUSTER\s+STATE\s+SCORE\s+QUORUM\s+TARGET\s+TITLE\s+WHY/);
    expect(page.stdout).toContain('Order search builds SQL from the query string');
    expect(page.stdout).toContain('pkg:pypi/shopfront');
    expect(page.stdout).not.toContain('Invoice export');
    const cursor = /--cursor (\S+)/.exec(page.stdout)?.[1];
    expect(cursor).toBeDefined();
    const next = await cli({}, 'triage', 'list', ...coordinator, '--limit', '1', '--cursor', cursor!, '--json');
    expect(next.json<{ items: QueueRow[] }>().items.map((r) => [r.clusterId, r.title])).toEqual([
      [second, 'Invoice export runs a shell command from the file name'],
    ]);
    const all = await cli({}, 'triage', 'list', ...coordinator, '--all', '--json');
    expect(all.json<{ items: QueueRow[] }>().items.map((r) => r.clusterId)).toEqual([first, second]);

    const reporters = await cli({}, 'triage', 'reporters', ...coordinator);
    const named = await t.app.inject({
      method: 'GET',
      url: `/api/v1/orgs/${lab.orgId}`,
      headers: { authorization: `Bearer ${lab.token}` },
    });
    const labLine = reporters.stdout.split('\n').find((line) => line.startsWith(lab.orgId));
    expect(labLine).toContain(named.json<{ name: string }>().name);

    const claim = await cli({}, 'validate', 'claim', '--url', url, '--token', agency.token);
    expect(claim.code).toBe(0);
    expect(claim.stdout).toContain('what to reproduce: Order search builds SQL from the query string');
    expect(claim.stdout).toContain('affected: pkg:pypi/shopfront');
    expect(claim.stdout).toMatch(/then: clearinghouse validate report \S+ --reproduced yes\|no/);
  });
});
