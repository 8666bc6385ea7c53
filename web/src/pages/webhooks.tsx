import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, dataOf } from '../api/client';
import type { paths } from '../api/schema';
import { Options } from '../parts/options';
import { OrgName } from '../parts/org-name';
import { More, Status, usePaged } from '../parts/paged';
import { When } from '../parts/when';
import { offers, useSession } from '../session';
import { TLP_ORDER } from '../tlp';
import { WebhookAllowlist, WebhookFilters } from './webhook-filters';

type Webhook = paths['/api/v1/webhooks']['get']['responses'][200]['content']['application/json']['items'][number];
type NewWebhook = paths['/api/v1/webhooks']['post']['requestBody']['content']['application/json'];
type DeliveryStatus = NonNullable<NonNullable<paths['/api/v1/webhook-deliveries']['get']['parameters']['query']>['status']>;
const STATUS_WORDS: Record<DeliveryStatus, string> = {
  pending: 'pending',
  delivered: 'delivered',
  dead: 'dead letters',
  cancelled: 'cancelled',
};
const isStatus = (value: string): value is DeliveryStatus => Object.hasOwn(STATUS_WORDS, value);

/**
 * The organisation's webhooks and their deliveries (every member reads them); its admins register, test,
 * disable and delete webhooks, rotate their signing secrets and replay dead letters. A secret is shown once,
 * when it is made, as the API answers it once.
 */
export function WebhooksPage() {
  const { session } = useSession();
  const manages = offers(session).managesWebhooks;
  const hooks = usePaged(['webhooks'], async (cursor) =>
    dataOf(await api.GET('/api/v1/webhooks', { params: { query: { cursor, limit: 50 } } })),
  );
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  return (
    <section aria-labelledby="webhooks-title">
      <h1 id="webhooks-title">
        Webhooks of <OrgName id={session.org.id} you={false} />
      </h1>
      {secret !== null && (
        <p role="status" className="secret">
          The signing secret of {secret.url}, shown this once: <code>{secret.secret}</code>
        </p>
      )}
      <Status query={hooks.query} what="the webhooks" />
      {hooks.query.isSuccess && hooks.items.length === 0 && <p>No webhook.</p>}
      {hooks.items.map((w) => (
        <WebhookCard key={w.id} hook={w} manages={manages} onSecret={setSecret} />
      ))}
      <More paged={hooks} what="webhooks" />
      {manages && <RegisterWebhook onSecret={setSecret} />}
      <Deliveries manages={manages} />
      <WebhookAllowlist />
    </section>
  );
}

function WebhookCard({
  hook: w,
  manages,
  onSecret,
}: {
  hook: Webhook;
  manages: boolean;
  onSecret: (s: { url: string; secret: string }) => void;
}) {
  const queries = useQueryClient();
  const done = () => void queries.invalidateQueries({ queryKey: ['webhooks'] });
  const path = { params: { path: { id: w.id } } };
  const test = useMutation({ mutationFn: async () => dataOf(await api.POST('/api/v1/webhooks/{id}/test', path)) });
  const rotate = useMutation({
    mutationFn: async () => dataOf(await api.POST('/api/v1/webhooks/{id}/secret', path)),
    onSuccess: (answer) => {
      onSecret({ url: w.url, secret: answer.secret });
      done();
    },
  });
  const toggle = useMutation({
    mutationFn: async () => dataOf(await api.PATCH('/api/v1/webhooks/{id}', { ...path, body: { enabled: !w.enabled } })),
    onSuccess: done,
  });
  const remove = useMutation({
    mutationFn: async () => {
      const { error, response } = await api.DELETE('/api/v1/webhooks/{id}', path);
      if (!response.ok) dataOf({ error, response });
    },
    onSuccess: done,
  });
  const failed = test.error ?? rotate.error ?? toggle.error ?? remove.error;
  return (
    <article aria-labelledby={`webhook-${w.id}`}>
      <h2 id={`webhook-${w.id}`} className="target">
        {w.url}
      </h2>
      <dl className="facts">
        <dt>Description</dt>
        <dd>{w.description ?? '—'}</dd>
        <dt>Events</dt>
        <dd>{w.events.join(', ')}</dd>
        <dt>Up to</dt>
        <dd>TLP:{w.tlpCeiling}</dd>
        <dt>Sectors</dt>
        <dd>{w.sectors?.join(', ') ?? 'all'}</dd>
        <dt>Products</dt>
        <dd>{w.products?.join(', ') ?? 'all'}</dd>
        <dt>State</dt>
        <dd>
          {w.enabled ? 'enabled' : `disabled${w.disabledReason === null ? '' : ` (${w.disabledReason})`}`}; circuit{' '}
          {w.circuit.status.replace('_', ' ')}
          {w.circuit.consecutiveFailures > 0 && `, ${w.circuit.consecutiveFailures} failures in a row`}
        </dd>
        {w.previousSecretUntil !== null && (
          <>
            <dt>Previous secret valid until</dt>
            <dd>
              <When at={w.previousSecretUntil} />
            </dd>
          </>
        )}
      </dl>
      {manages && (
        <div className="actions">
          <button type="button" onClick={() => test.mutate()} disabled={test.isPending}>
            Send a test to {w.url}
          </button>
          <button type="button" onClick={() => rotate.mutate()} disabled={rotate.isPending}>
            Rotate the secret of {w.url}
          </button>
          <button type="button" onClick={() => toggle.mutate()} disabled={toggle.isPending}>
            {w.enabled ? 'Disable' : 'Enable'} {w.url}
          </button>
          <button type="button" onClick={() => remove.mutate()} disabled={remove.isPending}>
            Delete {w.url}
          </button>
        </div>
      )}
      {manages && <WebhookFilters hook={w} />}
      {test.isSuccess && <p role="status">Test message queued.</p>}
      {failed !== null && <p role="alert">{failed.message}</p>}
    </article>
  );
}

