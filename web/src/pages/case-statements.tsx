import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, dataOf } from '../api/client';
import type { paths } from '../api/schema';
import { OrgName } from '../parts/org-name';
import { Status } from '../parts/paged';
import { useSession } from '../session';
import type { CaseDetail } from './case-workspace';

type StatementBody = paths['/api/v1/cases/{id}/statements']['post']['requestBody']['content']['application/json'];
type Statement = paths['/api/v1/cases/{id}/statements']['get']['responses'][200]['content']['application/json']['items'][number];
/** Every status a vendor states (a new one is a compile error here), in the form's words. */
const STATUS_WORDS: Record<StatementBody['status'], string> = {
  under_investigation: 'under investigation',
  affected: 'affected',
  not_affected: 'not affected',
  fixed: 'fixed',
};
type Justification = NonNullable<StatementBody['justification']>;
const JUSTIFICATION_WORDS: Record<Justification, string> = {
  component_not_present: 'the component is not present',
  vulnerable_code_not_present: 'the vulnerable code is not present',
  vulnerable_code_cannot_be_controlled_by_adversary: 'the vulnerable code cannot be controlled by an adversary',
  vulnerable_code_not_in_execute_path: 'the vulnerable code is not in the execute path',
  inline_mitigations_already_exist: 'inline mitigations already exist',
};

const productOf = (s: Statement) =>
  [s.product.vendor, s.product.name, s.product.version].filter(Boolean).join(' ') || s.product.purl || '?';

/**
 * The statements matrix, vendors × vulnerabilities, of the statements the reader may read (its own; others'
 * once approved and shared or disclosed; coordinators all), with the coordinator's approval; a vendor states
 * its status.
 */
