import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { api, dataOf } from '../api/client';

/**
 * Opens a coordinated-disclosure case from an accepted cluster (coordinator analysts and admins): the
 * reporters take part at once and vendors whose declared scopes match are suggested; the case page adds
 * the others.
 */
export function OpenCaseForm({ clusterId, title }: { clusterId: string; title: string | null }) {
  const queries = useQueryClient();
  const open = useMutation({
    mutationFn: async (body: { clusterIds: string[]; title?: string; description?: string; exploited: boolean }) =>
      dataOf(await api.POST('/api/v1/cases', { body })),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['cases'] }),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    open.mutate({
      clusterIds: [clusterId],
      ...(text('title') === '' ? {} : { title: text('title') }),
      ...(text('description') === '' ? {} : { description: text('description') }),
      exploited: form.get('exploited') === 'on',
    });
  };
  return (
    <form className="open-case" onSubmit={submit} aria-labelledby="open-case-title">
      <h3 id="open-case-title">Open a case</h3>
      <label htmlFor="case-title">Case title</label>
      <input id="case-title" name="title" maxLength={300} defaultValue={title ?? ''} />
      <label htmlFor="case-description">Description</label>
      <textarea id="case-description" name="description" maxLength={20_000} />
      <label>
        <input type="checkbox" name="exploited" /> Actively exploited (the shorter default embargo)
      </label>
      <button type="submit" disabled={open.isPending || open.isSuccess}>
        Open the case
      </button>
      {open.isError && <p role="alert">{open.error.message}</p>}
      {open.isSuccess && (
        <p role="status">
          Opened <Link to={`/cases/${open.data.number}`}>{open.data.number}</Link>.
        </p>
      )}
    </form>
  );
}