function RegisterWebhook({ onSecret }: { onSecret: (s: { url: string; secret: string }) => void }) {
  const queries = useQueryClient();
  const register = useMutation({
    mutationFn: async (body: NewWebhook) => dataOf(await api.POST('/api/v1/webhooks', { body })),
    onSuccess: (answer) => {
      onSecret({ url: answer.webhook.url, secret: answer.secret });
      void queries.invalidateQueries({ queryKey: ['webhooks'] });
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const description = String(form.get('description') ?? '').trim();
    register.mutate({
      url: String(form.get('url') ?? '').trim(),
      events: String(form.get('events') ?? '')
        .split(',')
        .map((e) => e.trim())
        .filter((e) => e !== ''),
      tlpCeiling: form.get('tlp') as NewWebhook['tlpCeiling'],
      ...(description === '' ? {} : { description }),
    });
  };
  return (
    <form onSubmit={submit} aria-label="New webhook" className="filters">
      <label htmlFor="webhook-url">URL</label>
      <input id="webhook-url" name="url" type="url" required maxLength={2048} />
      <label htmlFor="webhook-events">Events (comma-separated)</label>
      <input id="webhook-events" name="events" required defaultValue="*" />
      <label htmlFor="webhook-tlp">Up to</label>
      <select id="webhook-tlp" name="tlp" defaultValue="AMBER">
        {TLP_ORDER.map((t) => (
          <option key={t} value={t}>
            TLP:{t}
          </option>
        ))}
      </select>
      <label htmlFor="webhook-description">Description</label>
      <input id="webhook-description" name="description" maxLength={200} />
      <button type="submit" disabled={register.isPending}>
        Register the webhook
      </button>
      {register.isError && <p role="alert">{register.error.message}</p>}
    </form>
  );
}

function Deliveries({ manages }: { manages: boolean }) {
  const queries = useQueryClient();
  const [status, setStatus] = useState<DeliveryStatus | undefined>(undefined);
  const list = usePaged(['webhook-deliveries', status], async (cursor) =>
    dataOf(await api.GET('/api/v1/webhook-deliveries', { params: { query: { cursor, limit: 50, status } } })),
  );
  const replay = useMutation({
    mutationFn: async (deliveryIds: string[]) => dataOf(await api.POST('/api/v1/webhook-deliveries/replay', { body: { deliveryIds } })),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['webhook-deliveries'] }),
  });
  const dead = list.items.filter((d) => d.status === 'dead').map((d) => d.id);
  return (
    <section aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Deliveries</h2>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="delivery-status">Status</label>
        <select
          id="delivery-status"
          value={status ?? ''}
          onChange={(e) => setStatus(isStatus(e.target.value) ? e.target.value : undefined)}
        >
          <option value="">any</option>
          <Options words={STATUS_WORDS} />
        </select>
      </form>
      <Status query={list.query} what="the deliveries" />
      {list.query.isSuccess && list.items.length === 0 && <p>No delivery.</p>}
      {list.items.length > 0 && (
        <table className="deliveries">
          <thead>
            <tr>
              <th scope="col">Made</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Last answer</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((d) => (
              <tr key={d.id}>
                <td>
                  <When at={d.createdAt} />
                </td>
                <td>
                  {d.status}
                  {d.deadReason !== null && ` (${d.deadReason})`}
                </td>
                <td className="number">{d.attempts}</td>
                <td>{d.lastStatus ?? d.lastError ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <More paged={list} what="deliveries" />
      {manages && dead.length > 0 && (
        <button type="button" onClick={() => replay.mutate(dead)} disabled={replay.isPending}>
          Replay the {dead.length} dead letters shown
        </button>
      )}
      {replay.isSuccess && <p role="status">Replayed {replay.data.replayed}.</p>}
      {replay.isError && <p role="alert">{replay.error.message}</p>}
    </section>
  );
}
