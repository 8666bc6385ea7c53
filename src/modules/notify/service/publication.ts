import type { ServiceContext } from '../../../platform/context.js';
import type { AdvisoryPublishedPayload } from '../../advisories/index.js';
import { rematchAdvisory, upsertAdvisories } from '../../inventory/index.js';
import { PUBLICATION_SOURCE, publicationRecord } from '../domain/publication-record.js';
import { notifyAffectedOperators, type TargetingDeps, type TargetingResult } from './targeting.js';

/**
 * `advisories.advisory.published` → the operators that run it: the advisory's products become the
 * inventory's match-engine record of it (source {@link PUBLICATION_SOURCE}, TLP:CLEAR, keyed by its tracking
 * id), the reverse match runs now (so notifications go at once, not after another consumer's turn), and
 * every operator whose SBOMs run an affected version hears `advisory.published` — once per published
 * version: a redelivered event adds nothing, a revision is told as a revision. Runs as the system; whom to
 * tell is decided per organisation (./targeting.ts).
 */
export async function notifyPublication(
  ctx: ServiceContext,
  deps: TargetingDeps,
  payload: AdvisoryPublishedPayload,
  sourceEventId: string | null,
): Promise<TargetingResult> {
  const record = publicationRecord(payload);
  // Derived from a document held to the CSAF schema; its id is the clearinghouse's tracking id, not an OSV database's.
  await upsertAdvisories(ctx, [{ record, sourceRef: payload.advisoryId }], { source: PUBLICATION_SOURCE, tlp: 'CLEAR' }, { derived: true });
  await rematchAdvisory(ctx, payload.trackingId);
  return notifyAffectedOperators(ctx, deps, {
    type: 'advisory.published',
    advisoryId: payload.trackingId,
    dedupScope: 'publication',
    sourceEventId,
  });
}
