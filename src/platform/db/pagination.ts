import { sql, type Expression, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { InputError } from '../errors.js';
import { isInvalidValue } from './invalid-value.js';

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
  throw cursorError();
}

function cursorError(cause?: unknown): InputError {
  return new InputError(
    'cursor is not one this server issued',
    [{ pointer: '/cursor', detail: 'must be a nextCursor from a previous page' }],
    cause === undefined ? undefined : { cause },
  );
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
 *
 * The condition after a cursor is a single comparison (`sort > ?` when the sort column is the id, else the
 * row value `(sort, id) > (?, ?)`; `<` when descending) and the order is `sort, id`, so an index on
 * `(filter columns…, sort, id)` serves a page at any position as fast as the first: both SQLite (≥ 3.15)
 * and PostgreSQL seek to the cursor instead of scanning up to it. Neither column may hold NULL.
 *
 * @throws InputError naming `/cursor` when the cursor is not one this server issued, or holds a value the
 *   sort column cannot be compared with.
 */
export async function paginate<DB, TB extends keyof DB, O extends Record<string, unknown>>(
  query: SelectQueryBuilder<DB, TB, O>,
  request: PageRequest,
  keys: { sort: string; id: string; sortOf: (row: O) => string | number; idOf: (row: O) => string; direction?: 'asc' | 'desc' },
): Promise<Page<O>> {
  const limit = pageSize(request);
  const direction = keys.direction ?? 'asc';
  const single = keys.sort === keys.id;
  // The column names are ours, not user input; Kysely's dynamic references keep them quoted.
  let q = query as unknown as SelectQueryBuilder<Record<string, Record<string, unknown>>, string, O>;
  const cursor = request.cursor !== undefined && request.cursor !== '' ? decodeCursor(request.cursor) : undefined;
  if (cursor !== undefined) q = q.where(afterCursor(keys.sort, single ? undefined : keys.id, direction, cursor));
  q = q.orderBy((eb) => eb.ref(keys.sort), direction);
  if (!single) q = q.orderBy((eb) => eb.ref(keys.id), direction);
  const rows = await q
    .limit(limit + 1)
    .execute()
    .catch((error: unknown) => {
      throw cursor !== undefined && isInvalidValue(error) ? cursorError(error) : error;
    });
  // SQLite compares values of any type, so a key of the wrong type (a cursor of another list, or made by hand)
  // gives a wrong page instead of an error: refuse it when a row shows what type the key should have.
  const first = rows[0];
  if (cursor !== undefined && first !== undefined && typeof keys.sortOf(first) !== typeof cursor.k) throw cursorError();
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor = rows.length > limit && last !== undefined ? encodeCursor({ k: keys.sortOf(last), id: keys.idOf(last) }) : null;
  return { items, nextCursor };
}

/** `sort > k`, or `(sort, id) > (k, id)`; `<` for a descending order. */
function afterCursor(sort: string, id: string | undefined, direction: 'asc' | 'desc', after: CursorBody): Expression<SqlBool> {
  const cmp = sql.raw(direction === 'asc' ? '>' : '<');
  return id === undefined
    ? sql<SqlBool>`${sql.ref(sort)} ${cmp} ${after.k}`
    : sql<SqlBool>`(${sql.ref(sort)}, ${sql.ref(id)}) ${cmp} (${after.k}, ${after.id})`;
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
