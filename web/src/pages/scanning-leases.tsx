import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, dataOf } from '../api/client';
import type { paths } from '../api/schema';
import { OrgName } from '../parts/org-name';
import { Options } from '../parts/options';
import { Status } from '../parts/paged';
import { When } from '../parts/when';
import { offers, useSession } from '../session';

type Technique = paths['/api/v1/scanning/leases']['post']['requestBody']['content']['application/json']['technique'];
type Held = paths['/api/v1/scanning/targets/status']['get']['responses'][200]['content']['application/json']['leases'][number];
/** Every technique (a new one is a compile error here), in the page's words. */
export const TECHNIQUE_WORDS: Record<Technique, string> = {
  source_review: 'source review',
  sast: 'static analysis',
  fuzzing: 'fuzzing',
  dynamic: 'dynamic testing',
  network: 'network scanning',
};

/**
 * Leases on one scan target: who holds it for which technique until when (as far as the reader may see), the
 * campaigns planned on it; claiming it (staff), and renewing or giving back the reader's own leases.
 */
export function ScanningLeases() {
  const { session } = useSession();
  const [target, setTarget] = useState<string | null>(null);
  const status = useQuery({
    queryKey: ['scan-target', target],
    queryFn: async () => dataOf(await api.GET('/api/v1/scanning/targets/status', { params: { query: { target: target! } } })),
    enabled: target !== null,
  });
  const look = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setTarget(String(new FormData(event.currentTarget).get('target') ?? '').trim());
  };
  return (
    <section aria-labelledby="leases-title">
      <h2 id="leases-title">Leases</h2>
      <p className="why">A lease tells other scanners a target is being scanned with a technique until it expires.</p>
      <form className="filters" onSubmit={look} aria-label="Look up a target">
        <label htmlFor="lease-target">Target</label>
        <input id="lease-target" name="target" required maxLength={2000} placeholder="pkg:npm/left-pad, 10.0.0.0/24, host name" />
        <button type="submit">Look up</button>
      </form>
      {target !== null && <Status query={status} what="the target" />}
      {status.data !== undefined && (
        <>
          {status.data.leases.length === 0 ? (
            <p>No live lease on {status.data.target}.</p>
          ) : (
            <table className="leases">
              <caption>Live leases on {status.data.target}</caption>
              <thead>
                <tr>
                  <th scope="col">Holder</th>
                  <th scope="col">Technique</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {status.data.leases.map((l, i) => (
                  <LeaseRow key={l.leaseId ?? i} lease={l} />
                ))}
              </tbody>
            </table>
          )}
          {status.data.campaigns.length > 0 && (
            <p>
              Campaigns on it:{' '}
              {status.data.campaigns
                .map((c) => `${c.campaign?.name ?? 'a campaign you may not see'} (${TECHNIQUE_WORDS[c.technique]}, ${c.state})`)
                .join('; ')}
            </p>
          )}
          {offers(session).claimsLeases && <ClaimLease target={status.data.target} />}
        </>
      )}
    </section>
  );
}

function LeaseRow({ lease: l }: { lease: Held }) {
  const { session } = useSession();
  const queries = useQueryClient();
  const mine = l.leaseId !== null && l.holder.orgId === session.org.id && offers(session).claimsLeases;
  const done = () => void queries.invalidateQueries({ queryKey: ['scan-target'] });
  const renew = useMutation({
    mutationFn: async (id: string) =>
      dataOf(await api.POST('/api/v1/scanning/leases/{id}/renew', { params: { path: { id } }, body: { seconds: 3600 } })),
    onSuccess: done,
  });
  const release = useMutation({
    mutationFn: async (id: string) => dataOf(await api.POST('/api/v1/scanning/leases/{id}/release', { params: { path: { id } } })),
    onSuccess: done,
  });
  const failed = renew.error ?? release.error;
  return (
    <tr>
      <td>
        {l.holder.orgId === null ? (
          'another organisation'
        ) : l.holder.orgName !== null && l.holder.orgId !== session.org.id ? (
          l.holder.orgName
        ) : (
          <OrgName id={l.holder.orgId} />
        )}
        {l.holder.campaignId !== null && <div className="why">campaign {l.holder.campaignId}</div>}
      </td>
      <td>{TECHNIQUE_WORDS[l.technique]}</td>
      <td>
        <When at={l.expiresAt} />
      </td>
      <td>
        {mine && (
          <span className="actions">
            <button type="button" onClick={() => renew.mutate(l.leaseId!)} disabled={renew.isPending}>
              Renew for an hour
            </button>
            <button type="button" onClick={() => release.mutate(l.leaseId!)} disabled={release.isPending}>
              Release
            </button>
          </span>
        )}
        {failed !== null && <p role="alert">{failed.message}</p>}
      </td>
    </tr>
  );
}

function ClaimLease({ target }: { target: string }) {
  const queries = useQueryClient();
  const claim = useMutation({
    mutationFn: async (body: { target: string; technique: Technique; seconds: number; campaignId?: string }) =>
      dataOf(await api.POST('/api/v1/scanning/leases', { body })),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['scan-target'] }),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const campaignId = String(form.get('campaignId') ?? '').trim();
    claim.mutate({
      target,
      technique: form.get('technique') as Technique,
      seconds: Number(form.get('minutes')) * 60,
      ...(campaignId === '' ? {} : { campaignId }),
    });
  };
  return (
    <form onSubmit={submit} aria-label={`Claim ${target}`} className="filters">
      <label htmlFor="claim-technique">Technique</label>
      <select id="claim-technique" name="technique">
        <Options words={TECHNIQUE_WORDS} />
      </select>
      <label htmlFor="claim-minutes">Minutes</label>
      <input id="claim-minutes" name="minutes" type="number" min={1} max={1440} defaultValue={60} required />
      <label htmlFor="claim-campaign">Campaign id (network targets)</label>
      <input id="claim-campaign" name="campaignId" maxLength={64} />
      <button type="submit" disabled={claim.isPending}>
        Claim the lease
      </button>
      {claim.isError && <p role="alert">{claim.error.message}</p>}
      {claim.isSuccess && (
        <p role="status">
          Leased until <When at={claim.data.expiresAt} />.
        </p>
      )}
    </form>
  );
}
