import { useInfiniteQuery, type QueryKey } from '@tanstack/react-query';

/** One page of a list route: the API's `{ items, nextCursor }`. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/**
 * A list route read page by page with its cursor: `load(cursor)` asks for one page. The items read so far
 * are in `items`; `more` reads the next page (null on the last one).
 */
export function usePaged<T>(key: QueryKey, load: (cursor: string | undefined) => Promise<Page<T>>, enabled = true) {
  const query = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) => load(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  return { query, items, more: query.hasNextPage ? () => void query.fetchNextPage() : null };
}

/** The "Show more" button under a paged list; nothing on its last page. */
export function More({ paged, what }: { paged: { query: { isFetchingNextPage: boolean }; more: (() => void) | null }; what: string }) {
  if (paged.more === null) return null;
  return (
    <button type="button" className="more" onClick={paged.more} disabled={paged.query.isFetchingNextPage}>
      Show more {what}
    </button>
  );
}

/** Loading and failure of a query, in the page's words; nothing once it has data. */
export function Status({ query, what }: { query: { isPending: boolean; isError: boolean; error: Error | null }; what: string }) {
  if (query.isPending) return <p>Loading {what}…</p>;
  if (query.isError) return <p role="alert">{query.error?.message}</p>;
  return null;
}
