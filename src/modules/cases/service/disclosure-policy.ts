import type { ServiceContext } from '../../../platform/context.js';
import {
  changedFields,
  saveNextPolicyVersion,
  type Page,
  type PageRequest,
  type PolicySave,
  type PolicyVersion,
} from '../../../platform/db/index.js';
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
  return saveNextPolicyVersion(ctx, DISCLOSURE_POLICY_SAVE, { document: input.policy, version: input.version, note: input.note });
}

const DISCLOSURE_POLICY_SAVE: PolicySave<DisclosurePolicyVersion> = {
  what: 'the disclosure policy',
  conflictCode: 'disclosure-policy-version-changed',
  // From 0: the built-in defaults are version 0.
  lowestVersion: 0,
  action: 'cases.policy.update',
  subjectType: 'disclosure-policy',
  check: (policy) => {
    const issues = validPolicy(policy);
    if (issues.length > 0) return issues;
    return checkDisclosurePolicy(policy as DisclosurePolicy).map((i) => ({ ...i, pointer: `/policy${i.pointer}` }));
  },
  current: currentDisclosurePolicy,
  build: (document, next) => {
    const policy = document as DisclosurePolicy;
    return { ...next, policy: { ...policy, cna: policy.cna ?? null }, note: next.note?.trim() || null };
  },
  store: saveDisclosurePolicy,
  diff: (previous, saved) => ({ version: saved.version, note: saved.note, changed: changedFields(previous.policy, saved.policy) }),
};