export function CaseStatements({ detail }: { detail: CaseDetail }) {
  const { session } = useSession();
  const queries = useQueryClient();
  const key = ['case', detail.number, 'statements'];
  const statements = useQuery({
    queryKey: key,
    queryFn: async () => dataOf(await api.GET('/api/v1/cases/{id}/statements', { params: { path: { id: detail.number } } })),
  });
  const staff = session.user.role === 'admin' || session.user.role === 'analyst';
  const decide = useMutation({
    mutationFn: async (s: { id: string; version: number; approve: boolean }) =>
      dataOf(
        await api.POST('/api/v1/cases/statements/{id}/decision', {
          params: { path: { id: s.id } },
          body: { approve: s.approve, version: s.version },
        }),
      ),
    onSuccess: () => void queries.invalidateQueries({ queryKey: key }),
  });
  const items = statements.data?.items ?? [];
  const vendors = [
    ...new Set([
      ...detail.participants.filter((p) => p.role === 'vendor' && p.state === 'active').map((p) => p.orgId),
      ...items.map((s) => s.vendorOrgId),
    ]),
  ];

  return (
    <section aria-labelledby="statements-title">
      <h2 id="statements-title">Statements (VEX)</h2>
      <Status query={statements} what="the statements" />
      {statements.isSuccess && (
        <table className="matrix">
          <caption>Vendors × vulnerabilities: each vendor's status per product, and its approval</caption>
          <thead>
            <tr>
              <th scope="col">Vendor</th>
              {detail.vulnerabilities.map((v) => (
                <th scope="col" key={v.clusterId}>
                  {v.title ?? v.clusterId}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {vendors.map((vendor) => (
              <tr key={vendor}>
                <th scope="row">
                  <OrgName id={vendor} />
                </th>
                {detail.vulnerabilities.map((v) => {
                  const cell = items.filter((s) => s.vendorOrgId === vendor && s.clusterId === v.clusterId);
                  return (
                    <td key={v.clusterId}>
                      {cell.length === 0
                        ? 'no statement'
                        : cell.map((s) => (
                            <div key={s.id} className="statement">
                              <strong>{STATUS_WORDS[s.status]}</strong>: {productOf(s)}
                              {s.fixedVersions.length > 0 && ` (fixed in ${s.fixedVersions.join(', ')})`} — {s.approval}, version{' '}
                              {s.version}
                              {session.org.kind === 'coordinator' && staff && s.approval === 'pending' && (
                                <span className="actions">
                                  <button type="button" onClick={() => decide.mutate({ id: s.id, version: s.version, approve: true })}>
                                    Approve {productOf(s)}
                                  </button>
                                  <button type="button" onClick={() => decide.mutate({ id: s.id, version: s.version, approve: false })}>
                                    Reject {productOf(s)}
                                  </button>
                                </span>
                              )}
                            </div>
                          ))}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {decide.isError && <p role="alert">{decide.error.message}</p>}
      {staff && detail.myRole === 'vendor' && (
        <StatementForm detail={detail} onSaved={() => void queries.invalidateQueries({ queryKey: key })} />
      )}
    </section>
  );
}

function StatementForm({ detail, onSaved }: { detail: CaseDetail; onSaved: () => void }) {
  const [status, setStatus] = useState<StatementBody['status']>('under_investigation');
  const save = useMutation({
    mutationFn: async (body: StatementBody) =>
      dataOf(await api.POST('/api/v1/cases/{id}/statements', { params: { path: { id: detail.number } }, body })),
    onSuccess: onSaved,
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => {
      const value = String(form.get(name) ?? '').trim();
      return value === '' ? undefined : value;
    };
    const fixed = text('fixedVersions');
    save.mutate({
      clusterId: String(form.get('clusterId')),
      status,
      product: { purl: text('purl'), name: text('name'), version: text('version') },
      ...(status === 'not_affected' ? { justification: form.get('justification') as Justification } : {}),
      ...(fixed === undefined
        ? {}
        : {
            fixedVersions: fixed
              .split(',')
              .map((v) => v.trim())
              .filter(Boolean),
          }),
      fixUrl: text('fixUrl'),
      fixText: text('fixText'),
      text: text('text'),
      shareBeforePublication: form.get('share') === 'on',
    });
  };
  return (
    <form className="statement-form" onSubmit={submit} aria-labelledby="state-title">
      <h3 id="state-title">State your status</h3>
      <label htmlFor="statement-vulnerability">Vulnerability</label>
      <select id="statement-vulnerability" name="clusterId">
        {detail.vulnerabilities.map((v) => (
          <option key={v.clusterId} value={v.clusterId}>
            {v.title ?? v.clusterId}
          </option>
        ))}
      </select>
      <label htmlFor="statement-status">Status</label>
      <select id="statement-status" value={status} onChange={(e) => setStatus(e.target.value as StatementBody['status'])}>
        {Object.entries(STATUS_WORDS).map(([value, words]) => (
          <option key={value} value={value}>
            {words}
          </option>
        ))}
      </select>
      {status === 'not_affected' && (
        <>
          <label htmlFor="statement-justification">Justification</label>
          <select id="statement-justification" name="justification">
            {Object.entries(JUSTIFICATION_WORDS).map(([value, words]) => (
              <option key={value} value={value}>
                {words}
              </option>
            ))}
          </select>
        </>
      )}
      <label htmlFor="statement-purl">Product purl</label>
      <input id="statement-purl" name="purl" maxLength={500} defaultValue={detail.vulnerabilities[0]?.purls[0] ?? ''} />
      <label htmlFor="statement-name">or name</label>
      <input id="statement-name" name="name" maxLength={500} />
      <label htmlFor="statement-version">Version</label>
      <input id="statement-version" name="version" maxLength={500} />
      <label htmlFor="statement-fixed">Fixed in (versions, comma-separated)</label>
      <input id="statement-fixed" name="fixedVersions" maxLength={2000} />
      {(status === 'fixed' || status === 'affected') && (
        <>
          <label htmlFor="statement-fix-url">Where to get the fix (URL)</label>
          <input id="statement-fix-url" name="fixUrl" type="url" maxLength={2000} />
          <label htmlFor="statement-fix-text">or how</label>
          <input id="statement-fix-text" name="fixText" maxLength={2000} />
        </>
      )}
      <label htmlFor="statement-text">Note</label>
      <textarea id="statement-text" name="text" maxLength={10_000} />
      <label>
        <input type="checkbox" name="share" /> Share with the other participants before publication
      </label>
      <button type="submit" disabled={save.isPending}>
        Save the statement
      </button>
      {save.isError && <p role="alert">{save.error.message}</p>}
      {save.isSuccess && (
        <p role="status">
          Saved: {STATUS_WORDS[save.data.status]}, version {save.data.version}, {save.data.approval}.
        </p>
      )}
    </form>
  );
}
