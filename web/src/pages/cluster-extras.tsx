import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, dataOf, uploadRaw } from '../api/client';
import type { paths } from '../api/schema';
import { TLP_ORDER } from '../tlp';

type Cluster = paths['/api/v1/clusters/{id}']['get']['responses'][200]['content']['application/json'];
type EvidenceKind = NonNullable<NonNullable<paths['/api/v1/validation/clusters/{id}/evidence']['post']['parameters']['query']>['kind']>;
/** Every evidence kind (a new one is a compile error here), in the form's words. */
const KIND_WORDS: Record<EvidenceKind, string> = {
  proof_of_concept: 'proof of concept',
  log: 'log',
  reproduction_steps: 'reproduction steps',
  other: 'other',
};

const facts = (c: Cluster): [string, string][] => [
  ['Title', c.title ?? ''],
  ['Target', c.targetIdentity ?? ''],
  ['CWEs', c.cwes.join(', ')],
  ['Aliases', c.aliases.join(', ')],
  ['Reports', c.findings.map((f) => f.title ?? f.ref).join('; ')],
];

/** A near-duplicate side by side with this cluster: each fact of both, the differing ones marked. */
export function NearDuplicateDiff({ cluster, otherId }: { cluster: Cluster; otherId: string }) {
  const other = useQuery({
    queryKey: ['cluster', otherId],
    queryFn: async () => dataOf(await api.GET('/api/v1/clusters/{id}', { params: { path: { id: otherId } } })),
  });
  if (other.isPending) return <p>Loading the candidate…</p>;
  if (other.isError) return <p role="alert">{other.error.message}</p>;
  const theirs = new Map(facts(other.data));
  return (
    <table className="diff">
      <caption>This cluster and {other.data.title ?? otherId}, side by side (differences marked)</caption>
      <thead>
        <tr>
          <th scope="col">Fact</th>
          <th scope="col">This cluster</th>
          <th scope="col">Candidate</th>
        </tr>
      </thead>
      <tbody>
        {facts(cluster).map(([name, ours]) => {
          const differs = ours !== theirs.get(name);
          return (
            <tr key={name} className={differs ? 'differs' : undefined}>
              <th scope="row">
                {name}
                {differs && <span className="marker"> (differs)</span>}
              </th>
              <td>{ours || '—'}</td>
              <td>{theirs.get(name) || '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Toggles the diff of one candidate. */
export function DiffToggle({ cluster, otherId, label }: { cluster: Cluster; otherId: string; label: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" aria-expanded={open} onClick={() => setOpen((v) => !v)}>
        {open ? 'Hide' : 'Compare with'} {label}
      </button>
      {open && <NearDuplicateDiff cluster={cluster} otherId={otherId} />}
    </>
  );
}

/** Evidence upload: the raw file, its kind and TLP (RED unless chosen otherwise, as the API defaults). */
export function EvidenceUpload({ clusterId }: { clusterId: string }) {
  const queries = useQueryClient();
  const send = useMutation({
    mutationFn: async (input: { file: File; kind: string; tlp: string }) =>
      uploadRaw<{ id: string; filename: string }>(`/api/v1/validation/clusters/${encodeURIComponent(clusterId)}/evidence`, input.file, {
        filename: input.file.name,
        kind: input.kind,
        tlp: input.tlp,
      }),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['validation', clusterId] }),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const file = form.get('file');
    if (file instanceof File && file.size > 0) send.mutate({ file, kind: String(form.get('kind')), tlp: String(form.get('tlp')) });
  };
  return (
    <form onSubmit={submit} aria-labelledby="evidence-upload-title">
      <h3 id="evidence-upload-title">Add evidence</h3>
      <label htmlFor="evidence-file">File</label>
      <input id="evidence-file" name="file" type="file" required />
      <label htmlFor="evidence-kind">Kind</label>
      <select id="evidence-kind" name="kind">
        {Object.entries(KIND_WORDS).map(([value, words]) => (
          <option key={value} value={value}>
            {words}
          </option>
        ))}
      </select>
      <label htmlFor="evidence-tlp">TLP</label>
      <select id="evidence-tlp" name="tlp" defaultValue="RED">
        {TLP_ORDER.map((label) => (
          <option key={label} value={label}>
            TLP:{label}
          </option>
        ))}
      </select>
      <button type="submit" disabled={send.isPending}>
        Upload the evidence
      </button>
      {send.isError && <p role="alert">{send.error.message}</p>}
      {send.isSuccess && <p role="status">Uploaded {send.data.filename}.</p>}
    </form>
  );
}
