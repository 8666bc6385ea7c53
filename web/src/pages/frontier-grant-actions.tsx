import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, dataOf } from '../api/client';
import type { paths } from '../api/schema';
import { More, Status, usePaged } from '../parts/paged';
import { When } from '../parts/when';
import { useSession } from '../session';

type Grant = paths['/api/v1/frontier/grants']['get']['responses'][200]['content']['application/json']['items'][number];
/** The revocation reasons (frontier's REVOCATION_REASONS; the route's optional body is untyped in the client). */
type Reason = 'developer_decision' | 'for_cause' | 'no_longer_needed';

const REASON_WORDS: Record<Reason, string> = {
  developer_decision: 'the developer’s decision',
  for_cause: 'for cause (counts against the grantee’s compliance record)',
  no_longer_needed: 'no longer needed',
};

/**
 * What a grant's parties may do beyond acknowledging it: the developer revokes it (at any time, with a
 * reason), the grantee reports a use while it is usable, and both read its access log. Viewers only read.
 */
export function GrantActions({ grant: g }: { grant: Grant }) {
  const { session } = useSession();
  const acts = session.user.role !== 'viewer';
  const developer = acts && g.developerOrgId === session.org.id && g.status !== 'revoked' && g.status !== 'expired';
  const grantee = acts && g.granteeOrgId === session.org.id && g.usable;
  const [log, setLog] = useState(false);
  return (
    <div className="grant-actions">
      {developer && <Revoke grant={g} />}
      {grantee && <ReportUse grant={g} />}
      <button type="button" aria-expanded={log} onClick={() => setLog(!log)}>
        Access log of the {g.scope.replaceAll('_', ' ')} grant to {g.modelId}
      </button>
      {log && <AccessLog grant={g} />}
    </div>
  );
}

function useGrantsRefresh(grantId: string) {
  const queries = useQueryClient();
  return () => {
    void queries.invalidateQueries({ queryKey: ['frontier', 'grants'] });
    void queries.invalidateQueries({ queryKey: ['frontier', 'grant-uses', grantId] });
  };
}

function Revoke({ grant: g }: { grant: Grant }) {
  const refresh = useGrantsRefresh(g.id);
  const revoke = useMutation({
    mutationFn: async (reason: Reason) =>
      dataOf(await api.POST('/api/v1/frontier/grants/{id}/revoke', { params: { path: { id: g.id } }, body: { reason } })),
    onSuccess: refresh,
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    revoke.mutate(new FormData(event.currentTarget).get('reason') as Reason);
  };
  return (
    <form onSubmit={submit} aria-label={`Revoke the ${g.scope.replaceAll('_', ' ')} grant to ${g.modelId}`} className="actions">
      <label htmlFor={`revoke-${g.id}`}>Reason</label>
      <select id={`revoke-${g.id}`} name="reason" defaultValue="developer_decision">
        {(Object.keys(REASON_WORDS) as Reason[]).map((r) => (
          <option key={r} value={r}>
            {REASON_WORDS[r]}
          </option>
        ))}
      </select>
      <button type="submit" disabled={revoke.isPending}>
        Revoke the grant
      </button>
      {revoke.isError && <p role="alert">{revoke.error.message}</p>}
      {revoke.isSuccess && <p role="status">Revoked: {revoke.data.revocationReason?.replaceAll('_', ' ') ?? 'no reason given'}.</p>}
    </form>
  );
}

function ReportUse({ grant: g }: { grant: Grant }) {
  const refresh = useGrantsRefresh(g.id);
  const [description, setDescription] = useState('');
  const report = useMutation({
    mutationFn: async () =>
      dataOf(await api.POST('/api/v1/frontier/grants/{id}/uses', { params: { path: { id: g.id } }, body: { description } })),
    onSuccess: () => {
      setDescription('');
      refresh();
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    report.mutate();
  };
  return (
    <form onSubmit={submit} aria-label={`Report a use of the grant to ${g.modelId}`} className="actions">
      <label htmlFor={`use-${g.id}`}>What the access was used for</label>
      <textarea id={`use-${g.id}`} value={description} onChange={(e) => setDescription(e.target.value)} required maxLength={5000} />
      <button type="submit" disabled={report.isPending}>
        Report the use
      </button>
      {report.isError && <p role="alert">{report.error.message}</p>}
      {report.isSuccess && (
        <p role="status">
          Use reported <When at={report.data.usedAt} />.
        </p>
      )}
    </form>
  );
}

function AccessLog({ grant: g }: { grant: Grant }) {
  const uses = usePaged(['frontier', 'grant-uses', g.id], async (cursor) =>
    dataOf(await api.GET('/api/v1/frontier/grants/{id}/uses', { params: { path: { id: g.id }, query: { cursor, limit: 50 } } })),
  );
  return (
    <>
      <Status query={uses.query} what="the access log" />
      {uses.query.isSuccess && uses.items.length === 0 && <p>No use or download reported.</p>}
      {uses.items.length > 0 && (
        <table className="access-log">
          <caption>Access log of the grant to {g.modelId}, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Kind</th>
              <th scope="col">By</th>
              <th scope="col">What for</th>
            </tr>
          </thead>
          <tbody>
            {uses.items.map((u) => (
              <tr key={u.id}>
                <td>
                  <When at={u.usedAt} />
                </td>
                <td>{u.kind}</td>
                <td>{u.actor}</td>
                <td>{u.description ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <More paged={uses} what="log entries" />
    </>
  );
}
