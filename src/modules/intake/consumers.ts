import { systemActor, type Actor } from '../../platform/actor.js';
import { asActor, type ServiceContext } from '../../platform/context.js';
import { isEvent, type EventConsumer, type StoredEvent } from '../../platform/events/index.js';
import { FINDING_REPORTED, type FindingReportedPayload } from '../frontier/pure.js';
import { adminActorOf, type RecipientInput } from '../identity/index.js';
import { submitDocument } from './service/submissions.js';

/**
 * A vulnerability a model found during a frontier review enters intake like any report: submitted for the
 * reporting organisation, at the review's TLP (RED by default) and to its recipients, to be deduplicated and
 * validated on the normal path. Findings without a target cannot be matched or fingerprinted and stay in
 * the review. Idempotent: the same document from the same organisation is answered as a repeat.
 */
export async function submitFrontierFinding(system: ServiceContext, event: StoredEvent<FindingReportedPayload>): Promise<void> {
  const payload = event.payload;
  if (payload.native === null || payload.native === undefined) return;
  // Submitted as the member who reported it: at TLP:RED it is theirs and the named users', not their admin's.
  const reporter = await adminActorOf(system, payload.reportingOrgId, payload.reportedBy);
  const userIds = [...new Set([...(payload.recipients.userIds ?? []), ...(payload.reportedBy === null ? [] : [payload.reportedBy])])];
  const recipients: RecipientInput = { orgIds: payload.recipients.orgIds ?? [], userIds };
  await submitDocument(asActor(system, reporter), {
    bytes: Buffer.from(JSON.stringify(payload.native)),
    filename: `frontier:${payload.findingId}`,
    tlp: payload.tlp,
    recipients,
  });
}

export function intakeConsumers(deps: { contextFor(actor: Actor): ServiceContext }): EventConsumer[] {
  return [
    {
      name: 'intake.from-frontier',
      types: [FINDING_REPORTED],
      handle: async (event) => {
        if (isEvent(event, FINDING_REPORTED)) await submitFrontierFinding(deps.contextFor(systemActor('intake')), event);
      },
    },
  ];
}
