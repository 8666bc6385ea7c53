import type { SelectQueryBuilder } from 'kysely';
import { InputError } from '../errors.js';

export interface PageRequest {
  /** Items per page; default 50, at most 500. */
  readonly limit?: number | undefined;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string | undefined;
}

export interface Page<T> {
  readonly items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

interface CursorBody {
  readonly k: string | number;
  readonly id: string;
}

export function encodeCursor(body: CursorBody): string {
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

export function decodeCursor(cursor: string): CursorBody {
  try {
    const body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorBody>;
    if ((typeof body.k === 'string' || typeof body.k === 'number') && typeof body.id === 'string') return { k: body.k, id: body.id };
  } catch {
    // fall through to the error below
  }
  throw new InputError('cursor is not one this server issued', [
    { pointer: '/cursor', detail: 'must be a nextCursor from a previous page' },
  ]);
}

export function pageSize(request: PageRequest): number {
  const limit = request.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new InputError(`limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`, [
      { pointer: '/limit', detail: `must be 1 to ${MAX_PAGE_SIZE}` },
    ]);
  }
  return limit;
}

/**
 * Keyset pagination over `(sortColumn, idColumn)`, both qualified column references. Fetches one row
 * beyond the page to know whether there is a next one. Stable under concurrent inserts, unlike OFFSET.
 */
export async function paginate<DB, TB extends keyof DB, O extends Record<string, unknown>>(
  query: SelectQueryBuilder<DB, TB, O>,
  request: PageRequest,
  keys: { sort: string; id: string; sortOf: (row: O) => string | number; idOf: (row: O) => string; direction?: 'asc' | 'desc' },
): Promise<Page<O>> {
  const limit = pageSize(request);
  const direction = keys.direction ?? 'asc';
  const cmp = direction === 'asc' ? '>' : '<';
  // The column names are ours, not user input; Kysely's dynamic references keep them quoted.
  let q = query as unknown as SelectQueryBuilder<Record<string, Record<string, unknown>>, string, O>;
  if (request.cursor !== undefined && request.cursor !== '') {
    const after = decodeCursor(request.cursor);
    q = q.where((eb) =>
      eb.or([eb(eb.ref(keys.sort), cmp, after.k), eb.and([eb(eb.ref(keys.sort), '=', after.k), eb(eb.ref(keys.id), cmp, after.id)])]),
    );
  }
  const rows = await q
    .orderBy((eb) => eb.ref(keys.sort), direction)
    .orderBy((eb) => eb.ref(keys.id), direction)
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor = rows.length > limit && last !== undefined ? encodeCursor({ k: keys.sortOf(last), id: keys.idOf(last) }) : null;
  return { items, nextCursor };
}

/**
 * A page of a list computed in memory and already in its final order (a ranking no index can serve). The
 * cursor names the last item shown and its position: the next page starts after that item where it now
 * stands, or at the same position when it has left the list.
 */
export function pageOfList<T>(items: readonly T[], request: PageRequest, idOf: (item: T) => string): Page<T> {
  const limit = pageSize(request);
  let start = 0;
  if (request.cursor !== undefined && request.cursor !== '') {
    const after = decodeCursor(request.cursor);
    const found = items.findIndex((item) => idOf(item) === after.id);
    start = found >= 0 ? found + 1 : typeof after.k === 'number' ? after.k : 0;
  }
  const page = items.slice(start, start + limit);
  const last = page[page.length - 1];
  const nextCursor = start + limit < items.length && last !== undefined ? encodeCursor({ k: start + limit, id: idOf(last) }) : null;
  return { items: page, nextCursor };
}
