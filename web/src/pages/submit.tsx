import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, dataOf, upload } from '../api/client';
import type { paths } from '../api/schema';

type Answer = paths['/api/v1/submissions']['post']['responses'][201]['content']['application/json'];
type Tlp = NonNullable<NonNullable<paths['/api/v1/submissions']['post']['parameters']['query']>['tlp']>;

/** The labels a file may be sent under from here; RED names its readers one by one, through the API. */
const TLP_CHOICES: readonly Tlp[] = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT'];

/** Submit a document of findings and see, per finding, whether it is new or a duplicate; then my reports' verdicts. */
export function SubmitFindings() {
  const queries = useQueryClient();
  const [tlp, setTlp] = useState<Tlp>('AMBER');
  const submit = useMutation({
    mutationFn: ({ file }: { file: File }) => upload<Answer>('/api/v1/submissions', file, { tlp }),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['my-reports'] }),
  });
  const mine = useQuery({
    queryKey: ['my-reports'],
    queryFn: async () => dataOf(await api.GET('/api/v1/validation/my-reports', { params: { query: { limit: 100 } } })),
  });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const file = new FormData(event.currentTarget).get('document');
    if (file instanceof File && file.size > 0) submit.mutate({ file });
  };
  const answer = submit.data;

  return (
    <section aria-labelledby="submit-title">
      <h1 id="submit-title">Submit findings</h1>
      <p>
        SARIF 2.1.0, OSV, CVE JSON 5, CSAF 2.0 or the native format. Whatever the label, the clearinghouse's analysts and admins read what
        it is sent.
      </p>
      <form onSubmit={onSubmit}>
        <label htmlFor="document">Document</label>
        <input id="document" name="document" type="file" required />
        <label htmlFor="tlp">Label</label>
        <select id="tlp" value={tlp} onChange={(e) => setTlp(e.target.value as Tlp)}>
          {TLP_CHOICES.map((label) => (
            <option key={label} value={label}>
              TLP:{label}
            </option>
          ))}
        </select>
        <button type="submit" disabled={submit.isPending}>
          Submit
        </button>
      </form>
      {submit.isError && <p role="alert">{submit.error.message}</p>}
      {answer !== undefined && (
        <>
          <h2>Answer</h2>
          <p role="status">
            {answer.repeated ? 'These bytes were submitted before; nothing was stored again. ' : ''}
            {answer.findings.length} findings: {answer.findings.filter((f) => f.outcome === 'new').length} new,{' '}
            {answer.findings.filter((f) => f.outcome === 'duplicate').length} duplicates. Readers: {answer.submission.readers}
          </p>
          <table className="answer">
            <thead>
              <tr>
                <th scope="col">Finding</th>
                <th scope="col">Outcome</th>
                <th scope="col">Cluster</th>
                <th scope="col">First seen</th>
              </tr>
            </thead>
            <tbody>
              {answer.findings.map((f) => (
                <tr key={f.ref}>
                  <td>{f.ref}</td>
                  <td>{f.outcome}</td>
                  <td>
                    <Link to={`/clusters/${f.clusterId}`}>{f.clusterId}</Link>
                  </td>
                  <td>
                    {f.firstReportHidden ? (
                      'a report you may not see came first'
                    ) : f.firstSeenAt === null ? (
                      '—'
                    ) : (
                      <time dateTime={f.firstSeenAt}>{new Date(f.firstSeenAt).toLocaleString()}</time>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h2>My reports</h2>
      {mine.isError && <p role="alert">{mine.error.message}</p>}
      {mine.data !== undefined &&
        (mine.data.items.length === 0 ? (
          <p>No report yet.</p>
        ) : (
          <ul className="my-reports">
            {mine.data.items.map((r) => (
              <li key={r.clusterId}>
                <Link to={`/clusters/${r.clusterId}`}>{r.clusterId}</Link>: {r.state}
                {r.verdict !== null && ` (${r.verdict.verdict}${r.verdict.reasonLabel ? `: ${r.verdict.reasonLabel}` : ''})`}, {r.reports}{' '}
                reports
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}
