import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { api, dataOf } from '../api/client';
import type { paths } from '../api/schema';
import { OrgName } from '../parts/org-name';
import { Unambiguous, When, countdown } from '../parts/when';
import { useSession } from '../session';
import type { CaseDetail } from './case-workspace';
import { EMBARGO_WORDS } from './cases';

type EmbargoBody = paths['/api/v1/cases/{id}/embargo']['post']['requestBody']['content']['application/json'];

/** The clock the countdowns read, once a minute. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/**
 * The embargo: its state, its end written in UTC and in the reader's time (and as it was set, in the zone it
 * was proposed in), a countdown, the proposals; proposing an end (participants' staff) and deciding
 * (coordinators' staff).
 */
export function CaseEmbargo({ detail }: { detail: CaseDetail }) {
  const { session } = useSession();
  const queries = useQueryClient();
  const now = useNow();
  const e = detail.embargo;
  const staff = session.user.role === 'admin' || session.user.role === 'analyst';
  const coordinator = session.org.kind === 'coordinator' && staff;
  const move = useMutation({
    mutationFn: async (body: EmbargoBody) =>
      dataOf(await api.POST('/api/v1/cases/{id}/embargo', { params: { path: { id: detail.number } }, body })),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['case', detail.number] }),
  });
  const [zone] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  const propose = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    move.mutate({ action: 'propose', endsAt: String(form.get('endsAt')), timeZone: String(form.get('timeZone')) });
  };
  const pending = e.proposals.some((p) => p.status === 'pending');

  return (
    <section aria-labelledby="embargo-title">
      <h2 id="embargo-title">Embargo</h2>
      <dl className="facts embargo">
        <dt>State</dt>
        <dd>{EMBARGO_WORDS[e.state]}</dd>
        <dt>Ends</dt>
        <dd>
          {e.endsAt === null ? (
            'no end set'
          ) : (
            <>
              <Unambiguous at={e.endsAt} /> — {countdown(e.endsAt, now)}
              {e.endsAtLocal !== null && <div className="why">as set: {e.endsAtLocal}</div>}
            </>
          )}
        </dd>
        {e.exitedAt !== null && (
          <>
            <dt>Ended</dt>
            <dd>
              <When at={e.exitedAt} /> ({e.exitReason})
            </dd>
          </>
        )}
      </dl>
      {e.proposals.length > 0 && (
        <table className="proposals">
          <caption>Proposed ends</caption>
          <thead>
            <tr>
              <th scope="col">End</th>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col">Proposed</th>
            </tr>
          </thead>
          <tbody>
            {e.proposals.map((p) => (
              <tr key={p.id}>
                <td>
                  <Unambiguous at={p.endsAt} />
                  <div className="why">as proposed: {p.endsAtLocal}</div>
                </td>
                <td>{p.kind}</td>
                <td>{p.status}</td>
                <td>
                  <When at={p.at} />
                  {p.byOrgId !== null && (
                    <>
                      {' '}
                      by <OrgName id={p.byOrgId} />
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {staff && e.state !== 'exited' && (
        <form onSubmit={propose} aria-label="Propose an embargo end">
          <label htmlFor="embargo-end">Propose an end (local time)</label>
          <input id="embargo-end" name="endsAt" type="datetime-local" required />
          <label htmlFor="embargo-zone">in the time zone</label>
          <input id="embargo-zone" name="timeZone" defaultValue={zone} required maxLength={64} />
          <button type="submit" disabled={move.isPending}>
            Propose
          </button>
        </form>
      )}
      {coordinator && e.state !== 'exited' && (
        <div className="actions">
          {pending && (
            <>
              <button type="button" onClick={() => move.mutate({ action: 'accept' })} disabled={move.isPending}>
                Accept the earliest proposal
              </button>
              <button type="button" onClick={() => move.mutate({ action: 'reject' })} disabled={move.isPending}>
                Reject the proposals
              </button>
            </>
          )}
          {e.state === 'active' && (
            <button type="button" onClick={() => move.mutate({ action: 'end', reason: 'terminated' })} disabled={move.isPending}>
              End the embargo now
            </button>
          )}
        </div>
      )}
      {move.isError && <p role="alert">{move.error.message}</p>}
    </section>
  );
}
