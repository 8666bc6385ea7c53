import type { Call, ModuleMatrix } from '../../../../test/access-matrix/fixture.js';
import { anyOf, coordinatorMembers, membersOf, type Audience, type World } from '../../../../test/access-matrix/world.js';
import { DAY } from '../../../platform/clock.js';
import { addParticipant, moveEmbargo, openCase } from '../../cases/index.js';
import { NATIVE_FINDINGS_SCHEMA, recordClusterState, submitDocument } from '../../intake/index.js';
import { uploadSbom, upsertAdvisory } from '../../inventory/index.js';
import type { AdvisoryNoticeData } from '../domain/notification.js';
import { addAllowlistEntry } from '../service/allowlist.js';
import { testWebhook } from '../service/deliveries.js';
import { listInbox } from '../service/inbox.js';
import { registerWebhook } from '../service/webhooks.js';
import { deadLetter } from './messages.js';

/**
 * The cast operator's webhook (on a loopback port nothing listens on: every attempt fails at once), a dead
 * letter of it, its inbox (the inventory matrix's advisories at every TLP reach it as the policy allows),
 * and an advisory of its own whose notification's signed link the link routes use.
 */
interface NotifyWorld {
  readonly operatorSide: Audience;
  readonly webhookId: string;
  readonly deadId: string;
  readonly notificationId: string;
  readonly advisoryId: string;
  readonly linkToken: string;
  /** A case under embargo, and the coordinator's record of its vulnerability matching the operator's SBOM. */
  readonly embargoedCaseId: string;
  readonly embargoedAdvisoryId: string;
}

const notifyWorld = (w: World) => w.get<NotifyWorld>('notify');
const RECEIVER = 'http://127.0.0.1:9';
let serial = 0;
const LINK_SBOM = {
  bomFormat: 'CycloneDX',
  specVersion: '1.5',
  version: 1,
  components: [{ type: 'library', name: 'matrix-notify-link', version: '1.0.0', purl: 'pkg:pypi/matrix-notify-link@1.0.0' }],
};

async function freshWebhook(w: World): Promise<string> {
  const { webhook } = await registerWebhook(w.t.system, {
    orgId: w.orgs.operator.orgId,
    url: `${RECEIVER}/fresh-${++serial}`,
    events: ['*'],
  });
  w.tick();
  return webhook.id;
}

async function freshDeadLetter(w: World, webhookId: string): Promise<string> {
  const { deliveryId } = await testWebhook(w.t.system, webhookId);
  if (deliveryId === null) throw new Error(`no delivery to ${webhookId}`);
  await deadLetter(w.t.runtime.db, [deliveryId], w.t.clock.now().toISOString());
  w.tick();
  return deliveryId;
}

/** A case the cast vendor takes part in, under an accepted embargo, and an AMBER record of it the operator's SBOM matches. */
async function embargoedCaseOf(w: World): Promise<{ embargoedCaseId: string; embargoedAdvisoryId: string }> {
  const coordinator = w.t.as(w.t.coordinatorAdmin);
  const cve = `CVE-2098-${20_000 + Math.floor(Math.random() * 70_000)}`;
  const finding = {
    title: 'Path traversal in the matrix link package',
    target: { purl: 'pkg:pypi/matrix-notify-link@1.0.0' },
    cwe: ['CWE-22'],
    aliases: [cve],
    location: { path: `lib/${cve}.py`, function: 'extract' },
  };
  const bytes = Buffer.from(
    JSON.stringify({
      schema: NATIVE_FINDINGS_SCHEMA.properties.schema.const,
      provenance: { tool: { name: 'deepscan', version: '1.4.0' }, aiGenerated: false },
      findings: [finding],
    }),
  );
  const answer = await submitDocument(w.t.as(w.orgs.researcher.admin.user!), { bytes, tlp: 'GREEN' });
  await w.t.runtime.jobs.drain();
  const clusterId = answer.findings[0]!.clusterId;
  await recordClusterState(w.t.runtime.db.kysely, clusterId, 'accepted', w.t.clock.now().toISOString());
  const opened = await openCase(coordinator, { clusterIds: [clusterId], title: 'Matrix embargoed case' });
  await addParticipant(coordinator, opened.id, { orgId: w.orgs.vendor.orgId });
  const endsAt = new Date(w.t.clock.now().getTime() + 30 * DAY).toISOString();
  await moveEmbargo(w.t.as(w.orgs.vendor.admin.user!), opened.id, { action: 'propose', endsAt });
  await moveEmbargo(coordinator, opened.id, { action: 'accept' });
  const { advisory } = await upsertAdvisory(
    coordinator,
    {
      id: `x_MATRIX-${cve}`,
      modified: '2026-01-01T00:00:00Z',
      aliases: [cve],
      summary: 'Matrix embargoed advisory',
      affected: [
        {
          package: { ecosystem: 'PyPI', name: 'matrix-notify-link' },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0.1' }] }],
        },
      ],
    },
    { source: 'osv-import', tlp: 'AMBER' },
  );
  w.tick();
  return { embargoedCaseId: opened.id, embargoedAdvisoryId: advisory.id };
}

