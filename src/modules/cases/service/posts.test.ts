import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../../test/support/databases.js';
import { useTestRuntime } from '../../../../test/support/runtime.js';
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
