import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, dataOf } from '../api/client';
import type { paths } from '../api/schema';
import { Timeline } from '../parts/charts';
import { OrgName } from '../parts/org-name';
import { More, Status, usePaged } from '../parts/paged';
import { Unambiguous, When, countdown } from '../parts/when';
import { useSession } from '../session';
import { EvaluationChart } from './evaluation-chart';
import { GrantActions } from './frontier-grant-actions';
import { PartnerNominations } from './frontier-partners';

type Grant = paths['/api/v1/frontier/grants']['get']['responses'][200]['content']['application/json']['items'][number];
type Review = paths['/api/v1/frontier/reviews']['get']['responses'][200]['content']['application/json']['items'][number];

/**
 * The frontier early-access program as the reader may see it: review windows on a timeline with their
 * countdowns, the grants to its organisation (acknowledging their terms), and the evaluations shared in a
 * review. Nothing here approves or blocks a release: the program has no release gate.
 */
export function FrontierPage() {
  const reviews = usePaged(['frontier', 'reviews'], async (cursor) =>
    dataOf(await api.GET('/api/v1/frontier/reviews', { params: { query: { cursor, limit: 50 } } })),
  );
  const grants = usePaged(['frontier', 'grants'], async (cursor) =>
    dataOf(await api.GET('/api/v1/frontier/grants', { params: { query: { cursor, limit: 50 } } })),
  );
  const [now] = useState(() => Date.now());
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section aria-labelledby="frontier-title">
      <h1 id="frontier-title">Frontier reviews</h1>
      <p className="why">Reviews inform; they never approve or hold back a model release.</p>
      <h2>Review windows</h2>
      <Status query={reviews.query} what="the reviews" />
      {reviews.query.isSuccess && reviews.items.length === 0 && <p>No review you take part in.</p>}
      <Timeline
        title="Review windows (the red line is now)"
        now={now}
        spans={reviews.items.map((r) => ({ key: r.id, label: r.modelId, start: r.windowStart, end: r.windowEnd, kind: r.state }))}
      />
      {reviews.items.length > 0 && (
        <table className="reviews">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">State</th>
              <th scope="col">Window</th>
              <th scope="col">Countdown</th>
              <th scope="col">Evaluations</th>
            </tr>
          </thead>
          <tbody>
            {reviews.items.map((r) => (
              <tr key={r.id}>
                <td>{r.modelId}</td>
                <td>{r.state}</td>
                <td>
                  <Unambiguous at={r.windowStart} /> to <Unambiguous at={r.windowEnd} />
                  <div className="why">
                    as set: {r.windowStartLocal} to {r.windowEndLocal}
                  </div>
                </td>
                <td>{r.countdown.until === 'closed' ? 'closed' : `${r.countdown.until} in ${r.countdown.remaining}`}</td>
                <td>
                  <button type="button" aria-expanded={open === r.id} onClick={() => setOpen(open === r.id ? null : r.id)}>
                    Evaluations of {r.modelId}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <More paged={reviews} what="reviews" />
      {open !== null && <Evaluations review={reviews.items.find((r) => r.id === open)!} />}

      <h2>Grants</h2>
      <Status query={grants.query} what="the grants" />
      {grants.query.isSuccess && grants.items.length === 0 && <p>No grant for your organisation.</p>}
      {grants.items.map((g) => (
        <GrantCard key={g.id} grant={g} />
      ))}
      <More paged={grants} what="grants" />
      <PartnerNominations />
    </section>
  );
}

function Evaluations({ review }: { review: Review }) {
  const list = usePaged(['frontier', 'evaluations', review.id], async (cursor) =>
    dataOf(
      await api.GET('/api/v1/frontier/reviews/{id}/evaluations', { params: { path: { id: review.id }, query: { cursor, limit: 50 } } }),
    ),
  );
  return (
    <section aria-labelledby="evaluations-title">
      <h3 id="evaluations-title">Evaluations of {review.modelId}</h3>
      <Status query={list.query} what="the evaluations" />
      {list.query.isSuccess && list.items.length === 0 && <p>No evaluation shared yet.</p>}
      {list.items.length > 0 && (
        <table className="evaluations">
          <thead>
            <tr>
              <th scope="col">Evaluation</th>
              <th scope="col">Benchmark</th>
              <th scope="col">Metric</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {list.items.flatMap((e) =>
              e.measurements.map((m, i) => (
                <tr key={`${e.id} ${i}`}>
                  <td>
                    {e.title} ({e.kind}, <When at={e.createdAt} />)
                  </td>
                  <td>{m.benchmark}</td>
                  <td>{m.metric}</td>
                  <td className="number">{m.value ?? '—'}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
      <More paged={list} what="evaluations" />
      <EvaluationChart reviewId={review.id} modelId={review.modelId} />
    </section>
  );
}

function GrantCard({ grant: g }: { grant: Grant }) {
  const { session } = useSession();
  const [now] = useState(() => Date.now());
  const queries = useQueryClient();
  const acknowledge = useMutation({
    mutationFn: async (terms: Grant['terms'][number]['key'][]) =>
      dataOf(await api.POST('/api/v1/frontier/grants/{id}/acknowledge', { params: { path: { id: g.id } }, body: { terms } })),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['frontier', 'grants'] }),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    acknowledge.mutate(g.terms.map((t) => t.key).filter((key) => form.get(key) === 'on'));
  };
  const grantee = g.granteeOrgId === session.org.id;
  return (
    <article className="grant" aria-labelledby={`grant-${g.id}`}>
      <h3 id={`grant-${g.id}`}>
        {g.scope.replaceAll('_', ' ')} access to {g.modelId} for <OrgName id={g.granteeOrgId} />
      </h3>
      <p>
        {g.status}
        {g.usable ? ', usable' : ''}; from <Unambiguous at={g.startsAt} /> until <Unambiguous at={g.expiresAt} />
        {(g.status === 'pending' || g.status === 'active') && Date.parse(g.expiresAt) > now && ` (expires ${countdown(g.expiresAt, now)})`}
        {g.acknowledgedAt !== null && (
          <>
            ; terms acknowledged <When at={g.acknowledgedAt} />
          </>
        )}
      </p>
      {grantee && g.acknowledgedAt === null && g.status !== 'revoked' && g.status !== 'expired' ? (
        <form onSubmit={submit} aria-label={`Acknowledge the terms of access to ${g.modelId}`} className="terms">
          {g.terms.map((t) => (
            <label key={t.key}>
              <input type="checkbox" name={t.key} required /> {t.text}
            </label>
          ))}
          <button type="submit" disabled={acknowledge.isPending}>
            Acknowledge the terms
          </button>
          {acknowledge.isError && <p role="alert">{acknowledge.error.message}</p>}
        </form>
      ) : (
        <ul>
          {g.terms.map((t) => (
            <li key={t.key}>{t.text}</li>
          ))}
        </ul>
      )}
      <GrantActions grant={g} />
    </article>
  );
}
