import { asActor, type ServiceContext } from '../../../platform/context.js';
import { withTransaction } from '../../../platform/db/index.js';
import { NotFoundError } from '../../../platform/errors.js';
import { isEvent, type StoredEvent } from '../../../platform/events/index.js';
import { isTlp, type Tlp } from '../../../platform/tlp.js';
import {
  CAMPAIGN_CONFLICTED,
  CAMPAIGN_REGISTERED,
  CAMPAIGN_STARTED,
  CAMPAIGN_STOPPED,
  STOP_REQUESTED,
  getCampaign,
  type CampaignSummary,
} from '../../scanning/index.js';
import { NOTIFICATION_SCHEMA_VERSION, type NotificationType } from '../domain/notification.js';
import { fanOut, type FanOutResult, type NoticeDraft } from './fan-out.js';
import { readerOf } from './org-reader.js';

/** The scanning events notify delivers (each becomes the notification type of the same noun and verb). */

export const SCAN_EVENTS = [STOP_REQUESTED, CAMPAIGN_CONFLICTED, CAMPAIGN_REGISTERED, CAMPAIGN_STARTED, CAMPAIGN_STOPPED] as const;

/** Whether every member of the organisation may read the campaign, as scanning's access policy decides. */
async function campaignReadableBy(ctx: ServiceContext, orgId: string, campaignId: string): Promise<boolean> {
  try {
    await getCampaign(asActor(ctx, readerOf(orgId)), campaignId);
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
}

function draft(event: StoredEvent, orgId: string, type: NotificationType, tlp: Tlp, title: string, data: object): NoticeDraft {
  return {
    orgId,
    type,
    // One notification per event and organisation: a redelivered event tells nobody twice.
    dedupKey: `${type}:${event.id}`,
    subjectId: event.subjectId,
    sourceEventId: event.id,
    title,
    tlp,
    build: (notificationId) => ({
      data: { schemaVersion: NOTIFICATION_SCHEMA_VERSION, notificationId, orgId, tlp, ...data },
      facets: { type, tlp, sectors: [], purls: [] },
    }),
  };
}

function campaignOf(summary: CampaignSummary) {
  const { campaignId, orgId, name, technique, active, windowStart, windowEnd, targets } = summary;
  return { id: campaignId, orgId, name, technique, active, windowStart, windowEnd, targets };
}

/** The notifications one scanning event becomes: who is told, and what. */
async function draftsFor(ctx: ServiceContext, event: StoredEvent): Promise<NoticeDraft[]> {
  if (isEvent(event, STOP_REQUESTED)) {
    const p = event.payload;
    if (event.orgId === null || event.orgId === undefined) return [];
    // The scanner's own campaign, addressed to it alone, strict. It names the operator's asset by id only,
    // as the campaign's stop requests do: what the operator calls its asset is the operator's to tell.
    const contact = Object.values(p.stopContact).join(', ');
    return [
      draft(event, event.orgId, 'scan.stop_requested', 'AMBER+STRICT', `Stop campaign ${p.campaignName} now: ${p.reason}`.slice(0, 300), {
        stopRequest: {
          id: p.stopRequestId,
          source: p.source,
          requesterOrgId: p.requesterOrgId,
          asset: p.assetId === null ? null : { id: p.assetId },
          blackoutId: p.blackoutId,
          reason: p.reason,
          requestedAt: p.requestedAt,
        },
        campaign: { id: p.campaignId, name: p.campaignName },
        // Whom the scanner named to be reached at once, recorded with the request it is told of.
        stopContact: p.stopContact,
        contactLine: contact,
      }),
    ];
  }
  if (isEvent(event, CAMPAIGN_CONFLICTED)) {
    const p = event.payload;
    if (event.orgId === null || event.orgId === undefined) return [];
    // Scanning wrote one event per party with what that party may see of the other campaign.
    const other = p.other === null ? 'another party’s campaign' : `${p.other.name}`;
    return [
      draft(event, event.orgId, 'scan.campaign.conflicted', 'AMBER+STRICT', `Your campaign overlaps ${other} (${p.technique})`, {
        conflict: p,
      }),
    ];
  }
  const type: NotificationType | null = isEvent(event, CAMPAIGN_REGISTERED)
    ? 'scan.campaign.registered'
    : isEvent(event, CAMPAIGN_STARTED)
      ? 'scan.campaign.started'
      : isEvent(event, CAMPAIGN_STOPPED)
        ? 'scan.campaign.stopped'
        : null;
  if (type === null) return [];
  const summary = event.payload as CampaignSummary & { readonly state?: string; readonly reason?: string | null };
  const tlp: Tlp = isTlp(summary.tlp) ? summary.tlp : 'AMBER+STRICT';
  const state = summary.state ?? 'active';
  const reason = summary.reason ?? null;
  const orgIds = [...new Set([summary.orgId, ...summary.operatorOrgIds])];
  const drafts: NoticeDraft[] = [];
  for (const orgId of orgIds) {
    // The owner and the operators whose assets it touches — each only as far as it may read the campaign.
    if (!(await campaignReadableBy(ctx, orgId, summary.campaignId))) continue;
    const whose = orgId === summary.orgId ? 'Your campaign' : 'A campaign touching your assets:';
    drafts.push(
      draft(event, orgId, type, tlp, `${whose} ${summary.name} is ${state}`, {
        campaign: campaignOf(summary),
        state,
        reason,
      }),
    );
  }
  return drafts;
}

/**
 * Delivers a scanning event at once (inbox and webhooks, dispatch kicked in the same transaction): a stop
 * request to the scanning organisation with its stop contact, a conflict to the party it is addressed to,
 * a campaign registered, started or ended to its owner and to the operators whose declared assets it
 * touches, each only when the access policy lets that organisation read the campaign. Idempotent per event.
 */
export async function notifyScanEvent(ctx: ServiceContext, event: StoredEvent): Promise<FanOutResult> {
  const drafts = await draftsFor(ctx, event);
  if (drafts.length === 0) return { notifications: 0, deliveries: 0, createdIds: [] };
  return withTransaction(ctx.db, async (trx) => {
    const out = await fanOut(ctx, trx, drafts);
    if (out.notifications > 0)
      await ctx.audit.record(trx, ctx.actor, {
        action: 'notify.notification.create',
        subject: { type: 'campaign', id: event.subjectId ?? '' },
        diff: { type: drafts[0]?.type, notifications: out.notifications, deliveries: out.deliveries, sourceEventId: event.id },
      });
    return out;
  });
}
