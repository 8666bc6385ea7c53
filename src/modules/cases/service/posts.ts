import type { Static } from '@sinclair/typebox';
import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction, type Page, type PageRequest } from '../../../platform/db/index.js';
import { InputError, NotFoundError, type FieldIssue } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { authorize } from '../../identity/index.js';
import { canUseChannel, channelOrg, COMMON_CHANNEL, type ParticipantRole, type ParticipantView } from '../domain/participants.js';
import { insertPost, postsOf } from '../store/posts.js';
import type { PostRow } from '../store/tables.js';
import { readableCase, type CaseAccess } from './access.js';
import type { PostSchema } from '../route-schemas.js';

export const MAX_POST_CHARS = 20_000;

export type Post = Static<typeof PostSchema>;

function presentPost(access: CaseAccess, row: PostRow): Post {
  const author = access.participants.find((p) => p.org_id === row.author_org_id);
  // An author without a participation wrote as a coordinator overseeing the case (or as the system).
  const authorRole = (author?.role as ParticipantRole | undefined) ?? 'coordinator';
  const named = access.coordinator || (row.author_org_id !== null && row.author_org_id === access.orgId);
  return {
    id: row.id,
    caseId: row.case_id,
    channel: row.channel,
    authorRole,
    authorOrgId: named ? row.author_org_id : null,
    authorUserId: named ? row.author_user_id : null,
    body: row.body,
    createdAt: row.created_at,
  };
}

/**
 * The channel if the reader may use it: coordinators every channel of the case, a participant the common
 * thread and its own; any other answers NotFoundError, so that another vendor's channel does not exist for it.
 */
function usableChannel(access: CaseAccess, channel: unknown): string {
  const name = channel === undefined || channel === null || channel === '' ? COMMON_CHANNEL : channel;
  const participants: ParticipantView[] = access.participants.map((p) => ({
    orgId: p.org_id,
    role: p.role as ParticipantView['role'],
    state: p.state as ParticipantView['state'],
  }));
  if (typeof name === 'string' && name.length <= 200) {
    const reader = { orgId: access.orgId ?? '', coordinator: access.coordinator };
    if (canUseChannel(reader, name, participants)) return name;
  }
  throw new NotFoundError(`no channel ${String(name)} in ${access.row.number}`);
}

/**
 * Posts to a case channel (`common` by default, or `org:<id>`, a participant's private channel with the
 * coordinators): analysts and admins of the organisations taking part, in the channels they read.
 * Audited `cases.post.create` (without the text).
 *
 * @throws InputError naming `/body` (1 to 20,000 characters).
 * @throws NotFoundError for a case or channel the caller does not read.
 */
export async function createPost(ctx: ServiceContext, idOrNumber: string, input: { channel?: unknown; body?: unknown }): Promise<Post> {
  const access = await readableCase(ctx, idOrNumber);
  const channel = usableChannel(access, input.channel);
  authorize(ctx.actor, 'cases.post.create');
  const issues: FieldIssue[] = [];
  const body = typeof input.body === 'string' ? input.body.trim() : '';
  if (body === '' || body.length > MAX_POST_CHARS)
    issues.push({ pointer: '/body', detail: `must be text of 1 to ${MAX_POST_CHARS} characters` });
  else if (/\p{Cc}/u.test(body.replace(/[\n\r\t]/g, '')))
    issues.push({ pointer: '/body', detail: 'must not contain control characters other than line breaks and tabs' });
  if (issues.length > 0) throw new InputError('the post is not valid: /body ' + issues[0]!.detail, issues);
  const row: PostRow = {
    id: newId('pst'),
    case_id: access.row.id,
    channel,
    author_org_id: access.orgId,
    author_user_id: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
    body,
    created_at: ctx.clock.now().toISOString(),
  };
  await withTransaction(ctx.db, async (trx) => {
    await insertPost(trx, row);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'cases.post.create',
      subject: { type: 'case', id: access.row.id },
      orgId: channelOrg(channel) ?? access.row.owner_org_id,
      diff: { postId: row.id, channel, chars: body.length },
    });
  });
  return presentPost(access, row);
}

/** One channel of a case, oldest first, paginated (`nextCursor`). @throws NotFoundError as {@link createPost}. */
export async function listPosts(
  ctx: ServiceContext,
  idOrNumber: string,
  query: PageRequest & { channel?: string | undefined },
): Promise<Page<Post>> {
  const access = await readableCase(ctx, idOrNumber);
  const channel = usableChannel(access, query.channel);
  const page = await postsOf(ctx.db.kysely, access.row.id, channel, query);
  return { items: page.items.map((row) => presentPost(access, row)), nextCursor: page.nextCursor };
}
