import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, dataOf } from '../api/client';
import type { paths } from '../api/schema';

type QueueRow = paths['/api/v1/validation/queue']['get']['responses'][200]['content']['application/json']['items'][number];
type SortKey = 'score' | 'firstSeenAt' | 'reportCount' | 'title';

type State = NonNullable<NonNullable<paths['/api/v1/validation/queue']['get']['parameters']['query']>['state']>;
/** Every state the queue filters by (the type makes a new one a compile error here), in the filter's words. */
const STATE_WORDS: Record<State, string> = {
  received: 'received',
  valid: 'valid',
  invalid: 'invalid',
  accepted: 'accepted',
  deferred: 'deferred',
  closed: 'closed',
};
const isState = (value: string | null): value is State => value !== null && Object.hasOwn(STATE_WORDS, value);

const SORTS: Record<SortKey, (a: QueueRow, b: QueueRow) => number> = {
  score: (a, b) => b.score - a.score,
  firstSeenAt: (a, b) => a.firstSeenAt.localeCompare(b.firstSeenAt),
  reportCount: (a, b) => b.reportCount - a.reportCount,
  title: (a, b) => (a.title ?? '').localeCompare(b.title ?? ''),
};

const percent = (value: number) => `${Math.round(value * 100)} %`;

/** The triage queue: what the API lists for this user, filtered by state and reporter, sortable, each row with why. */
export function TriageQueue() {
  const [params, setParams] = useSearchParams();
  const stateParam = params.get('state');
  const state = isState(stateParam) ? stateParam : undefined;
  const reporter = params.get('reporter') ?? undefined;
  const [sort, setSort] = useState<SortKey>('score');

  const queue = useQuery({
    queryKey: ['queue', state, reporter],
    queryFn: async () => dataOf(await api.GET('/api/v1/validation/queue', { params: { query: { state, reporter, limit: 200 } } })),
  });
  const reporters = useQuery({
    queryKey: ['reporters'],
    queryFn: async () => dataOf(await api.GET('/api/v1/validation/reporters', { params: { query: { limit: 200 } } })),
  });
  const names = useMemo(() => new Map((reporters.data?.items ?? []).map((r) => [r.orgId, r])), [reporters.data]);
  const rows = useMemo(() => [...(queue.data?.items ?? [])].sort(SORTS[sort]), [queue.data, sort]);

  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value === '') next.delete(key);
    else next.set(key, value);
    setParams(next);
  };
  const sortButton = (key: SortKey, label: string) => (
    <th scope="col" aria-sort={sort === key ? (key === 'title' || key === 'firstSeenAt' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort" onClick={() => setSort(key)}>
        {label}
      </button>
    </th>
  );

  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title">Triage queue</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="filter-state">State</label>
        {/* The API lists one state at a time, received unless asked. */}
        <select
          id="filter-state"
          value={state ?? 'received'}
          onChange={(e) => setFilter('state', e.target.value === 'received' ? '' : e.target.value)}
        >
          {Object.entries(STATE_WORDS).map(([value, words]) => (
            <option key={value} value={value}>
              {words}
            </option>
          ))}
        </select>
        <label htmlFor="filter-reporter">Reporter</label>
        <select id="filter-reporter" value={reporter ?? ''} onChange={(e) => setFilter('reporter', e.target.value)}>
          <option value="">any</option>
          {(reporters.data?.items ?? []).map((r) => (
            <option key={r.orgId} value={r.orgId}>
              {r.orgName ?? r.orgId}
            </option>
          ))}
        </select>
      </form>
      {queue.isPending && <p>Loading the queue…</p>}
      {queue.isError && <p role="alert">{queue.error.message}</p>}
      {queue.data !== undefined && rows.length === 0 && <p>Nothing in the queue in state {state ?? 'received'}.</p>}
      {rows.length > 0 && (
        <table className="queue">
          <caption>{rows.length} clusters; the score is severity × corroboration (the reason is under each title)</caption>
          <thead>
            <tr>
              {sortButton('title', 'Cluster')}
              <th scope="col">State</th>
              {sortButton('score', 'Score')}
              {sortButton('reportCount', 'Reports')}
              <th scope="col">Reporters (track record)</th>
              {sortButton('firstSeenAt', 'First seen')}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.clusterId}>
                <td>
                  <Link to={`/clusters/${row.clusterId}`}>{row.title ?? row.clusterId}</Link>
                  <div className="target">{row.targetIdentity ?? 'no target named'}</div>
                  <div className="why">
                    severity {row.why.severity.value} ({row.why.severity.source}) × corroboration {row.why.corroboration.value.toFixed(2)} ·{' '}
                    {row.why.formula}
                  </div>
                </td>
                <td>
                  {row.state}
                  <div className="quorum">
                    {row.quorum.confirmations}/{row.quorum.needed} confirmations
                  </div>
                </td>
                <td className="number">{row.score.toFixed(2)}</td>
                <td className="number">{row.reportCount}</td>
                <td>
                  <ul className="reporters">
                    {row.why.corroboration.reporters.map((r) => {
                      const record = names.get(r.orgId);
                      return (
                        <li key={r.orgId}>
                          {record?.orgName ?? r.orgId}: precision {percent(r.precision)}
                          {record !== undefined && ` (${record.valid} valid, ${record.invalid} invalid, ${record.duplicates} duplicates)`}
                        </li>
                      );
                    })}
                  </ul>
                </td>
                <td>
                  <time dateTime={row.firstSeenAt}>{new Date(row.firstSeenAt).toLocaleString()}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
