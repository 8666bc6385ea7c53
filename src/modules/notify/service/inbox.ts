import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction, type Page, type PageRequest } from '../../../platform/db/index.js';
import { InputError, NotFoundError } from '../../../platform/errors.js';
import { describeActor } from '../../../platform/actor.js';
import { authorize } from '../../identity/index.js';
import { NOTIFICATION_TYPES } from '../domain/notification.js';
import { presentNotification, type Notification } from '../presenters.js';
import { countUnread, findNotification, listInbox as listInboxRows, markRead } from '../store/notifications.js';
import { orgOf, requireMember } from './access.js';

export interface InboxQuery {
  readonly orgId?: string;
  readonly unread?: boolean;
  readonly type?: string;
  readonly subjectId?: string;
}

/**
 * An organisation's inbox, newest first: every notification it was entitled to, whether or not it has a
 * webhook, with its read state. Members of the organisation only (others: 404).
 */
export async function listInbox(
  ctx: ServiceContext,
  query: InboxQuery,
  request: PageRequest,
): Promise<Page<Notification> & { readonly unread: number }> {
  const orgId = orgOf(ctx.actor, query.orgId);
  requireMember(ctx.actor, orgId, `organisation ${orgId}`);
  if (query.type !== undefined && !Object.hasOwn(NOTIFICATION_TYPES, query.type)) {
    throw new InputError(`type must be one of ${Object.keys(NOTIFICATION_TYPES).join(', ')}`, [
      { pointer: '/type', detail: 'is not a notification type' },
    ]);
  }
  const page = await listInboxRows(
    ctx.db.kysely,
    orgId,
    {
      ...(query.unread === undefined ? {} : { unread: query.unread }),
      ...(query.type === undefined ? {} : { type: query.type }),
      ...(query.subjectId === undefined ? {} : { subjectId: query.subjectId }),
    },
    request,
  );
  return { items: page.items.map(presentNotification), nextCursor: page.nextCursor, unread: await countUnread(ctx.db.kysely, orgId) };
}

export async function getNotification(ctx: ServiceContext, id: string): Promise<Notification> {
  const row = await findNotification(ctx.db.kysely, id);
  if (row === undefined) throw new NotFoundError(`no notification ${id}`);
  requireMember(ctx.actor, row.org_id, `notification ${id}`);
  return presentNotification(row);
}

/**
 * Marks notifications read for the whole organisation — the ones named, or all of them. Its admins and
 * analysts (viewers only read). Answers how many changed; unknown or foreign ids: 404.
 */
export async function markInboxRead(
  ctx: ServiceContext,
  input: { readonly orgId?: string; readonly ids?: readonly string[]; readonly all?: boolean },
): Promise<{ readonly marked: number }> {
  const orgId = orgOf(ctx.actor, input.orgId);
  requireMember(ctx.actor, orgId, `organisation ${orgId}`);
  authorize(ctx.actor, 'notify.inbox.mark', { ownerOrgId: orgId });
  if (input.all !== true && (input.ids === undefined || input.ids.length === 0 || input.ids.length > 500)) {
    throw new InputError('name 1 to 500 notifications, or all', [{ pointer: '/ids', detail: 'must list 1 to 500 ids, or set all' }]);
  }
  for (const id of input.ids ?? []) {
    const row = await findNotification(ctx.db.kysely, id);
    if (row === undefined || row.org_id !== orgId) throw new NotFoundError(`no notification ${id}`);
  }
  return withTransaction(ctx.db, async (trx) => {
    const marked = await markRead(
      trx,
      orgId,
      input.all === true ? 'all' : (input.ids ?? []),
      ctx.clock.now().toISOString(),
      describeActor(ctx.actor),
    );
    return { marked };
  });
}
