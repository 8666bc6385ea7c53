import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent } from 'react';
import { api, dataOf } from '../api/client';
import type { paths } from '../api/schema';
import { When } from '../parts/when';
import { useSession } from '../session';
import { TLP_ORDER } from '../tlp';

type Webhook = paths['/api/v1/webhooks']['get']['responses'][200]['content']['application/json']['items'][number];
type Changes = paths['/api/v1/webhooks/{id}']['patch']['requestBody']['content']['application/json'];

/** Words split on commas or line ends, trimmed, empties dropped. */
const listOf = (text: FormDataEntryValue | null): string[] =>
  String(text ?? '')
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');

/**
 * A webhook's event filters, changed by its organisation's admins (PATCH /api/v1/webhooks/{id}): the event
 * types, the TLP ceiling, and the sectors and products it is limited to (left empty: all).
 */
export function WebhookFilters({ hook: w }: { hook: Webhook }) {
  const queries = useQueryClient();
  const change = useMutation({
    mutationFn: async (body: Changes) => dataOf(await api.PATCH('/api/v1/webhooks/{id}', { params: { path: { id: w.id } }, body })),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['webhooks'] }),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const sectors = listOf(form.get('sectors'));
    const products = listOf(form.get('products'));
    change.mutate({
      events: listOf(form.get('events')),
      tlpCeiling: form.get('tlpCeiling') as Changes['tlpCeiling'],
      sectors: sectors.length === 0 ? null : sectors,
      products: products.length === 0 ? null : products,
    });
  };
  const id = (field: string) => `filters-${w.id}-${field}`;
  return (
    <form onSubmit={submit} aria-label={`Event filters of ${w.url}`} className="filters">
      <label htmlFor={id('events')}>Events (comma-separated: exact, a family such as advisory.*, or *)</label>
      <input id={id('events')} name="events" required defaultValue={w.events.join(', ')} />
      <label htmlFor={id('tlp')}>Up to TLP</label>
      <select id={id('tlp')} name="tlpCeiling" defaultValue={w.tlpCeiling}>
        {TLP_ORDER.map((t) => (
          <option key={t} value={t}>
            TLP:{t}
          </option>
        ))}
      </select>
      <label htmlFor={id('sectors')}>Sectors (comma-separated; empty: all)</label>
      <input id={id('sectors')} name="sectors" defaultValue={w.sectors?.join(', ') ?? ''} />
      <label htmlFor={id('products')}>Products (package URLs without version, one a line; empty: all)</label>
      <textarea id={id('products')} name="products" defaultValue={w.products?.join('\n') ?? ''} />
      <button type="submit" disabled={change.isPending}>
        Save the filters of {w.url}
      </button>
      {change.isError && <p role="alert">{change.error.message}</p>}
      {change.isSuccess && <p role="status">Filters saved: {change.data.events.join(', ')}.</p>}
    </form>
  );
}

/**
 * The non-public destinations webhooks may reach (coordinators read; coordinator admins add and remove). The
 * API answers other readers an empty list, so the section shows only to the coordinator.
 */
export function WebhookAllowlist() {
  const { session } = useSession();
  const queries = useQueryClient();
  const coordinator = session.org.kind === 'coordinator';
  const admin = coordinator && session.user.role === 'admin';
  const list = useQuery({
    queryKey: ['webhook-allowlist'],
    queryFn: async () => dataOf(await api.GET('/api/v1/webhook-allowlist')),
    enabled: coordinator,
  });
  const done = () => void queries.invalidateQueries({ queryKey: ['webhook-allowlist'] });
  const add = useMutation({
    mutationFn: async (body: { cidr: string; note?: string }) => dataOf(await api.POST('/api/v1/webhook-allowlist', { body })),
    onSuccess: done,
  });
  const remove = useMutation({
    mutationFn: async (id: string) => {
      const { error, response } = await api.DELETE('/api/v1/webhook-allowlist/{id}', { params: { path: { id } } });
      if (!response.ok) dataOf({ error, response });
    },
    onSuccess: done,
  });
  if (!coordinator) return null;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const note = String(form.get('note') ?? '').trim();
    add.mutate({ cidr: String(form.get('cidr') ?? '').trim(), ...(note === '' ? {} : { note }) });
  };
  return (
    <section aria-labelledby="allowlist-title">
      <h2 id="allowlist-title">Allowed non-public destinations</h2>
      <p className="why">Webhooks reach public addresses only, unless a block is listed here; cloud metadata services stay refused.</p>
      {list.isError && <p role="alert">{list.error.message}</p>}
      {list.data !== undefined && list.data.items.length === 0 && <p>No block allowed.</p>}
      {list.data !== undefined && list.data.items.length > 0 && (
        <table className="allowlist">
          <thead>
            <tr>
              <th scope="col">Block</th>
              <th scope="col">Note</th>
              <th scope="col">Added</th>
              {admin && <th scope="col">Remove</th>}
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((e) => (
              <tr key={e.id}>
                <td>{e.cidr}</td>
                <td>{e.note ?? '—'}</td>
                <td>
                  <When at={e.createdAt} />
                </td>
                {admin && (
                  <td>
                    <button type="button" onClick={() => remove.mutate(e.id)} disabled={remove.isPending}>
                      Remove {e.cidr}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {admin && (
        <form onSubmit={submit} aria-label="Allow a destination block" className="actions">
          <label htmlFor="allow-cidr">Block (CIDR)</label>
          <input id="allow-cidr" name="cidr" required placeholder="10.20.0.0/16" />
          <label htmlFor="allow-note">Note</label>
          <input id="allow-note" name="note" maxLength={500} />
          <button type="submit" disabled={add.isPending}>
            Allow the block
          </button>
        </form>
      )}
      {(add.error ?? remove.error) !== null && <p role="alert">{(add.error ?? remove.error)?.message}</p>}
    </section>
  );
}
