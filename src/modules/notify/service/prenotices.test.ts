import { expect, it } from 'vitest';
import { cli } from '#test-support/cli.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime, type TestRuntime, type TestUser } from '#test-support/runtime.js';
import { ConflictError, NotAllowedError } from '../../../platform/errors.js';
import { acceptedClusterOf, embargoedCase } from '../../advisories/test-support/case-scene.js';
import { openCase } from '../../cases/index.js';
import { uploadSbom, upsertAdvisory } from '../../inventory/index.js';
import { cycloneDx } from '../../inventory/test-support/fixtures.js';
import type { AdvisoryNoticeData } from '../domain/notification.js';
import { listInbox } from './inbox.js';
import { sendPrenotice } from './prenotices.js';

const widget = (version: string) => ({ name: '@acme/widget', version, purl: `pkg:npm/%40acme/widget@${version}` });
const deps = { publicUrl: 'https://clearinghouse.test' };

async function operatorRunning(t: TestRuntime, version: string): Promise<TestUser> {
  const op = await t.org('operator', { sectors: ['water'] });
  await uploadSbom(t.as(op), { asset: { name: 'plant' }, bytes: Buffer.from(cycloneDx([widget(version)])) });
  return op;
}

describeEachDatabase('pre-notices under embargo', (dialect) => {
  const get = useTestRuntime(dialect);

  it('tell exactly the operators running an affected version, at AMBER+STRICT with the embargo end, once', async () => {
    const t = get();
    const coordinator = t.as(t.coordinatorAdmin);
    const scene = await embargoedCase(t);
    // The coordinator's own record of the embargoed vulnerability, readable by the coordination centre only.
    const { advisory } = await upsertAdvisory(
      coordinator,
      {
        id: 'x_CH-EMBARGO-4343',
        modified: '2026-05-01T00:00:00Z',
        aliases: ['CVE-2026-4343'],
        summary: 'Path traversal in ACME Widget (embargoed)',
        affected: [
          {
            package: { ecosystem: 'npm', name: '@acme/widget' },
            ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.4.1' }] }],
          },
        ],
      },
      { source: 'osv-import', tlp: 'RED' },
    );
    const affected = await operatorRunning(t, '2.4.0');
    const fixed = await operatorRunning(t, '2.4.1');
    await t.runtime.jobs.drain();

    await expect(sendPrenotice(t.as(scene.acme), deps, { caseId: scene.opened.id, advisoryId: advisory.id })).rejects.toBeInstanceOf(
      NotAllowedError,
    );
    await expect(sendPrenotice(t.as(affected), deps, { caseId: scene.opened.id, advisoryId: advisory.id })).rejects.toBeInstanceOf(
      NotAllowedError,
    );

    const sent = await sendPrenotice(coordinator, deps, {
      caseId: scene.opened.number,
      advisoryId: advisory.id,
      note: 'Restrict the upload endpoint.',
    });
    expect(sent).toMatchObject({
      caseId: scene.opened.id,
      embargoEndsAt: '2026-07-01T17:00:00.000Z',
      matchedOperators: 1,
      notifications: 1,
    });
    const told = (await listInbox(t.as(affected), {}, {})).items.filter((n) => n.type === 'embargo.prenotice');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ tlp: 'AMBER+STRICT', subjectId: advisory.id });
    const data = told[0]!.data as AdvisoryNoticeData & { notice?: { text: string } };
    expect(data.embargo).toMatchObject({ endsAt: '2026-07-01T17:00:00.000Z' });
    expect(data.notice).toEqual({ text: 'Restrict the upload endpoint.' });
    expect(JSON.stringify(data)).toContain('2.4.0');
    expect((await listInbox(t.as(fixed), {}, {})).items.filter((n) => n.type === 'embargo.prenotice')).toEqual([]);

    // Again for the same embargo end: nobody is told twice.
    expect(await sendPrenotice(coordinator, deps, { caseId: scene.opened.id, advisoryId: advisory.id })).toMatchObject({
      notifications: 0,
    });
    expect((await listInbox(t.as(affected), {}, {})).items.filter((n) => n.type === 'embargo.prenotice')).toHaveLength(1);

    // The CLI on the local database says the same.
    const env = { DATABASE_URL: t.database.url, CLEARINGHOUSE_DATA_DIR: t.database.dir };
    const again = await cli(env, 'prenotice', scene.opened.number, '--advisory', advisory.id);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('1 operator(s) run an affected version; 0 newly told');
  });

  it('refuse a case that is not under embargo, naming it', async () => {
    const t = get();
    const coordinator = t.as(t.coordinatorAdmin);
    const researcher = await t.org('researcher');
    const clusterId = await acceptedClusterOf(t, researcher, 'CVE-2026-5151');
    const open = await openCase(coordinator, { clusterIds: [clusterId], title: 'No embargo yet' });
    const refused = await sendPrenotice(coordinator, deps, { caseId: open.id, advisoryId: 'CVE-2026-5151' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused).toMatchObject({ code: 'not-under-embargo', message: expect.stringContaining(open.number) });
  });
});
