import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiProblem, api, dataOf } from '../api/client';
import { More, Status, usePaged } from '../parts/paged';
import { When } from '../parts/when';
import { useSession } from '../session';
import { TlpTag, useTlpLabels } from '../tlp';
import { RemediationCurves } from './remediation-curves';

const STATUS_WORDS = { draft: 'drafts', published: 'published' } as const;
const isStatus = (value: string | null): value is keyof typeof STATUS_WORDS => value !== null && Object.hasOwn(STATUS_WORDS, value);

/** Advisories the reader may read, newest first: the published ones, and drafts of the cases it takes part in. */
export function AdvisoriesList() {
  const [params, setParams] = useSearchParams();
  const param = params.get('status');
  const status = isStatus(param) ? param : undefined;
  const list = usePaged(['advisories', status], async (cursor) =>
    dataOf(await api.GET('/api/v1/advisories', { params: { query: { status, cursor, limit: 50 } } })),
  );
  useTlpLabels(list.items.map((a) => a.tlp));
  return (
    <section aria-labelledby="advisories-title">
      <h1 id="advisories-title">Advisories</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="filter-status">Show</label>
        <select
          id="filter-status"
          value={status ?? ''}
          onChange={(e) => setParams(e.target.value === '' ? {} : { status: e.target.value })}
        >
          <option value="">all</option>
          {Object.entries(STATUS_WORDS).map(([value, words]) => (
            <option key={value} value={value}>
              {words}
            </option>
          ))}
        </select>
      </form>
      <Status query={list.query} what="the advisories" />
      {list.query.isSuccess && list.items.length === 0 && <p>No advisory you may read.</p>}
      {list.items.length > 0 && (
        <table className="advisories">
          <thead>
            <tr>
              <th scope="col">Advisory</th>
              <th scope="col">Status</th>
              <th scope="col">Version</th>
              <th scope="col">Published</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((a) => (
              <tr key={a.id}>
                <td>
                  <Link to={`/advisories/${a.trackingId}`}>
                    {a.trackingId}: {a.title}
                  </Link>{' '}
                  <TlpTag tlp={a.tlp} />
                </td>
                <td>{a.status}</td>
                <td className="number">{a.version}</td>
                <td>
                  <When at={a.publishedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <More paged={list} what="advisories" />
    </section>
  );
}

interface CsafDraft {
  document?: { title?: string; notes?: { category?: string; text?: string }[]; distribution?: { tlp?: { label?: string } } };
  vulnerabilities?: { cve?: string; title?: string; product_status?: Record<string, string[]> }[];
}

/**
 * One advisory: its state and revisions, the draft as the case's readers read it, publishing (coordinators),
 * and the signed CSAF files to download. A case number with no advisory yet offers coordinators the draft.
 */
export function AdvisoryPage() {
  const id = useParams().id ?? '';
  const { session } = useSession();
  const queries = useQueryClient();
  const decides = session.org.kind === 'coordinator' && (session.user.role === 'admin' || session.user.role === 'analyst');
  const path = { params: { path: { id } } };
  const advisory = useQuery({ queryKey: ['advisory', id], queryFn: async () => dataOf(await api.GET('/api/v1/advisories/{id}', path)) });
  const draft = useQuery({
    queryKey: ['advisory', id, 'draft'],
    queryFn: async () =>
      dataOf(await api.GET('/api/v1/advisories/{id}/document', { params: { path: { id }, query: { draft: true } } })) as CsafDraft,
    enabled: advisory.data?.draftReadable === true,
  });
  const refresh = () => void queries.invalidateQueries({ queryKey: ['advisory', id] });
  const generate = useMutation({
    mutationFn: async () => dataOf(await api.POST('/api/v1/advisories', { body: { caseId: id } })),
    onSuccess: refresh,
  });
  const publish = useMutation({
    mutationFn: async () => dataOf(await api.POST('/api/v1/advisories/{id}/publish', path)),
    onSuccess: refresh,
  });
  useTlpLabels(advisory.data === undefined ? [] : [advisory.data.tlp]);

  const missing = advisory.error instanceof ApiProblem && advisory.error.status === 404;
  if (advisory.isError) {
    return (
      <section aria-labelledby="advisory-title">
        <h1 id="advisory-title">Advisory {id}</h1>
        <p role="alert">{missing ? 'No advisory for you here yet.' : advisory.error.message}</p>
        {missing && decides && (
          <button type="button" onClick={() => generate.mutate()} disabled={generate.isPending}>
            Generate the draft from the approved statements
          </button>
        )}
        {generate.isError && <p role="alert">{generate.error.message}</p>}
      </section>
    );
  }
  if (advisory.data === undefined) return <p>Loading the advisory…</p>;
  const a = advisory.data;
  const doc = `/api/v1/advisories/${a.id}/document`;
  return (
    <section aria-labelledby="advisory-title">
      <h1 id="advisory-title">
        {a.trackingId}: {a.title}
      </h1>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          {a.status} <TlpTag tlp={a.tlp} />
        </dd>
        <dt>Category</dt>
        <dd>{a.category}</dd>
        <dt>Case</dt>
        <dd>
          <Link to={`/cases/${a.trackingId}`}>{a.trackingId}</Link>
        </dd>
        <dt>Published</dt>
        <dd>{a.publishedAt === null ? 'not yet' : <When at={a.publishedAt} />}</dd>
      </dl>
      {a.path !== null && (
        <p className="downloads">
          Signed CSAF: <a href={a.path}>document</a> · <a href={`${a.path}.asc`}>OpenPGP signature</a> ·{' '}
          <a href={`${a.path}.sha256`}>SHA-256</a> · <a href={`/api/v1/advisories/${a.id}/vex.cdx.json`}>CycloneDX VEX</a>
        </p>
      )}
      {decides && (
        <div className="actions">
          <button type="button" onClick={() => generate.mutate()} disabled={generate.isPending}>
            Refresh the draft
          </button>
          <button type="button" onClick={() => publish.mutate()} disabled={publish.isPending}>
            Publish as TLP:CLEAR
          </button>
        </div>
      )}
      {generate.isError && <p role="alert">{generate.error.message}</p>}
      {publish.isError && <p role="alert">{publish.error.message}</p>}
      {publish.isSuccess && <p role="status">Published: version {publish.data.version}.</p>}

      {a.revisions.length > 0 && (
        <>
          <h2>Revisions</h2>
          <table className="revisions">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Published</th>
                <th scope="col">Summary</th>
                <th scope="col">SHA-256</th>
              </tr>
            </thead>
            <tbody>
              {a.revisions.map((r) => (
                <tr key={r.number}>
                  <td className="number">
                    <a href={`${doc}?revision=${r.number}`} download={`${a.trackingId}-${r.number}.json`}>
                      {r.number}
                    </a>
                  </td>
                  <td>
                    <When at={r.publishedAt} />
                  </td>
                  <td>{r.summary}</td>
                  <td className="hash">{r.sha256}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      {session.org.kind === 'coordinator' && a.publishedAt !== null && <RemediationCurves advisoryId={a.trackingId} />}

      {a.draftReadable && (
        <>
          <h2>Draft</h2>
          <p>
            <a href={`${doc}?draft=true`} download={`${a.trackingId}-draft.json`}>
              Download the draft CSAF
            </a>
          </p>
          <Status query={draft} what="the draft" />
          {draft.data !== undefined && <DraftView draft={draft.data} />}
        </>
      )}
    </section>
  );
}

function DraftView({ draft }: { draft: CsafDraft }) {
  return (
    <div className="draft">
      <h3>{draft.document?.title ?? 'untitled'}</h3>
      {(draft.document?.notes ?? []).map((n, i) => (
        <p key={i}>
          <strong>{n.category}</strong>: {n.text}
        </p>
      ))}
      <ul>
        {(draft.vulnerabilities ?? []).map((v, i) => (
          <li key={i}>
            {v.cve ?? v.title ?? 'vulnerability'}:{' '}
            {Object.entries(v.product_status ?? {})
              .map(([status, products]) => `${status.replaceAll('_', ' ')} (${products.length})`)
              .join(', ')}
          </li>
        ))}
      </ul>
    </div>
  );
}
