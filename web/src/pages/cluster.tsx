import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { ApiProblem, api, dataOf } from '../api/client';
import type { paths } from '../api/schema';
import { OrgName } from '../parts/org-name';
import { offers, useSession } from '../session';
import { TlpTag, useTlpLabels } from '../tlp';
import { OpenCaseForm } from './case-open';
import { DiffToggle, EvidenceUpload } from './cluster-extras';
import { Priority } from './priority';
import { AttemptForm, useValidates } from './validation-attempt';

type VerdictBody = paths['/api/v1/validation/clusters/{id}/verdict']['post']['requestBody']['content']['application/json'];
type InvalidReason = NonNullable<VerdictBody['reason']>;
/** Every reason the API takes (the type makes a new one a compile error here), in the words the form shows. */
const REASON_WORDS: Record<InvalidReason, string> = {
  not_reproducible: 'not reproducible',
  false_positive: 'false positive',
  not_a_security_issue: 'not a security issue',
  out_of_scope: 'out of scope',
  duplicate: 'a duplicate',
  already_fixed_public: 'already fixed in public',
};

/** A 404 is an answer here (the part is not for this reader), not a failure. */
async function orNull<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof ApiProblem && (error.status === 404 || error.status === 403)) return null;
    throw error;
  }
}

/** One cluster: its reports side by side, validation (attempts, evidence, history), near duplicates, the verdict form. */
export function ClusterPage() {
  const id = useParams().id ?? '';
  const { session } = useSession();
  const validates = useValidates();
  const path = { params: { path: { id } } };
  const cluster = useQuery({ queryKey: ['cluster', id], queryFn: async () => dataOf(await api.GET('/api/v1/clusters/{id}', path)) });
  const view = useQuery({
    queryKey: ['validation', id],
    queryFn: () => orNull(async () => dataOf(await api.GET('/api/v1/validation/clusters/{id}', path))),
  });
  const candidates = useQuery({
    queryKey: ['candidates', id],
    queryFn: () => orNull(async () => dataOf(await api.GET('/api/v1/clusters/{id}/candidates', path))),
  });
  useTlpLabels(cluster.data?.findings.map((f) => f.tlp) ?? []);

  if (cluster.isPending) return <p>Loading…</p>;
  if (cluster.isError) {
    return (
      <section aria-labelledby="cluster-title">
        <h1 id="cluster-title">Cluster {id}</h1>
        <p role="alert">
          {cluster.error instanceof ApiProblem && cluster.error.status === 404 ? 'No such cluster for you.' : cluster.error.message}
        </p>
      </section>
    );
  }
  const c = cluster.data;
  return (
    <section aria-labelledby="cluster-title">
      <h1 id="cluster-title">{c.title ?? c.id}</h1>
      <dl className="facts">
        <dt>Target</dt>
        <dd>{c.targetIdentity ?? 'not named'}</dd>
        <dt>State</dt>
        <dd>{view.data?.state ?? c.state}</dd>
        <dt>CWEs</dt>
        <dd>{c.cwes.join(', ') || 'none'}</dd>
        <dt>Aliases</dt>
        <dd>{c.aliases.join(', ') || 'none'}</dd>
        <dt>Reports</dt>
        <dd>
          {c.findingCount} from {c.reporterCount} reporters
        </dd>
      </dl>

      <h2>Reports</h2>
      <div className="reports">
        {c.findings.map((f) => (
          <article key={f.id} className="report" aria-label={`report ${f.id}`}>
            <h3>{f.title ?? f.ref}</h3>
            <TlpTag tlp={f.tlp} />
            <dl>
              <dt>Reporter</dt>
              <dd>
                <OrgName id={f.reporterOrgId} />
              </dd>
              <dt>Format</dt>
              <dd>{f.format}</dd>
              <dt>Tool</dt>
              <dd>
                {f.tool ?? 'unknown'}
                {f.model !== null && ` (${f.model})`}
                {f.aiGenerated === true && ', AI-generated'}
              </dd>
              <dt>Outcome</dt>
              <dd>{f.outcome}</dd>
              <dt>Received</dt>
              <dd>
                <time dateTime={f.createdAt}>{new Date(f.createdAt).toLocaleString()}</time>
              </dd>
            </dl>
          </article>
        ))}
      </div>

      {offers(session).triage && <Priority subjectId={id} />}

      {candidates.data !== undefined && candidates.data !== null && (
        <>
          <h2>Near-duplicate candidates</h2>
          {candidates.data.items.length === 0 ? (
            <p>None.</p>
          ) : (
            <ul>
              {candidates.data.items.map((k) => (
                <li key={k.id}>
                  <Link to={`/clusters/${k.other.id}`}>{k.other.title ?? k.other.id}</Link> — similarity {k.similarity.toFixed(2)}:{' '}
                  {k.reason} ({k.status}) <DiffToggle cluster={c} otherId={k.other.id} label={k.other.title ?? k.other.id} />
                </li>
              ))}
            </ul>
          )}
        </>
      )}

      {view.data !== undefined && view.data !== null && (
        <>
          <h2>Validation</h2>
          <p>
            Quorum: {view.data.quorum.confirmations} of {view.data.quorum.needed} confirmations ({view.data.quorum.because})
            {view.data.verdict !== null &&
              `; verdict ${view.data.verdict.verdict}${view.data.verdict.reasonLabel ? ` (${view.data.verdict.reasonLabel})` : ''}`}
          </p>
          <h3>Attempts</h3>
          {view.data.attempts.length === 0 ? (
            <p>No validation attempt yet.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">Validator</th>
                  <th scope="col">Against</th>
                  <th scope="col">Reproduced</th>
                  <th scope="col">When</th>
                </tr>
              </thead>
              <tbody>
                {view.data.attempts.map((a) => (
                  <tr key={a.id}>
                    <td>
                      <OrgName id={a.validatorOrgId} />
                    </td>
                    <td>
                      {a.artifact} {a.affectedBuild}
                      {a.fixedBuild !== null && ` (fixed: ${a.fixedBuild})`}
                    </td>
                    <td>{a.confirms ? 'confirms' : a.reproducedOnAffected ? 'reproduced, not confirmed' : 'did not reproduce'}</td>
                    <td>
                      <time dateTime={a.createdAt}>{new Date(a.createdAt).toLocaleString()}</time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3>Evidence</h3>
          {view.data.evidence.length === 0 ? (
            <p>No evidence you may see.</p>
          ) : (
            <ul>
              {view.data.evidence.map((e) => (
                <li key={e.id}>
                  <a href={`/api/v1/validation/evidence/${e.id}/content`} download={e.filename}>
                    {e.filename}
                  </a>{' '}
                  ({e.kind}, {e.size} bytes) <TlpTag tlp={e.tlp} />
                </li>
              ))}
            </ul>
          )}
          {offers(session).submit && <EvidenceUpload clusterId={id} />}
          {validates && <AttemptForm clusterId={id} state={view.data.state} />}
          {offers(session).decides && view.data.allowedNext.length > 0 && <VerdictForm id={id} allowed={view.data.allowedNext} />}
          {offers(session).decides && view.data.state === 'accepted' && <OpenCaseForm clusterId={id} title={c.title} />}
        </>
      )}
    </section>
  );
}

function VerdictForm({ id, allowed }: { id: string; allowed: readonly string[] }) {
  const queries = useQueryClient();
  const [state, setState] = useState(allowed[0] ?? '');
  const decide = useMutation({
    mutationFn: async (body: VerdictBody) =>
      dataOf(await api.POST('/api/v1/validation/clusters/{id}/verdict', { params: { path: { id } }, body })),
    onSuccess: (view) => {
      queries.setQueryData(['validation', id], view);
      void queries.invalidateQueries({ queryKey: ['queue'] });
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const note = String(form.get('note') ?? '');
    const reason = form.get('reason');
    decide.mutate({
      state: state as VerdictBody['state'],
      ...(note === '' ? {} : { note }),
      ...(state === 'invalid' && typeof reason === 'string' ? { reason: reason as VerdictBody['reason'] } : {}),
    });
  };
  return (
    <form className="verdict" onSubmit={submit} aria-labelledby="verdict-title">
      <h3 id="verdict-title">Verdict</h3>
      <label htmlFor="verdict-state">Move to</label>
      <select id="verdict-state" value={state} onChange={(e) => setState(e.target.value)}>
        {allowed.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      {state === 'invalid' && (
        <>
          <label htmlFor="verdict-reason">Reason</label>
          <select id="verdict-reason" name="reason">
            {Object.entries(REASON_WORDS).map(([reason, words]) => (
              <option key={reason} value={reason}>
                {words}
              </option>
            ))}
          </select>
        </>
      )}
      <label htmlFor="verdict-note">Note (the reporter reads it)</label>
      <textarea id="verdict-note" name="note" maxLength={4000} />
      <button type="submit" disabled={decide.isPending}>
        Record verdict
      </button>
      {decide.isError && <p role="alert">{decide.error.message}</p>}
      {decide.isSuccess && <p role="status">Recorded: the cluster is now {decide.data.state}.</p>}
    </form>
  );
}
