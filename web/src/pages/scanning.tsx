import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api, dataOf } from '../api/client';
import type { paths } from '../api/schema';
import { OrgName } from '../parts/org-name';
import { Options } from '../parts/options';
import { Timeline } from '../parts/charts';
import { More, Status, usePaged } from '../parts/paged';
import { When } from '../parts/when';
import { offers, useSession } from '../session';
import { TlpTag, useTlpLabels } from '../tlp';
import { CoverageGaps, ScanningBlackouts } from './scanning-assets';
import { ScanningLeases, TECHNIQUE_WORDS } from './scanning-leases';

type Campaign = paths['/api/v1/scanning/campaigns']['get']['responses'][200]['content']['application/json']['items'][number];
const STATE_WORDS: Record<Campaign['state'], string> = { planned: 'planned', active: 'active', completed: 'completed', stopped: 'stopped' };
const isState = (value: string | null): value is Campaign['state'] => value !== null && Object.hasOwn(STATE_WORDS, value);

/**
 * Scanning campaigns the reader may see, on a timeline and in a table: each with its conflicts (overlapping
 * campaigns on the same targets), stopping one's own, and asking another to stop (coordinators, operators).
 */
export function ScanningPage() {
  const [params, setParams] = useSearchParams();
  const param = params.get('state');
  const state = isState(param) ? param : undefined;
  const campaigns = usePaged(['campaigns', state], async (cursor) =>
    dataOf(await api.GET('/api/v1/scanning/campaigns', { params: { query: { state, cursor, limit: 50 } } })),
  );
  useTlpLabels(campaigns.items.map((c) => c.tlp));
  const [now] = useState(() => Date.now());
  const can = offers(useSession().session);
  return (
    <section aria-labelledby="scanning-title">
      <h1 id="scanning-title">Scanning campaigns</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="filter-campaign-state">State</label>
        <select
          id="filter-campaign-state"
          value={state ?? ''}
          onChange={(e) => setParams(e.target.value === '' ? {} : { state: e.target.value })}
        >
          <option value="">any</option>
          <Options words={STATE_WORDS} />
        </select>
      </form>
      <Status query={campaigns.query} what="the campaigns" />
      {campaigns.query.isSuccess && campaigns.items.length === 0 && <p>No campaign you may see.</p>}
      <Timeline
        title="Campaign windows (the red line is now)"
        now={now}
        spans={campaigns.items.map((c) => ({ key: c.id, label: c.name, start: c.window.start, end: c.window.end, kind: c.state }))}
      />
      {campaigns.items.map((c) => (
        <CampaignCard key={c.id} campaign={c} />
      ))}
      <More paged={campaigns} what="campaigns" />
      <ScanningLeases />
      {can.readsGaps && <ScanningBlackouts />}
      {can.readsGaps && <CoverageGaps />}
    </section>
  );
}

function CampaignCard({ campaign: c }: { campaign: Campaign }) {
  const { session } = useSession();
  const queries = useQueryClient();
  const [showConflicts, setShowConflicts] = useState(false);
  const staff = session.user.role === 'admin' || session.user.role === 'analyst';
  const mine = c.orgId === session.org.id;
  const mayAsk = staff && !mine && (session.org.kind === 'coordinator' || session.org.kind === 'operator');
  const conflicts = useQuery({
    queryKey: ['campaign', c.id, 'conflicts'],
    queryFn: async () => dataOf(await api.GET('/api/v1/scanning/campaigns/{id}/conflicts', { params: { path: { id: c.id } } })),
    enabled: showConflicts,
  });
  const done = () => void queries.invalidateQueries({ queryKey: ['campaigns'] });
  const stop = useMutation({
    mutationFn: async () => dataOf(await api.POST('/api/v1/scanning/campaigns/{id}/stop', { params: { path: { id: c.id } }, body: {} })),
    onSuccess: done,
  });
  const ask = useMutation({
    mutationFn: async (reason: string) =>
      dataOf(await api.POST('/api/v1/scanning/campaigns/{id}/stop-requests', { params: { path: { id: c.id } }, body: { reason } })),
    onSuccess: done,
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    ask.mutate(String(new FormData(event.currentTarget).get('reason') ?? ''));
  };
  const live = c.state === 'planned' || c.state === 'active';
  return (
    <article className="campaign" aria-labelledby={`campaign-${c.id}`}>
      <h2 id={`campaign-${c.id}`}>
        {c.name} <TlpTag tlp={c.tlp} />
      </h2>
      <dl className="facts">
        <dt>State</dt>
        <dd>
          {STATE_WORDS[c.state]}
          {c.stopReason !== null && ` (${c.stopReason})`}
        </dd>
        <dt>Organisation</dt>
        <dd>
          <OrgName id={c.orgId} />
        </dd>
        <dt>Technique</dt>
        <dd>
          {TECHNIQUE_WORDS[c.technique]} with {c.tool.name} {c.tool.version}
          {c.model !== null && `, model ${c.model.name} ${c.model.version}`}
        </dd>
        <dt>Window</dt>
        <dd>
          <When at={c.window.start} /> to <When at={c.window.end} />
        </dd>
        <dt>Targets</dt>
        <dd>{c.scope.map((s) => s.target).join(', ')}</dd>
        <dt>Stop contact</dt>
        <dd>{Object.values(c.stopContact).join(', ') || 'none'}</dd>
        <dt>Stop requests</dt>
        <dd>{c.stopRequests.length === 0 ? 'none' : c.stopRequests.map((r) => `${r.source}: ${r.reason}`).join('; ')}</dd>
      </dl>
      <div className="actions">
        <button type="button" aria-expanded={showConflicts} onClick={() => setShowConflicts((v) => !v)}>
          {showConflicts ? 'Hide' : 'Show'} conflicts of {c.name}
        </button>
        {mine && staff && live && (
          <button type="button" onClick={() => stop.mutate()} disabled={stop.isPending}>
            Stop {c.name}
          </button>
        )}
      </div>
      {showConflicts && (
        <>
          <Status query={conflicts} what="the conflicts" />
          {conflicts.data !== undefined &&
            (conflicts.data.items.length === 0 ? (
              <p>No overlapping campaign.</p>
            ) : (
              <ul className="conflicts">
                {conflicts.data.items.map((k, i) => (
                  <li key={i}>
                    {k.reason === 'same-technique' ? 'Same technique' : 'Active at the same time'} on{' '}
                    {k.targets.map((t) => t.overlap).join(', ')} until <When at={k.until} />
                    {k.campaign !== null && (
                      <>
                        {' '}
                        — {k.campaign.name} (<OrgName id={k.campaign.orgId} />, {k.campaign.state})
                      </>
                    )}
                  </li>
                ))}
              </ul>
            ))}
        </>
      )}
      {mayAsk && live && (
        <form onSubmit={submit} aria-label={`Ask ${c.name} to stop`}>
          <label htmlFor={`stop-reason-${c.id}`}>Reason to stop</label>
          <input id={`stop-reason-${c.id}`} name="reason" required maxLength={1000} />
          <button type="submit" disabled={ask.isPending}>
            Ask to stop
          </button>
        </form>
      )}
      {(stop.isError || ask.isError) && <p role="alert">{(stop.error ?? ask.error)?.message}</p>}
      {ask.isSuccess && <p role="status">The owner's stop contact was told.</p>}
    </article>
  );
}
