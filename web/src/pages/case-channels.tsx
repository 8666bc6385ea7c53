import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, dataOf } from '../api/client';
import { OrgName } from '../parts/org-name';
import { More, Status, usePaged } from '../parts/paged';
import { When } from '../parts/when';
import { useSession } from '../session';
import type { CaseDetail } from './case-workspace';

/** A channel's name for its reader: the common thread, the reader's own channel, or (coordinators) a participant's. */
function ChannelName({ channel }: { channel: string }) {
  const { session } = useSession();
  const org = channel.startsWith('org:') ? channel.slice(4) : channel;
  if (channel === 'common') return <>Common thread</>;
  if (org === session.org.id) return <>Your channel with the coordinators</>;
  return (
    <>
      Channel of <OrgName id={org} you={false} />
    </>
  );
}

/** The discussion: the channels the API lists for the reader (the common thread and its own), one at a time. */
export function CaseChannels({ detail }: { detail: CaseDetail }) {
  const [channel, setChannel] = useState(detail.channels[0] ?? 'common');
  return (
    <section aria-labelledby="channels-title">
      <h2 id="channels-title">Discussion</h2>
      <div role="group" aria-label="Channels" className="tabs">
        {detail.channels.map((c) => (
          <button key={c} type="button" aria-pressed={c === channel} onClick={() => setChannel(c)}>
            <ChannelName channel={c} />
          </button>
        ))}
      </div>
      <h3>
        <ChannelName channel={channel} />
      </h3>
      <Channel key={channel} caseNumber={detail.number} channel={channel} />
    </section>
  );
}

function Channel({ caseNumber, channel }: { caseNumber: string; channel: string }) {
  const { session } = useSession();
  const queries = useQueryClient();
  const key = ['case', caseNumber, 'posts', channel];
  const posts = usePaged(key, async (cursor) =>
    dataOf(await api.GET('/api/v1/cases/{id}/posts', { params: { path: { id: caseNumber }, query: { channel, cursor, limit: 50 } } })),
  );
  const post = useMutation({
    mutationFn: async (body: string) =>
      dataOf(await api.POST('/api/v1/cases/{id}/posts', { params: { path: { id: caseNumber } }, body: { channel, body } })),
    onSuccess: () => void queries.invalidateQueries({ queryKey: key }),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const body = String(new FormData(form).get('body') ?? '').trim();
    if (body !== '') post.mutate(body, { onSuccess: () => form.reset() });
  };
  const staff = session.user.role === 'admin' || session.user.role === 'analyst';
  return (
    <>
      <Status query={posts.query} what="the messages" />
      {posts.query.isSuccess && posts.items.length === 0 && <p>No message yet.</p>}
      <ol className="posts">
        {posts.items.map((p) => (
          <li key={p.id}>
            <div className="why">
              <When at={p.createdAt} /> · {p.authorRole}
              {p.authorOrgId !== null && (
                <>
                  {' '}
                  (<OrgName id={p.authorOrgId} you={false} />)
                </>
              )}
            </div>
            <p className="post-body">{p.body}</p>
          </li>
        ))}
      </ol>
      <More paged={posts} what="messages" />
      {staff && (
        <form onSubmit={submit}>
          <label htmlFor="post-body">Message</label>
          <textarea id="post-body" name="body" required maxLength={20_000} />
          <button type="submit" disabled={post.isPending}>
            Send
          </button>
          {post.isError && <p role="alert">{post.error.message}</p>}
        </form>
      )}
    </>
  );
}
