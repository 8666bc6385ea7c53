import { describeActor } from '../../../platform/actor.js';
import type { ServiceContext } from '../../../platform/context.js';
import { changedFields, serializeOn, withTransaction, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { ConflictError, InputError } from '../../../platform/errors.js';
import { SECTOR_KEYS, authorize } from '../../identity/index.js';
import { parsePrioritizationPolicy } from '../domain/prioritization-policy-schema.js';
import { presentPolicy, type PolicyVersion } from '../presenters.js';
import { currentPolicyRow, insertPolicy, listPolicies, policyVersionTaken } from '../store/policy.js';
import { POLICY_UPDATED } from '../events.js';

/** The policy in force, as decisions read it. */
export async function policyInForce(executor: Executor): Promise<PolicyVersion> {
  const row = await currentPolicyRow(executor);
  // The migration stores revision 1; a database without it was not migrated.
  if (row === undefined) throw new Error('the scoring_policy table is empty: the scoring migration did not run');
  return presentPolicy(row);
}

/** The prioritization policy in force: its SLA table, the mission-and-well-being mapping and the rest. Readable by anyone signed in. */
export async function getPrioritizationPolicy(ctx: ServiceContext): Promise<PolicyVersion> {
  return policyInForce(ctx.db.kysely);
}

/** Every revision of the policy, newest first. */
export async function listPrioritizationPolicies(ctx: ServiceContext, request: PageRequest): Promise<Page<PolicyVersion>> {
  const page = await listPolicies(ctx.db.kysely, request);
  return { items: page.items.map(presentPolicy), nextCursor: page.nextCursor };
}

export interface PolicyUpdate {
  /** The whole policy (see `PRIORITIZATION_POLICY_SCHEMA`); its `version` label may be left out and is then `r<revision>`. */
  readonly policy?: unknown;
  /** Why it changes, for the record. */
  readonly note?: unknown;
}

function readNote(note: unknown): string | null {
  if (note === undefined || note === null) return null;
  if (typeof note !== 'string' || note.length > 1000)
    throw new InputError('note must be text of at most 1000 characters', [
      { pointer: '/note', detail: 'must be a string of at most 1000 characters' },
    ]);
  return note;
}

/**
 * Replaces the prioritization policy with a new revision (coordinator admins only; NotAllowedError
 * otherwise). The document is checked whole by `parsePrioritizationPolicy` (InputError naming each field
 * under `/policy`); a `version` label used before is refused (ConflictError `policy-version-taken`), since
 * decisions cite it. Earlier revisions stay. Audited as `scoring.policy.update`; emits
 * `scoring.policy.updated`, upon which every decision is recomputed under the new policy.
 */
export async function updatePrioritizationPolicy(ctx: ServiceContext, input: PolicyUpdate): Promise<PolicyVersion> {
  authorize(ctx.actor, 'scoring.policy.update');
  const note = readNote(input.note);
  const given = input.policy;
  if (typeof given !== 'object' || given === null || Array.isArray(given))
    throw new InputError('policy must be an object', [{ pointer: '/policy', detail: 'must be an object' }]);
  return withTransaction(ctx.db, async (trx) => {
    // Two admins saving at once get consecutive revisions, never the same one.
    await serializeOn(trx, ctx.db.caps, 'scoring.policy');
    const previous = await policyInForce(trx);
    const revision = previous.revision + 1;
    const labelled = { ...given, version: (given as { version?: unknown }).version ?? `r${revision}` };
    let policy;
    try {
      policy = parsePrioritizationPolicy(labelled, { sectors: SECTOR_KEYS });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      throw new InputError(
        error.message,
        error.issues.map((i) => ({ pointer: `/policy${i.pointer}`, detail: i.detail })),
        { cause: error },
      );
    }
    if (await policyVersionTaken(trx, policy.version)) {
      throw new ConflictError(`policy version "${policy.version}" was used before; decisions cite it, so give the new policy another`, {
        code: 'policy-version-taken',
      });
    }
    const row = {
      revision,
      version: policy.version,
      document: JSON.stringify(policy),
      note,
      created_by: describeActor(ctx.actor),
      created_at: ctx.clock.now().toISOString(),
    };
    await insertPolicy(trx, row);
    const changed = changedFields(previous.policy, policy);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'scoring.policy.update',
      subject: { type: 'policy', id: String(revision) },
      orgId: null,
      diff: { version: policy.version, note, changed },
    });
    await ctx.events.emit(trx, {
      type: POLICY_UPDATED,
      subjectId: `policy:${revision}`,
      payload: { revision, version: policy.version },
    });
    return presentPolicy(row);
  });
}
