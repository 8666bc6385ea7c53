import type { Executor } from '../../../platform/db/index.js';
import { paginate, type Page, type PageRequest } from '../../../platform/db/index.js';
import { t, type PostRow } from './tables.js';

export async function insertPost(trx: Executor, row: PostRow): Promise<void> {
  await t(trx).insertInto('cases_post').values(row).execute();
}

/** One channel of a case, oldest first, paginated by (created_at, id). */
export async function postsOf(executor: Executor, caseId: string, channel: string, page: PageRequest): Promise<Page<PostRow>> {
  const query = t(executor).selectFrom('cases_post').selectAll().where('case_id', '=', caseId).where('channel', '=', channel);
  return paginate(query, page, { sort: 'created_at', id: 'id', sortOf: (r) => r.created_at, idOf: (r) => r.id });
}
