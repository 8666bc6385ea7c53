import { describeActor } from '../../../platform/actor.js';
import type { ServiceContext } from '../../../platform/context.js';
import {
  changedFields,
  policySaveIssues,
  requireVersionInForce,
  serializeOn,
  withTransaction,
  type Page,
  type PageRequest,
  type PolicyVersion,
} from '../../../platform/db/index.js';
import { rejectInput } from '../../../platform/input/issues.js';
import { OWN_SCHEMA, schemaValidator } from '../../../platform/input/json-schema.js';
import { authorize } from '../../identity/index.js';
import { checkDisclosurePolicy, DISCLOSURE_POLICY_SCHEMA, type DisclosurePolicy } from '../domain/disclosure-policy.js';
import { currentDisclosurePolicy, listDisclosurePolicies, saveDisclosurePolicy } from '../store/disclosure-policy.js';

const validPolicy = schemaValidator('draft-07', DISCLOSURE_POLICY_SCHEMA, { ...OWN_SCHEMA, at: '/policy' });

export type DisclosurePolicyVersion = PolicyVersion<DisclosurePolicy>;

/** The disclosure policy in force (version 0: the built-in defaults). Every signed-in party may read it (its routes ask for sign-in): how embargoes are decided is no secret. */
export async function getDisclosurePolicy(ctx: ServiceContext): Promise<DisclosurePolicyVersion> {
  return currentDisclosurePolicy(ctx.db.kysely);
}

/** Every saved version, newest first. */
export async function listDisclosurePolicyVersions(ctx: ServiceContext, request: PageRequest = {}): Promise<Page<DisclosurePolicyVersion>> {
  return listDisclosurePolicies(ctx.db.kysely, request);
}

export interface DisclosurePolicyUpdate {
  /** The whole policy document. */
  readonly policy?: unknown;
  /** The version the caller read; another in force since answers ConflictError `disclosure-policy-version-changed`. */
  readonly version?: unknown;
  readonly note?: unknown;
}

/**
 * Saves a new version of the disclosure policy (coordinator admins): the whole document, checked, with the
 * version read. Cases keep the version their embargo was decided under; later decisions take the new one.
 * Audited as `cases.policy.update` with the changed fields.
 *
 * @throws NotAllowedError for anyone but a coordinator admin.
 * @throws InputError naming each bad field under `/policy`, or `/version`, `/note`.
 * @throws ConflictError `disclosure-policy-version-changed` when `version` is not the one in force.
 */
export async function updateDisclosurePolicy(ctx: ServiceContext, input: DisclosurePolicyUpdate): Promise<DisclosurePolicyVersion> {
  authorize(ctx.actor, 'cases.policy.update');
  const issues = validPolicy(input.policy);
  if (issues.length === 0)
    issues.push(...checkDisclosurePolicy(input.policy as DisclosurePolicy).map((i) => ({ ...i, pointer: `/policy${i.pointer}` })));
  // From 0: the built-in defaults are version 0.
  issues.push(...policySaveIssues(input, 0));
  const note = input.note;
  if (issues.length > 0) rejectInput('the disclosure policy is not valid', issues);
  const policy = input.policy as DisclosurePolicy;
  return withTransaction(ctx.db, async (trx) => {
    // Two admins saving at once get consecutive versions, and the second its conflict, never the same number.
    await serializeOn(trx, ctx.db.caps, 'cases.disclosure-policy');
    const previous = await currentDisclosurePolicy(trx);
    requireVersionInForce('the disclosure policy', input.version, previous.version, 'disclosure-policy-version-changed');
    const saved = {
      version: previous.version + 1,
      policy,
      note: typeof note === 'string' && note.trim() !== '' ? note.trim() : null,
      createdBy: describeActor(ctx.actor),
      createdAt: ctx.clock.now().toISOString(),
    };
    await saveDisclosurePolicy(trx, saved);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'cases.policy.update',
      subject: { type: 'disclosure-policy', id: String(saved.version) },
      orgId: null,
      diff: { version: saved.version, note: saved.note, changed: changedFields(previous.policy, policy) },
    });
    return saved;
  });
}
