import type { ServiceContext } from '../../../platform/context.js';
import type { Executor } from '../../../platform/db/index.js';
import { canSee, type ProtectedRecord } from '../../identity/index.js';
import type { CampaignConflict } from '../domain/campaign-conflicts.js';
import { effectiveState } from '../presenters.js';
import * as campaigns from '../store/campaigns.js';
import type { CampaignRow } from '../store/tables.js';
import { campaignRecords } from './access.js';

/**
 * A conflict as one caller may see it. Whoever is told always learns that another party scans their target
 * with a technique until a time; the other campaign's identity, organisation and own targets only when the
 * access policy lets the caller see that campaign.
 */
export interface ConflictView {
  readonly reason: 'same-technique' | 'concurrent-active';
  readonly technique: string;
  /** When both run. */
  readonly during: { readonly start: string; readonly end: string };
  /** When the other campaign's window closes. */
  readonly until: string;
  readonly targets: readonly {
    readonly ours: string;
    /** The other campaign's target, when it may be seen. */
    readonly theirs: string | null;
    readonly overlap: string;
    readonly approximate: boolean;
  }[];
  readonly campaign: {
    readonly id: string;
    readonly orgId: string;
    readonly name: string;
    readonly state: string;
    readonly stopContact: Readonly<Record<string, string>>;
  } | null;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function conflictView(conflict: CampaignConflict, other: CampaignRow | undefined, visible: boolean, now: Date): ConflictView {
  return {
    reason: conflict.reason,
    technique: conflict.other.technique,
    during: { start: iso(conflict.during.startMs), end: iso(conflict.during.endMs) },
    until: iso(conflict.other.window.endMs),
    targets: conflict.pairs.map((p) => ({
      ours: p.ours.text,
      theirs: visible ? p.theirs.text : null,
      overlap: p.overlap.detail,
      approximate: p.overlap.approximate,
    })),
    campaign:
      visible && other !== undefined
        ? {
            id: other.id,
            orgId: other.owner_org_id,
            name: other.name,
            state: effectiveState(other, now),
            stopContact: JSON.parse(other.stop_contact) as Record<string, string>,
          }
        : null,
  };
}

/** The other campaigns' rows and labels, for deciding what each party may see. */
export async function conflictPartners(
  executor: Executor,
  conflicts: readonly CampaignConflict[],
): Promise<{ rows: Map<string, CampaignRow>; records: Map<string, ProtectedRecord> }> {
  const rows = await campaigns.campaignsByIds(
    executor,
    conflicts.map((c) => c.other.id),
  );
  return { rows: new Map(rows.map((r) => [r.id, r])), records: await campaignRecords(executor, rows) };
}

/** The conflicts as the caller may see them. */
export async function presentConflicts(
  ctx: ServiceContext,
  executor: Executor,
  conflicts: readonly CampaignConflict[],
): Promise<ConflictView[]> {
  const { rows, records } = await conflictPartners(executor, conflicts);
  const now = ctx.clock.now();
  return conflicts.map((c) => {
    const record = records.get(c.other.id);
    return conflictView(c, rows.get(c.other.id), record !== undefined && canSee(ctx.actor, record), now);
  });
}
