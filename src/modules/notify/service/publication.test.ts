import { afterEach, expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime, type TestRuntime, type TestUser } from '#test-support/runtime.js';
import { DAY } from '../../../platform/clock.js';
import { eventsAbout, isEvent } from '../../../platform/events/index.js';
import { VERSION } from '../../../platform/version.js';
import {
  ADVISORY_PUBLISHED,
  generateAdvisory,
  providerSettings,
  publishAdvisory,
  type AdvisoryPublishedPayload,
} from '../../advisories/index.js';
import { embargoedCase } from '../../advisories/test-support/case-scene.js';
import { decideStatement, moveEmbargo, setStatement } from '../../cases/index.js';
import { uploadSbom } from '../../inventory/index.js';
import { cycloneDx } from '../../inventory/test-support/fixtures.js';
import type { AdvisoryNoticeData } from '../domain/notification.js';
import { startReceiver, type TestReceiver } from '../test-support/receiver.js';
import { addAllowlistEntry } from './allowlist.js';
import { listInbox } from './inbox.js';
import { notifyPublication } from './publication.js';
import { registerWebhook } from './webhooks.js';

const widget = (version: string) => ({ name: '@acme/widget', version, purl: `pkg:npm/%40acme/widget@${version}` });

async function operatorRunning(t: TestRuntime, versions: readonly string[]): Promise<TestUser> {
  const op = await t.org('operator', { sectors: ['energy'] });
  for (const [i, v] of versions.entries())
    await uploadSbom(t.as(op), {
      asset: { name: `plant ${i}` },
      bytes: Buffer.from(cycloneDx([widget(v), { name: 'left-pad', version: '1.3.0', purl: 'pkg:npm/left-pad@1.3.0' }])),
    });
  return op;
}

const dataOf = (body: string) => (JSON.parse(body) as { data: AdvisoryNoticeData }).data;

