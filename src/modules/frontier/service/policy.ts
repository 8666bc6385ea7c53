import { SECTOR_KEYS, isCoordinatorAdmin } from '../../identity/index.js';
import { describeActor } from '../../../platform/actor.js';
import type { ServiceContext } from '../../../platform/context.js';
import { changedFields, serializeOn, withTransaction, type Page, type PageRequest } from '../../../platform/db/index.js';
import { NotAllowedError } from '../../../platform/errors.js';
import { FieldReader } from '../../../platform/input/field-reader.js';
import { parsePolicyDocument, type FrontierPolicy } from '../domain/policy.js';
import { presentPolicy } from '../presenters.js';
import { insertPolicy, listPolicies } from '../store/program.js';
import { currentPolicy } from './records.js';
import { POLICY_UPDATED } from '../events.js';

/** The policy in force. Anyone signed in may read it: the criteria are public by design. */
export async function getPolicy(ctx: ServiceContext): Promise<FrontierPolicy> {
  return currentPolicy(ctx.db.kysely);
}

/** Every version, newest first. */
export async function listPolicyVersions(ctx: ServiceContext, request: PageRequest): Promise<Page<FrontierPolicy>> {
  const page = await listPolicies(ctx.db.kysely, request);
  return { items: page.items.map(presentPolicy), nextCursor: page.nextCursor };
}

/**
 * Replaces the policy with a new version (coordinator admins only): the whole document, checked, with a
 * note saying why. Earlier versions stay, and every record decided under one keeps naming it. Audited as
 * `frontier.policy.update`; emits `frontier.policy.updated`.
 */
export async function updatePolicy(ctx: ServiceContext, input: { document?: unknown; note?: unknown }): Promise<FrontierPolicy> {
  if (!isCoordinatorAdmin(ctx.actor)) throw new NotAllowedError('only coordinator admins change the frontier policy');
  const note = new FieldReader();
  const text = note.text('/note', input.note, 1000);
  note.done();
  const document = parsePolicyDocument(input.document, SECTOR_KEYS);
  return withTransaction(ctx.db, async (trx) => {
    // Two admins saving at once get consecutive versions, never the same one.
    await serializeOn(trx, ctx.db.caps, 'frontier.policy');
    const previous = await currentPolicy(trx);
    const row = {
      version: previous.version + 1,
      document: JSON.stringify(document),
      note: text,
      created_by: describeActor(ctx.actor),
      created_at: ctx.clock.now().toISOString(),
    };
    await insertPolicy(trx, row);
    const changed = changedFields(previous, document);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'frontier.policy.update',
      subject: { type: 'policy', id: String(row.version) },
      orgId: null,
      diff: { version: row.version, note: text, changed },
    });
    await ctx.events.emit(trx, {
      type: POLICY_UPDATED,
      subjectId: `policy:${row.version}`,
      payload: { version: row.version, windowMaxDays: document.windowMaxDays },
    });
    return presentPolicy(row);
  });
}
