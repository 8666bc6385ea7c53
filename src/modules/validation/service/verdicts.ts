import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction } from '../../../platform/db/index.js';
import { ConflictError, InputError, NotFoundError } from '../../../platform/errors.js';
import { clusterReports } from '../../intake/index.js';
import { requiredQuorum } from '../domain/independence.js';
import { parseVerdict } from '../domain/inputs.js';
import { findTriage } from '../store/triage.js';
import { lockCluster, requireCoordinatorStaff, requireUnmerged, visibleCluster } from './access.js';
import { confirmationsOf } from './confirmations.js';
import { currentPolicy } from './policy.js';
import { applyTransition, requireLegalTransition } from './transitions.js';
import { ensureTriage } from './triage-sync.js';
import { getValidationView, type ValidationView } from './validation-view.js';

async function requireOtherCluster(ctx: ServiceContext, clusterId: string, other: string): Promise<void> {
  const issue = (detail: string) => new InputError(`duplicateOf ${detail}`, [{ pointer: '/duplicateOf', detail }]);
  if (other === clusterId) throw issue('must name another cluster, not this one');
  try {
    await clusterReports(ctx.db.kysely, other);
  } catch (error) {
    if (error instanceof NotFoundError) throw issue(`names no cluster (${other})`);
    throw error;
  }
}

/**
 * Sets a cluster's report-management state (coordinator analysts and admins): `invalid` with a reason from
 * the fixed list and a note the reporter reads; `valid` only when a quorum of independent confirmations
 * exists (it is set by itself when the quorum is reached); `accepted`, `deferred`, `closed` as the state
 * machine allows.
 *
 * @throws NotFoundError when the actor may not see the cluster; NotAllowedError for other parties;
 *   InputError for a bad verdict; ConflictError `illegal-transition` (naming the current state and the
 *   allowed next ones), `quorum-not-met` or `cluster-merged`.
 */
export async function setVerdict(ctx: ServiceContext, clusterId: string, input: Record<string, unknown>): Promise<ValidationView> {
  const verdict = parseVerdict(input);
  const cluster = await visibleCluster(ctx, clusterId);
  requireCoordinatorStaff(ctx.actor, 'set verdicts');
  requireUnmerged(cluster);
  if (verdict.duplicateOf !== null) await requireOtherCluster(ctx, clusterId, verdict.duplicateOf);
  await ensureTriage(ctx, clusterId);
  await withTransaction(ctx.db, async (trx) => {
    await lockCluster(trx, ctx, clusterId);
    const row = await findTriage(trx, clusterId);
    if (row === undefined) throw new NotFoundError(`no cluster ${clusterId}`);
    requireLegalTransition(row, verdict.state);
    const { policy } = await currentPolicy(trx);
    const quorum = requiredQuorum(policy.quorum, row.cvss_base);
    const confirmations = await confirmationsOf(trx, clusterId);
    if (verdict.state === 'valid' && confirmations.orgIds.length < quorum.needed) {
      const uncounted = [
        ...new Set(
          confirmations.attempts
            .filter((a) => a.confirms === 1 && !confirmations.orgIds.includes(a.validator_org_id))
            .map((a) => a.validator_org_id),
        ),
      ];
      throw new ConflictError(
        `cluster ${clusterId} needs ${quorum.needed} independent confirmation(s) (${quorum.because}) and has ${confirmations.orgIds.length}` +
          (uncounted.length > 0 ? `; confirmations by ${uncounted.join(', ')} do not count (not independent of the reporters)` : ''),
        { code: 'quorum-not-met' },
      );
    }
    await applyTransition(
      trx,
      ctx,
      row,
      verdict.state,
      { basis: 'verdict', reason: verdict.reason, note: verdict.note, duplicateOf: verdict.duplicateOf },
      quorum,
      confirmations,
    );
  });
  return getValidationView(ctx, clusterId);
}
