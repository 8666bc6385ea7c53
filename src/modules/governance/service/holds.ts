import { authorize } from '../../identity/index.js';
import { describeActor } from '../../../platform/actor.js';
import type { ServiceContext } from '../../../platform/context.js';
import { serializeOn, withTransaction, type Page, type PageRequest } from '../../../platform/db/index.js';
import { ConflictError, InputError, NotFoundError, type FieldIssue } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { HOLD_SCOPE_KEYS, type HoldScope } from '../domain/legal-holds.js';
import { findHold, insertHold, listHoldRows, releaseHoldRow } from '../store/holds.js';
import type { HoldRow } from '../store/tables.js';
import { presentHoldRow, type Hold } from '../presenters.js';

const TARGET = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/;

function text(value: unknown, pointer: string, max: number, issues: FieldIssue[]): string {
  if (typeof value !== 'string' || value.trim() === '') {
    issues.push({ pointer, detail: 'is required' });
    return '';
  }
  const trimmed = value.trim();
  if (trimmed.length > max) issues.push({ pointer, detail: `must be at most ${max} characters` });
  if (/\p{Cc}/u.test(trimmed.replace(/[\n\r\t]/g, ''))) issues.push({ pointer, detail: 'must not contain control characters' });
  return trimmed;
}

/**
 * Places a legal hold on a record (and what belongs to it), a case or an organisation: nothing it covers is
 * purged, by retention or by a removal request, until it is released. Coordinator admins only; audited.
 */
export async function placeHold(ctx: ServiceContext, input: { scope?: unknown; targetId?: unknown; reason?: unknown }): Promise<Hold> {
  authorize(ctx.actor, 'governance.hold.manage');
  const issues: FieldIssue[] = [];
  if (typeof input.scope !== 'string' || !(HOLD_SCOPE_KEYS as readonly string[]).includes(input.scope)) {
    issues.push({ pointer: '/scope', detail: `must be one of ${HOLD_SCOPE_KEYS.join(', ')}` });
  }
  const targetId = text(input.targetId, '/targetId', 200, issues);
  if (targetId !== '' && !TARGET.test(targetId)) issues.push({ pointer: '/targetId', detail: 'must be a record, case or organisation id' });
  const reason = text(input.reason, '/reason', 2000, issues);
  if (issues.length > 0) throw new InputError(issues.map((i) => `${i.pointer}: ${i.detail}`).join('; '), issues);
  const row: HoldRow = {
    id: newId('hold'),
    scope: input.scope as HoldScope,
    target_id: targetId,
    reason,
    placed_by: describeActor(ctx.actor),
    placed_at: ctx.clock.now().toISOString(),
    released_by: null,
    released_at: null,
    release_note: null,
  };
  await withTransaction(ctx.db, async (trx) => {
    await insertHold(trx, row);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'governance.hold.place',
      subject: { type: 'hold', id: row.id },
      // A hold is the coordinator's own record: the organisation it names does not read its audit line (or its reason).
      orgId: null,
      diff: { scope: row.scope, targetId: row.target_id, reason: row.reason },
    });
  });
  return presentHoldRow(row);
}

/** Releases a hold; what it covered is purged by the next run if its retention says so. Audited. */
export async function releaseHold(ctx: ServiceContext, id: string, input: { note?: unknown } = {}): Promise<Hold> {
  authorize(ctx.actor, 'governance.hold.manage');
  const issues: FieldIssue[] = [];
  const note = input.note === undefined || input.note === null ? null : text(input.note, '/note', 2000, issues);
  if (issues.length > 0) throw new InputError(issues.map((i) => `${i.pointer}: ${i.detail}`).join('; '), issues);
  return withTransaction(ctx.db, async (trx) => {
    // Two releases at once: the second waits here and reads the first one's release, so that it answers what a
    // release sent afterwards answers (409 naming when), and only one audit line is written.
    await serializeOn(trx, ctx.db.caps, `governance.hold:${id}`);
    const hold = await findHold(trx, id);
    if (hold === undefined) throw new NotFoundError(`no legal hold ${id}`);
    const at = ctx.clock.now().toISOString();
    if (!(await releaseHoldRow(trx, id, at, describeActor(ctx.actor), note))) {
      throw new ConflictError(`legal hold ${id} was released already, at ${hold.released_at ?? 'an earlier time'}`, {
        code: 'hold-released',
      });
    }
    await ctx.audit.record(trx, ctx.actor, {
      action: 'governance.hold.release',
      subject: { type: 'hold', id },
      orgId: null,
      diff: { releasedAt: at, note },
    });
    return presentHoldRow((await findHold(trx, id)) as HoldRow);
  });
}

export async function getHold(ctx: ServiceContext, id: string): Promise<Hold> {
  authorize(ctx.actor, 'governance.hold.list');
  const hold = await findHold(ctx.db.kysely, id);
  if (hold === undefined) throw new NotFoundError(`no legal hold ${id}`);
  return presentHoldRow(hold);
}

/** Legal holds, newest first; `active` true for those in force, false for released ones. */
export async function listHolds(ctx: ServiceContext, request: PageRequest & { active?: boolean | undefined } = {}): Promise<Page<Hold>> {
  authorize(ctx.actor, 'governance.hold.list');
  const page = await listHoldRows(ctx.db.kysely, request);
  return { items: page.items.map(presentHoldRow), nextCursor: page.nextCursor };
}