const ownWebhook = (w: World, id: string) => ({
  label: "the operator's webhook",
  params: { id },
  subject: { label: 'webhook', audience: notifyWorld(w).operatorSide },
});

export const notifyMatrix: ModuleMatrix = {
  module: 'notify',
  async seed(w) {
    w.tick();
    const operator = w.orgs.operator;
    const operatorSide = membersOf(operator.orgId);
    await addAllowlistEntry(w.t.as(w.t.coordinatorAdmin), {
      cidr: '127.0.0.1/32',
      note: `Matrix receivers ${w.canary('notify allow-list note', coordinatorMembers)}`,
    });
    const { webhook } = await registerWebhook(w.t.as(operator.admin.user!), {
      url: `${RECEIVER}/${w.canary('notify webhook path', operatorSide)}`,
      events: ['*'],
      description: `Operations ${w.canary('notify webhook description', operatorSide)}`,
    });
    w.tick();
    const deadId = await freshDeadLetter(w, webhook.id);
    // An advisory of the operator's own package, its asset named plainly: whoever holds the link reads its items.
    const advisoryId = `PYSEC-2098-${10_000 + Math.floor(Math.random() * 80_000)}`;
    await uploadSbom(w.t.as(operator.analyst.user!), {
      asset: { name: 'Notify link asset', criticality: 'moderate' },
      bytes: Buffer.from(JSON.stringify(LINK_SBOM)),
    });
    await upsertAdvisory(
      w.t.system,
      {
        id: advisoryId,
        modified: '2026-01-01T00:00:00Z',
        summary: 'Matrix notify advisory',
        affected: [
          {
            package: { ecosystem: 'PyPI', name: 'matrix-notify-link' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0.1' }] }],
          },
        ],
      },
      { source: 'osv-import', tlp: 'GREEN' },
    );
    w.tick();
    await w.t.runtime.jobs.drain();
    const inbox = await listInbox(w.t.system, { orgId: operator.orgId, subjectId: advisoryId }, {});
    const notification = inbox.items[0];
    if (notification === undefined) throw new Error(`the operator was not notified of ${advisoryId}`);
    const link = (notification.data as AdvisoryNoticeData).remediation?.link ?? '';
    const linkToken = new URL(link).searchParams.get('token') ?? '';
    const embargoed = await embargoedCaseOf(w);
    w.put<NotifyWorld>('notify', {
      operatorSide,
      webhookId: webhook.id,
      deadId,
      notificationId: notification.id,
      advisoryId,
      linkToken,
      ...embargoed,
    });
  },
  fixtures: [
    {
      route: 'GET /api/v1/webhooks',
      cases: (w) => [
        { label: 'own' },
        {
          label: "the operator's",
          query: { orgId: w.orgs.operator.orgId },
          subject: { label: 'webhooks', audience: notifyWorld(w).operatorSide },
        },
      ],
    },
    { route: 'GET /api/v1/webhooks/{id}', cases: (w) => [ownWebhook(w, notifyWorld(w).webhookId)] },
    {
      route: 'GET /api/v1/webhook-deliveries',
      cases: (w) => [
        { label: 'own' },
        {
          label: "the operator's dead letters",
          query: { orgId: w.orgs.operator.orgId, status: 'dead' },
          subject: { label: 'deliveries', audience: notifyWorld(w).operatorSide },
        },
      ],
    },
    {
      route: 'GET /api/v1/webhook-deliveries/{id}',
      cases: (w) => [
        {
          label: 'dead letter',
          params: { id: notifyWorld(w).deadId },
          subject: { label: 'delivery', audience: notifyWorld(w).operatorSide },
        },
      ],
    },
    { route: 'GET /api/v1/webhook-allowlist', cases: () => [{ label: 'list' }] },
    {
      route: 'GET /api/v1/inbox',
      cases: (w) => [
        { label: 'own', query: { limit: '200' } },
        {
          label: "the operator's",
          query: { orgId: w.orgs.operator.orgId, limit: '200' },
          subject: { label: 'inbox', audience: notifyWorld(w).operatorSide },
        },
      ],
    },
    {
      route: 'GET /api/v1/inbox/{id}',
      cases: (w) => [
        {
          label: 'notification',
          params: { id: notifyWorld(w).notificationId },
          subject: { label: 'notification', audience: notifyWorld(w).operatorSide },
        },
      ],
    },
    {
      route: 'GET /api/v1/remediation',
      cases: (w) => [
        { label: 'own open items' },
        {
          label: "the operator's",
          query: { orgId: w.orgs.operator.orgId, open: 'false' },
          subject: { label: 'remediation items', audience: anyOf(coordinatorMembers, notifyWorld(w).operatorSide) },
        },
        { label: 'one advisory', query: { advisoryId: notifyWorld(w).advisoryId } },
      ],
    },
    { route: 'GET /api/v1/remediation/advisories/{id}', cases: (w) => [{ label: 'oversight', params: { id: notifyWorld(w).advisoryId } }] },
    {
      route: 'GET /api/v1/remediation/advisories/{id}/curves',
      cases: (w) => [{ label: 'curves', params: { id: notifyWorld(w).advisoryId } }],
    },
    { route: 'GET /api/v1/remediation/advisories/{id}/csv', cases: (w) => [{ label: 'CSV', params: { id: notifyWorld(w).advisoryId } }] },
    { route: 'GET /api/v1/remediation/link', cases: (w) => [{ label: 'signed link', query: { token: notifyWorld(w).linkToken } }] },
    {
      route: 'POST /api/v1/webhooks',
      cases: () => [{ label: 'register', body: { url: `${RECEIVER}/registered`, events: ['advisory.*'] } }],
    },
    {
      route: 'PATCH /api/v1/webhooks/{id}',
      cases: (w) => [async (): Promise<Call> => ({ ...ownWebhook(w, await freshWebhook(w)), body: { description: 'Changed' } })],
    },
    { route: 'DELETE /api/v1/webhooks/{id}', cases: (w) => [async (): Promise<Call> => ownWebhook(w, await freshWebhook(w))] },
    { route: 'POST /api/v1/webhooks/{id}/secret', cases: (w) => [async (): Promise<Call> => ownWebhook(w, await freshWebhook(w))] },
    { route: 'POST /api/v1/webhooks/{id}/test', cases: (w) => [async (): Promise<Call> => ownWebhook(w, await freshWebhook(w))] },
    {
      route: 'POST /api/v1/webhook-deliveries/replay',
      cases: (w) => [
        async (): Promise<Call> => ({
          label: 'replay a dead letter',
          body: { deliveryIds: [await freshDeadLetter(w, notifyWorld(w).webhookId)] },
        }),
      ],
    },
    {
      route: 'POST /api/v1/webhook-allowlist',
      cases: () => [async (): Promise<Call> => ({ label: 'allow a block', body: { cidr: `10.${++serial % 250}.${serial % 200}.0/24` } })],
    },
    {
      route: 'DELETE /api/v1/webhook-allowlist/{id}',
      cases: (w) => [
        async (): Promise<Call> => {
          const entry = await addAllowlistEntry(w.t.system, { cidr: `172.16.${++serial % 250}.0/24` });
          w.tick();
          return { label: 'remove an entry', params: { id: entry.id } };
        },
      ],
    },
    { route: 'POST /api/v1/inbox/read', cases: () => [{ label: 'mark all read', body: { all: true } }] },
    {
      route: 'POST /api/v1/remediation',
      cases: (w) => [
        { label: 'acknowledge', body: { advisoryId: notifyWorld(w).advisoryId, orgId: w.orgs.operator.orgId, status: 'acknowledged' } },
      ],
    },
    {
      route: 'POST /api/v1/prenotices',
      cases: (w) => [
        {
          label: 'pre-notice under embargo',
          body: { caseId: notifyWorld(w).embargoedCaseId, advisoryId: notifyWorld(w).embargoedAdvisoryId, note: 'Restrict access' },
        },
      ],
    },
    {
      route: 'POST /api/v1/remediation/link',
      // The signed link is the capability (DESIGN: reply to the webhook's link): whoever holds it reports, also anonymously.
      selfService: true,
      cases: (w) => [{ label: 'report by link', query: { token: notifyWorld(w).linkToken }, body: { status: 'patched' } }],
    },
  ],
};
