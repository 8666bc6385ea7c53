import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { type InputError, NotAllowedError, NotFoundError } from '../../../platform/errors.js';
import { caseWithVendors } from '../test-support/scene.js';
import { getCase } from './cases.js';
import { createPost, listPosts } from './posts.js';
import { refusal } from '../test-support/refusal.js';

describeEachDatabase('case discussion', (dialect) => {
  const get = useTestRuntime(dialect);

  it('keeps each of 150 vendors to the common thread and its own channel', async () => {
    const t = get();
    const { vendors, opened, researcher } = await caseWithVendors(t, 150);
    const coordinator = t.as(t.coordinatorAdmin);
    for (const [i, vendor] of vendors.entries())
      if (i % 10 === 0) await createPost(coordinator, opened.id, { channel: `org:${vendor.orgId}`, body: `to vendor ${i} only` });
    await createPost(coordinator, opened.id, { body: 'to everyone' });
    const vendor = vendors[30]!;
    expect((await getCase(t.as(vendor), opened.id)).channels).toEqual(['common', `org:${vendor.orgId}`]);
    expect((await listPosts(t.as(vendor), opened.id, {})).items.map((p) => p.body)).toEqual(['to everyone']);
    expect((await listPosts(t.as(vendor), opened.id, { channel: `org:${vendor.orgId}` })).items.map((p) => p.body)).toEqual([
      'to vendor 30 only',
    ]);
    // Every other vendor's channel does not exist for it, to read or to post.
    for (const other of vendors.filter((v) => v !== vendor)) {
      expect(await refusal(listPosts(t.as(vendor), opened.id, { channel: `org:${other.orgId}` }))).toBeInstanceOf(NotFoundError);
    }
    expect(await refusal(createPost(t.as(vendor), opened.id, { channel: `org:${vendors[0]!.orgId}`, body: 'hi' }))).toBeInstanceOf(
      NotFoundError,
    );
    const reply = await createPost(t.as(vendor), opened.id, { channel: `org:${vendor.orgId}`, body: 'we confirm' });
    expect(reply).toMatchObject({ authorOrgId: vendor.orgId, channel: `org:${vendor.orgId}` });
    expect((await listPosts(t.as(researcher), opened.id, {})).items.map((p) => p.body)).toEqual(['to everyone']);
    // The coordinator reads every channel.
    expect((await getCase(coordinator, opened.id)).channels).toHaveLength(1 + 152);
  });

  it("shows who wrote by role: a participant learns no other organisation's or user's id, coordinators every one", async () => {
    const t = get();
    const { vendors, opened, researcher } = await caseWithVendors(t, 2);
    const [first, second] = vendors as [(typeof vendors)[0], (typeof vendors)[0]];
    await createPost(t.as(first), opened.id, { body: 'first vendor here' });
    await createPost(t.as(t.coordinatorAdmin), opened.id, { body: 'coordinator here' });
    await createPost(t.as(t.coordinatorAdmin), opened.id, { channel: `org:${second.orgId}`, body: 'just for you' });
    await createPost(t.as(second), opened.id, { channel: `org:${second.orgId}`, body: 'thanks' });
    const authors = async (reader: typeof first, channel?: string) =>
      (await listPosts(t.as(reader), opened.id, channel === undefined ? {} : { channel })).items.map((p) => [
        p.body,
        p.authorRole,
        p.authorOrgId,
        p.authorUserId,
      ]);
    expect(await authors(second)).toEqual([
      ['first vendor here', 'vendor', null, null],
      ['coordinator here', 'coordinator', null, null],
    ]);
    expect(await authors(researcher)).toEqual([
      ['first vendor here', 'vendor', null, null],
      ['coordinator here', 'coordinator', null, null],
    ]);
    expect(await authors(first)).toEqual([
      ['first vendor here', 'vendor', first.orgId, first.userId],
      ['coordinator here', 'coordinator', null, null],
    ]);
    expect(await authors(second, `org:${second.orgId}`)).toEqual([
      ['just for you', 'coordinator', null, null],
      ['thanks', 'vendor', second.orgId, second.userId],
    ]);
    expect(await authors(t.coordinatorAdmin)).toEqual([
      ['first vendor here', 'vendor', first.orgId, first.userId],
      ['coordinator here', 'coordinator', t.coordinatorAdmin.orgId, t.coordinatorAdmin.userId],
    ]);
  });

  it('pages a channel oldest first and refuses empty posts and viewers', async () => {
    const t = get();
    const { vendors, opened } = await caseWithVendors(t, 1);
    const vendor = vendors[0]!;
    for (let i = 1; i <= 5; i += 1) {
      t.clock.advance(1000);
      await createPost(t.as(vendor), opened.id, { body: `post ${i}` });
    }
    const first = await listPosts(t.as(t.coordinatorAdmin), opened.id, { limit: 2 });
    const second = await listPosts(t.as(t.coordinatorAdmin), opened.id, { limit: 2, cursor: first.nextCursor ?? '' });
    const third = await listPosts(t.as(t.coordinatorAdmin), opened.id, { limit: 2, cursor: second.nextCursor ?? '' });
    expect([...first.items, ...second.items, ...third.items].map((p) => p.body)).toEqual([
      'post 1',
      'post 2',
      'post 3',
      'post 4',
      'post 5',
    ]);
    expect(third.nextCursor).toBeNull();
    const empty = (await refusal(createPost(t.as(vendor), opened.id, { body: '  ' }))) as InputError;
    expect(empty.issues.map((i) => i.pointer)).toEqual(['/body']);
    const viewer = await t.user(vendor.orgId, 'viewer');
    expect(await refusal(createPost(t.as(viewer), opened.id, { body: 'hello' }))).toBeInstanceOf(NotAllowedError);
    expect((await listPosts(t.as(viewer), opened.id, {})).items).toHaveLength(5);
  });
});
