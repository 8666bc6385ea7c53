import type { Actor } from '../../../platform/actor.js';
import type { Executor } from '../../../platform/db/index.js';
import { newId } from '../../../platform/ids.js';
import { insertTimeline } from '../store/timeline.js';

/** The kinds of step a case timeline shows. */
export type TimelineKind =
  | 'case.opened'
  | 'participant.suggested'
  | 'participant.added'
  | 'participant.declined'
  | 'embargo'
  | 'statement.changed'
  | 'statement.decided'
  | 'cve.assigned';

/**
 * Adds a step to the case timeline in the caller's transaction. `audienceOrgId` keeps a step to one
 * organisation (and the coordinators): a vendor's statement, a vendor suggested. Steps carry ids and
 * states, never another organisation's content.
 */
export async function recordStep(
  trx: Executor,
  actor: Actor,
  step: { caseId: string; kind: TimelineKind; at: string; audienceOrgId?: string | null; data: Record<string, unknown> },
): Promise<void> {
  await insertTimeline(trx, [
    {
      id: newId('ctl'),
      case_id: step.caseId,
      audience_org_id: step.audienceOrgId ?? null,
      kind: step.kind,
      actor_org_id: actor.kind === 'user' ? actor.orgId : null,
      actor_user_id: actor.kind === 'user' ? actor.userId : null,
      data: JSON.stringify(step.data),
      at: step.at,
    },
  ]);
}
