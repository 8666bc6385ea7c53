import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, dataOf } from '../api/client';
import type { paths } from '../api/schema';
import { More, Status, usePaged } from '../parts/paged';
import type { CaseDetail } from './case-workspace';

type Role = NonNullable<paths['/api/v1/cases/{id}/participants']['post']['requestBody']['content']['application/json']['role']>;
type OrgKind = NonNullable<NonNullable<paths['/api/v1/orgs']['get']['parameters']['query']>['kind']>;
/** Every participant role (a new one is a compile error here), in the form's words, and the kind of organisation it takes. */
const ROLES: Record<Role, { words: string; kind: OrgKind | undefined }> = {
  vendor: { words: 'vendor', kind: 'vendor' },
  reporter: { words: 'reporter', kind: undefined },
  observer: { words: 'observer', kind: undefined },
  coordinator: { words: 'coordinator', kind: 'coordinator' },
};

/**
 * Adds an organisation to the case, or approves a suggested vendor (coordinators): it takes part and is told
 * at once; the first vendor starts the default embargo.
 */
export function AddParticipant({ detail }: { detail: CaseDetail }) {
  const queries = useQueryClient();
  const [role, setRole] = useState<Role>('vendor');
  const kind = ROLES[role].kind;
  const taking = new Set(detail.participants.filter((p) => p.state === 'active').map((p) => p.orgId));
  const orgs = usePaged(['orgs', kind], async (cursor) =>
    dataOf(await api.GET('/api/v1/orgs', { params: { query: { kind, cursor, limit: 200 } } })),
  );
  const add = useMutation({
    mutationFn: async (body: { orgId: string; role: Role; note?: string }) =>
      dataOf(await api.POST('/api/v1/cases/{id}/participants', { params: { path: { id: detail.number } }, body })),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['case', detail.number] }),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const note = String(form.get('note') ?? '').trim();
    add.mutate({ orgId: String(form.get('orgId')), role, ...(note === '' ? {} : { note }) });
  };
  const choices = orgs.items.filter((o) => !taking.has(o.id));
  const named = new Map(orgs.items.map((o) => [o.id, o.name]));
  return (
    <form className="add-participant" onSubmit={submit} aria-labelledby="add-participant-title">
      <h3 id="add-participant-title">Add a participant</h3>
      <label htmlFor="participant-role">Role</label>
      <select id="participant-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
        {Object.entries(ROLES).map(([value, r]) => (
          <option key={value} value={value}>
            {r.words}
          </option>
        ))}
      </select>
      <Status query={orgs.query} what="the organisations" />
      <label htmlFor="participant-org">Organisation</label>
      <select id="participant-org" name="orgId" required>
        {choices.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name} ({o.kind})
          </option>
        ))}
      </select>
      {orgs.query.isSuccess && choices.length === 0 && <p>Every organisation of that kind takes part already.</p>}
      <More paged={orgs} what="organisations" />
      <label htmlFor="participant-note">Note</label>
      <input id="participant-note" name="note" maxLength={2000} />
      <button type="submit" disabled={add.isPending || choices.length === 0}>
        Add to the case
      </button>
      {add.isError && <p role="alert">{add.error.message}</p>}
      {add.isSuccess && (
        <p role="status">
          Added {named.get(add.data.orgId) ?? add.data.orgId} as {add.data.role}; told at once.
        </p>
      )}
    </form>
  );
}
