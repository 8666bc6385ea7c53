import { useQuery } from '@tanstack/react-query';
import { api, dataOf } from '../api/client';

/** The operator's prioritised advisory × asset rows (one query, shared by the operator home's tables). */
export function usePriorities() {
  return useQuery({
    queryKey: ['priorities'],
    queryFn: async () => dataOf(await api.GET('/api/v1/scoring/priorities', { params: { query: { limit: 200 } } })),
  });
}

/**
 * How the console names an advisory wherever an operator meets it: its id (the case number for the
 * clearinghouse's own advisories, which remediation is reported against) and its CVE or other aliases after it.
 */
export function advisoryLabel(id: string, aliases: readonly string[] = []): string {
  const others = aliases.filter((a) => a !== id);
  return others.length === 0 ? id : `${id} (${others.join(', ')})`;
}

/** Aliases by advisory id, from the priorities the operator may see. */
export function useAdvisoryAliases(): ReadonlyMap<string, readonly string[]> {
  const priorities = usePriorities();
  return new Map((priorities.data?.items ?? []).map((row) => [row.advisory.id, row.advisory.aliases]));
}
