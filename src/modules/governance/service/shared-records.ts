import { randomUUID } from 'node:crypto';
import { authorize, COORDINATOR_ORG_NAME, getOrg } from '../../identity/index.js';
import { sharedClusters, type SharedCluster } from '../../intake/index.js';
import { systemActor, type Actor, type UserActor } from '../../../platform/actor.js';
import { asActor, type ServiceContext } from '../../../platform/context.js';
import { InputError, NotAllowedError } from '../../../platform/errors.js';
import type { SharedNote, SharedRecords, SharedVulnerability } from '../domain/sharing/shared-records.js';
import type { Producer } from '../domain/sharing/stix-bundle.js';

/** Records one export may carry; beyond it the caller narrows the export (`since`). */
export const MAX_EXPORT_RECORDS = 20_000;

const PAGE = 500;

/** The clearinghouse as the STIX producer of every export: a fixed identity, public. */
export const PRODUCER: Producer = {
  key: 'clearinghouse',
  name: COORDINATOR_ORG_NAME,
  description: 'The AI cybersecurity clearinghouse (U.S. executive order of June 2, 2026)',
  createdAt: '2026-06-02T00:00:00.000Z',
};

/** A fresh bundle id (a bundle's id names the package, not its content). */
export const newBundleId = () => `bundle--${randomUUID()}`;

/**
 * The actor an export is computed for. An export for an organisation reads as that organisation's viewer
 * would, without being any of its users: TLP:RED (named individuals only) never reaches an organisation's
 * export. An export for oneself reads as oneself.
 */
export async function recipientActor(ctx: ServiceContext, recipientOrgId: string | undefined): Promise<Actor> {
  if (recipientOrgId === undefined) {
    if (ctx.actor.kind === 'anonymous') throw new NotAllowedError('sign in to export what you may see');
    return ctx.actor;
  }
  authorize(ctx.actor, 'governance.export.recipient');
  const org = await getOrg(asActor(ctx, systemActor('governance')), recipientOrgId).catch(() => null);
  if (org === null)
    throw new InputError(`no organisation ${recipientOrgId}`, [{ pointer: '/recipientOrgId', detail: 'must name an organisation' }]);
  const recipient: UserActor = {
    kind: 'user',
    userId: `org-export:${org.id}`,
    orgId: org.id,
    orgKind: org.kind,
    role: 'viewer',
    tokenId: null,
  };
  return recipient;
}

function vulnerabilityOf(c: SharedCluster): SharedVulnerability {
  return {
    recordId: c.clusterId,
    tlp: c.tlp,
    title: c.title,
    description: c.description,
    aliases: c.aliases,
    cwes: c.cwes,
    targets: c.targets,
    state: c.state,
    createdAt: c.createdAt,
    modifiedAt: c.modifiedAt,
    vendorOrgIds: [],
  };
}

/** The coordinator's published report-management state of a cluster, as a note at the cluster's label. */
function stateNote(c: SharedCluster): SharedNote | null {
  if (c.state === 'received') return null;
  return {
    recordId: `${c.clusterId}:state`,
    tlp: c.tlp,
    about: [c.clusterId],
    abstract: `Validation: ${c.state}`,
    content: `The clearinghouse's report-management state of this vulnerability is "${c.state}" (received → valid | invalid → accepted | deferred → closed).`,
    authors: [COORDINATOR_ORG_NAME],
    createdAt: c.createdAt,
    modifiedAt: c.modifiedAt,
  };
}

/**
 * Everything `recipient` may see, as shared records: read through the one access policy as the recipient,
 * never as the exporter. `since` keeps the records changed after it.
 */
export async function recordsFor(
  ctx: ServiceContext,
  recipient: Actor,
  options: { readonly since?: string | undefined } = {},
): Promise<SharedRecords> {
  const as = asActor(ctx, recipient);
  const clusters: SharedCluster[] = [];
  let afterId: string | null = null;
  for (;;) {
    const page = await sharedClusters(as, { afterId, limit: PAGE });
    clusters.push(...page.filter((c) => options.since === undefined || Date.parse(c.modifiedAt) > Date.parse(options.since)));
    if (clusters.length > MAX_EXPORT_RECORDS) {
      throw new InputError(`the export would hold more than ${MAX_EXPORT_RECORDS} vulnerabilities; narrow it with since`, [
        { pointer: '/since', detail: `narrow the export to fewer than ${MAX_EXPORT_RECORDS} records` },
      ]);
    }
    if (page.length < PAGE) break;
    afterId = page[page.length - 1]?.clusterId ?? null;
  }
  return {
    vulnerabilities: clusters.map(vulnerabilityOf),
    notes: clusters.flatMap((c) => stateNote(c) ?? []),
    links: [],
    orgs: [],
  };
}