describeEachDatabase('a published advisory reaches the operators that run it', (dialect) => {
  const get = useTestRuntime(dialect);
  let receiver: TestReceiver | undefined;
  afterEach(async () => receiver?.close());

  it('inbox and signed webhook for exactly the operators running an affected version; once per version; a revision as a revision', async () => {
    const t = get();
    const settings = providerSettings(t.runtime.config, VERSION);
    const coordinator = t.as(t.coordinatorAdmin);
    // The case's vendor states @acme/widget 2.4.0 affected and fixed in 2.4.1 (the scene's statement).
    const scene = await embargoedCase(t);
    const hooked = await operatorRunning(t, ['2.4.0']);
    const inboxOnly = await operatorRunning(t, ['2.4.0', '2.4.1']);
    const patched = await operatorRunning(t, ['2.4.1']);
    const older = await operatorRunning(t, ['2.3.0']);
    const unrelated = await t.org('operator');

    receiver = await startReceiver();
    const rcv = receiver;
    rcv.now = () => t.clock.now().getTime();
    await addAllowlistEntry(coordinator, { cidr: '127.0.0.1/32' });
    const hook = await registerWebhook(t.as(hooked), { url: `${rcv.url}/hooked`, events: ['advisory.published'] });
    rcv.secrets.push(hook.secret);

    const draft = await generateAdvisory(coordinator, scene.opened.id, {}, settings);
    await t.runtime.jobs.drain();
    const published = async () =>
      t.runtime.db.kysely
        .selectFrom('notify_notification')
        .select(['org_id', 'body', 'title'])
        .where('type', '=', 'advisory.published')
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    // A draft under embargo tells no operator anything.
    expect(await published()).toEqual([]);

    await moveEmbargo(coordinator, scene.opened.id, { action: 'end', reason: 'published' });
    t.clock.set(new Date('2026-06-03T09:00:00.000Z'));
    await publishAdvisory(coordinator, draft.id, settings);
    await t.runtime.jobs.drain();

    const first = await published();
    expect(first.map((n) => n.org_id).sort()).toEqual([hooked.orgId, inboxOnly.orgId].sort());
    for (const n of first) {
      const data = dataOf(n.body);
      expect(data.publication).toMatchObject({
        advisoryId: draft.id,
        trackingId: scene.opened.number,
        version: 1,
        revision: false,
        title: 'Path traversal in ACME Widget',
        tlp: 'CLEAR',
      });
      // The TLP:CLEAR document where the CSAF provider serves it.
      expect(data.publication?.link).toMatch(/\/\.well-known\/csaf\/white\/2026\/.+\.json$/);
      expect(data.tlp).toBe('CLEAR');
      expect(data.advisory.aliases).toEqual(['CVE-2026-4343']);
      // Only the asset that runs 2.4.0, with the vendor's fixed version and a deployer decision's due date.
      expect(data.assets.map((a) => [a.name, a.components])).toEqual([
        ['plant 0', [{ purl: 'pkg:npm/%40acme/widget@2.4.0', version: '2.4.0', fixed: ['2.4.1'] }]],
      ]);
      const decision = data.assets[0]?.decision;
      expect(decision).not.toBeNull();
      if (decision?.days !== null && decision !== null && decision !== undefined)
        expect(Date.parse(decision.dueAt as string) - t.clock.now().getTime()).toBe(decision.days * DAY);
      expect(n.title).toContain(scene.opened.number);
    }
    // The inbox of each: its own item; the others' inboxes are empty.
    const inbox = await listInbox(t.as(inboxOnly), { type: 'advisory.published' }, {});
    expect(inbox.items).toHaveLength(1);
    for (const nobody of [patched, older, unrelated]) expect((await listInbox(t.as(nobody), {}, {})).items).toEqual([]);
    // The webhook: one signed delivery, verified by the receiver's own implementation of the scheme.
    expect(rcv.received).toHaveLength(1);
    expect(rcv.received[0]?.verified).toBe(true);
    expect(dataOf(rcv.received[0]?.body ?? '{}')).toMatchObject({ orgId: hooked.orgId, publication: { advisoryId: draft.id } });

    // The event delivered again (at least once): nobody hears twice.
    const event = (await eventsAbout(t.runtime.db.kysely, draft.id)).find((e) => isEvent(e, ADVISORY_PUBLISHED));
    const payload = event?.payload as AdvisoryPublishedPayload;
    const again = await notifyPublication(t.system, { publicUrl: t.runtime.config.publicUrl }, payload, event?.id ?? null);
    expect(again.notifications).toBe(0);
    await t.runtime.jobs.drain();
    expect(await published()).toHaveLength(2);
    expect(rcv.received).toHaveLength(1);

    // A revision: the vendor also states 2.3.0 affected. Those already told hear of revision 2; the operator
    // running 2.3.0 hears of it for the first time, as revision 2.
    t.clock.set(new Date('2026-06-05T09:00:00.000Z'));
    const more = await setStatement(t.as(scene.acme), scene.opened.id, {
      clusterId: scene.clusterId,
      status: 'fixed',
      product: { purl: 'pkg:npm/%40acme/widget@2.3.0' },
      fixedVersions: ['2.4.1'],
      fixUrl: 'https://acme.example/widget/2.4.1',
    });
    await decideStatement(coordinator, more.id, { approve: true, version: more.version });
    await t.runtime.jobs.drain();
    const revised = (await published()).slice(2);
    expect(revised.map((n) => n.org_id).sort()).toEqual([hooked.orgId, inboxOnly.orgId, older.orgId].sort());
    for (const n of revised) {
      expect(dataOf(n.body).publication).toMatchObject({ version: 2, revision: true });
      expect(n.title).toMatch(/^Revision 2 of /);
    }
    expect(dataOf(revised.find((n) => n.org_id === older.orgId)?.body ?? '{}').assets[0]?.components).toEqual([
      { purl: 'pkg:npm/%40acme/widget@2.3.0', version: '2.3.0', fixed: ['2.4.1'] },
    ]);
    expect(rcv.received).toHaveLength(2);
    expect(dataOf(rcv.received[1]?.body ?? '{}').publication).toMatchObject({ version: 2, revision: true });

    // An SBOM uploaded after publication that runs it: told of the current version, not as a matched advisory.
    const late = await operatorRunning(t, ['2.4.0']);
    await t.runtime.jobs.drain();
    const lateInbox = await listInbox(t.as(late), {}, {});
    expect(lateInbox.items.map((n) => n.type)).toEqual(['advisory.published']);
  }, 180_000);
});
