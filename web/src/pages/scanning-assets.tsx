import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, dataOf } from '../api/client';
import type { paths } from '../api/schema';
import { OrgName } from '../parts/org-name';
import { Status } from '../parts/paged';
import { When } from '../parts/when';
import { offers, useSession } from '../session';

type Asset = paths['/api/v1/scanning/assets']['get']['responses'][200]['content']['application/json']['items'][number];
type BlackoutWindow = paths['/api/v1/scanning/assets/{id}/blackouts']['post']['requestBody']['content']['application/json']['window'];
type Weekday = Extract<BlackoutWindow, { kind: 'weekly' }>['days'][number];
const WEEKDAY_WORDS: Record<Weekday, string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };

/**
 * The blackout windows of the assets the reader's operator declared (the coordinator: every operator's):
 * when active scanning must stop, in the asset's own zone. Staff who manage assets add and remove them; a new
 * window sends a stop request to each campaign it collides with at once.
 */
export function ScanningBlackouts() {
  const assets = useQuery({
    queryKey: ['scan-assets'],
    queryFn: async () => dataOf(await api.GET('/api/v1/scanning/assets')),
  });
  return (
    <section aria-labelledby="blackouts-title">
      <h2 id="blackouts-title">Blackout windows</h2>
      <Status query={assets} what="the assets" />
      {assets.data?.items.length === 0 && <p>No declared asset.</p>}
      {assets.data?.items.map((a) => (
        <AssetBlackouts key={a.id} asset={a} />
      ))}
    </section>
  );
}

function AssetBlackouts({ asset: a }: { asset: Asset }) {
  const { session } = useSession();
  const queries = useQueryClient();
  const manages = offers(session).managesAssets && (session.org.kind === 'coordinator' || a.orgId === session.org.id);
  const done = () => void queries.invalidateQueries({ queryKey: ['scan-assets'] });
  const remove = useMutation({
    mutationFn: async (partId: string) =>
      dataOf(await api.DELETE('/api/v1/scanning/assets/{id}/blackouts/{partId}', { params: { path: { id: a.id, partId } } })),
    onSuccess: done,
  });
  return (
    <article aria-labelledby={`asset-${a.id}`}>
      <h3 id={`asset-${a.id}`}>
        {a.name} (<OrgName id={a.orgId} />, {a.timeZone})
      </h3>
      {a.blackouts.length === 0 ? (
        <p>No blackout window.</p>
      ) : (
        <ul className="blackouts">
          {a.blackouts.map((b) => (
            <li key={b.id}>
              {b.description}
              {b.reason !== '' && ` — ${b.reason}`}
              {manages && (
                <button type="button" onClick={() => remove.mutate(b.id)} disabled={remove.isPending}>
                  Remove the window {b.description}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {remove.isError && <p role="alert">{remove.error.message}</p>}
      {manages && <AddBlackout asset={a} />}
    </article>
  );
}

function AddBlackout({ asset: a }: { asset: Asset }) {
  const queries = useQueryClient();
  const [kind, setKind] = useState<BlackoutWindow['kind']>('once');
  const add = useMutation({
    mutationFn: async (body: { reason: string; window: BlackoutWindow }) =>
      dataOf(await api.POST('/api/v1/scanning/assets/{id}/blackouts', { params: { path: { id: a.id } }, body })),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['scan-assets'] }),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '');
    const window: BlackoutWindow =
      kind === 'once'
        ? { kind, start: text('start'), end: text('end') }
        : { kind, days: form.getAll('days').map(String) as Weekday[], start: text('start'), end: text('end') };
    add.mutate({ reason: text('reason'), window });
  };
  const id = (field: string) => `blackout-${a.id}-${field}`;
  return (
    <form onSubmit={submit} aria-label={`New blackout window for ${a.name}`} className="filters">
      <fieldset>
        <legend>Repeats</legend>
        {(['once', 'weekly'] as const).map((k) => (
          <label key={k}>
            <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} /> {k}
          </label>
        ))}
      </fieldset>
      {kind === 'weekly' && (
        <fieldset>
          <legend>Days</legend>
          {Object.entries(WEEKDAY_WORDS).map(([value, words]) => (
            <label key={value}>
              <input type="checkbox" name="days" value={value} /> {words}
            </label>
          ))}
        </fieldset>
      )}
      <label htmlFor={id('start')}>Starts ({a.timeZone})</label>
      <input id={id('start')} name="start" type={kind === 'once' ? 'datetime-local' : 'time'} required />
      <label htmlFor={id('end')}>Ends ({a.timeZone})</label>
      <input id={id('end')} name="end" type={kind === 'once' ? 'datetime-local' : 'time'} required />
      <label htmlFor={id('reason')}>Reason</label>
      <input id={id('reason')} name="reason" maxLength={500} />
      <button type="submit" disabled={add.isPending}>
        Add the blackout window
      </button>
      {add.isError && <p role="alert">{add.error.message}</p>}
      {add.isSuccess && (
        <p role="status">
          Added.{' '}
          {add.data.stopRequests.length === 0
            ? 'No campaign collides with it.'
            : `Stop requests sent to ${add.data.stopRequests.length} campaigns.`}
        </p>
      )}
    </form>
  );
}

/** Software operators run that no campaign scanned lately, most widely run first (coordinator, operators). */
export function CoverageGaps() {
  const [days, setDays] = useState(90);
  const gaps = useQuery({
    queryKey: ['scan-gaps', days],
    queryFn: async () => dataOf(await api.GET('/api/v1/scanning/gaps', { params: { query: { days, limit: 100 } } })),
  });
  return (
    <section aria-labelledby="gaps-title">
      <h2 id="gaps-title">Coverage gaps</h2>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="gaps-days">Not scanned in the last</label>
        <select id="gaps-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
          {[30, 90, 365].map((d) => (
            <option key={d} value={d}>
              {d} days
            </option>
          ))}
        </select>
      </form>
      <Status query={gaps} what="the coverage gaps" />
      {gaps.data !== undefined &&
        (gaps.data.items.length === 0 ? (
          <p>
            Every package in the inventories was scanned since <When at={gaps.data.since} />.
          </p>
        ) : (
          <table className="gaps">
            <caption>
              Software run by operators that no campaign scanned since <When at={gaps.data.since} />
            </caption>
            <thead>
              <tr>
                <th scope="col">Package</th>
                <th scope="col">Ecosystem</th>
                <th scope="col">Operators</th>
                <th scope="col">Sectors</th>
              </tr>
            </thead>
            <tbody>
              {gaps.data.items.map((g) => (
                <tr key={g.purl}>
                  <td className="target">{g.purl}</td>
                  <td>{g.ecosystem}</td>
                  <td className="number">{g.operators}</td>
                  <td>{g.sectors.join(', ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </section>
  );
}
