import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { useSession } from '../session';

/**
 * An organisation's name by its id, from one cache shared by every page (the query key `['org-name', id]`,
 * kept for the session and dropped at sign-out with the rest). Only the coordinator may read other
 * organisations (GET /api/v1/orgs/{id}); everyone knows its own from the session. Null while unknown, or when
 * the API does not let the reader see it: the page then shows the id, as the API gives nothing more.
 */
export function useOrgName(id: string | null | undefined): string | null {
  const { session } = useSession();
  const own = id === session.org.id;
  const lookup = typeof id === 'string' && id !== '' && !own && session.org.kind === 'coordinator';
  const query = useQuery({
    queryKey: ['org-name', id],
    queryFn: async (): Promise<string | null> => {
      const { data } = await api.GET('/api/v1/orgs/{id}', { params: { path: { id: id! } } });
      return data?.name ?? null;
    },
    enabled: lookup,
    staleTime: Infinity,
    retry: false,
  });
  if (own) return session.org.name;
  return lookup ? (query.data ?? null) : null;
}

/** An organisation for the reader: its name ("(you)" after the reader's own), else its id. */
export function OrgName({ id, you = true }: { id: string; you?: boolean }) {
  const { session } = useSession();
  const name = useOrgName(id);
  if (name === null) return <span className="org-id">{id}</span>;
  return (
    <span title={id}>
      {name}
      {you && id === session.org.id && ' (you)'}
    </span>
  );
}
