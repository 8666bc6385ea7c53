import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, dataOf } from '../api/client';
import type { paths } from '../api/schema';
import { OrgName } from '../parts/org-name';
import { Options } from '../parts/options';
import { More, Status, usePaged } from '../parts/paged';
import { When } from '../parts/when';
import { useSession } from '../session';

type OrgKind = paths['/api/v1/orgs']['post']['requestBody']['content']['application/json']['kind'];
type Role = NonNullable<paths['/api/v1/orgs/{id}/users']['post']['requestBody']['content']['application/json']['role']>;
/** Every organisation kind (a new one is a compile error here), in the form's words. */
const KIND_WORDS: Record<OrgKind, string> = {
  coordinator: 'coordinator',
  agency: 'agency',
  model_developer: 'model developer',
  vendor: 'vendor',
  operator: 'operator',
  researcher: 'researcher',
};
const ROLE_WORDS: Record<Role, string> = { admin: 'admin', analyst: 'analyst', viewer: 'viewer' };

/** Administration: the coordinator's admins manage organisations; every admin manages its organisation's users. */
export function AdminPage() {
  const { session } = useSession();
  const coordinator = session.org.kind === 'coordinator';
  const [orgId, setOrgId] = useState(session.org.id);
  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">Administration</h1>
      {coordinator && <Organisations selected={orgId} onSelect={setOrgId} />}
      <Users key={orgId} orgId={orgId} />
    </section>
  );
}

function Organisations({ selected, onSelect }: { selected: string; onSelect: (id: string) => void }) {
  const queries = useQueryClient();
  const orgs = usePaged(['orgs'], async (cursor) => dataOf(await api.GET('/api/v1/orgs', { params: { query: { cursor, limit: 50 } } })));
  const create = useMutation({
    mutationFn: async (body: { name: string; kind: OrgKind }) => dataOf(await api.POST('/api/v1/orgs', { body })),
    onSuccess: (org) => {
      void queries.invalidateQueries({ queryKey: ['orgs'] });
      onSelect(org.id);
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate({ name: String(form.get('name')), kind: form.get('kind') as OrgKind });
  };
  return (
    <section aria-labelledby="orgs-title">
      <h2 id="orgs-title">Organisations</h2>
      <form onSubmit={submit} aria-label="New organisation">
        <label htmlFor="org-name">Name</label>
        <input id="org-name" name="name" required maxLength={200} />
        <label htmlFor="org-kind">Kind</label>
        <select id="org-kind" name="kind">
          <Options words={KIND_WORDS} />
        </select>
        <button type="submit" disabled={create.isPending}>
          Create the organisation
        </button>
        {create.isError && <p role="alert">{create.error.message}</p>}
      </form>
      <Status query={orgs.query} what="the organisations" />
      {orgs.items.length > 0 && (
        <table className="orgs">
          <thead>
            <tr>
              <th scope="col">Organisation</th>
              <th scope="col">Kind</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {orgs.items.map((o) => (
              <tr key={o.id}>
                <td>
                  <button type="button" className="sort" aria-pressed={o.id === selected} onClick={() => onSelect(o.id)}>
                    {o.name}
                  </button>
                </td>
                <td>{KIND_WORDS[o.kind]}</td>
                <td>
                  <When at={o.createdAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <More paged={orgs} what="organisations" />
    </section>
  );
}

function Users({ orgId }: { orgId: string }) {
  const queries = useQueryClient();
  const users = usePaged(['users', orgId], async (cursor) =>
    dataOf(await api.GET('/api/v1/orgs/{id}/users', { params: { path: { id: orgId }, query: { cursor, limit: 50 } } })),
  );
  const create = useMutation({
    mutationFn: async (body: { email: string; name: string; role: Role }) =>
      dataOf(await api.POST('/api/v1/orgs/{id}/users', { params: { path: { id: orgId } }, body })),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['users', orgId] }),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate({ email: String(form.get('email')), name: String(form.get('name')), role: form.get('role') as Role });
  };
  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">
        Users of <OrgName id={orgId} you={false} />
      </h2>
      <Status query={users.query} what="the users" />
      {users.items.length > 0 && (
        <table className="users">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">E-mail</th>
              <th scope="col">Role</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {users.items.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{u.email}</td>
                <td>{ROLE_WORDS[u.role]}</td>
                <td>{u.disabledAt === null ? 'active' : 'disabled'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <More paged={users} what="users" />
      <form onSubmit={submit} aria-label="New user">
        <label htmlFor="user-name">Name</label>
        <input id="user-name" name="name" required maxLength={200} />
        <label htmlFor="user-email">E-mail</label>
        <input id="user-email" name="email" type="email" required maxLength={320} />
        <label htmlFor="user-role">Role</label>
        <select id="user-role" name="role" defaultValue="analyst">
          <Options words={ROLE_WORDS} />
        </select>
        <button type="submit" disabled={create.isPending}>
          Add the user
        </button>
        {create.isError && <p role="alert">{create.error.message}</p>}
      </form>
      {create.isSuccess && (
        <p role="status">
          Added {create.data.user.email}. Their API token, shown this once: <code>{create.data.token.token}</code>
        </p>
      )}
    </section>
  );
}
