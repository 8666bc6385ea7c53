import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime, type TestRuntime, type TestUser } from '#test-support/runtime.js';
import { submitDocument } from '../../intake/index.js';
import type { MyReport } from '../presenters.js';
import { distinctFinding, findingsDocument, report } from '../test-support/scene.js';
import { listMyReports } from './track-record.js';

describeEachDatabase('a reporter’s own clusters (my-reports), page by page', (dialect) => {
  const get = useTestRuntime(dialect);

  /** Every page of `who`'s my-reports at `limit` a page, in the order served. */
  async function allPages(t: TestRuntime, who: TestUser, limit: number): Promise<{ items: MyReport[]; pages: number }> {
    const items: MyReport[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listMyReports(t.as(who), { limit, ...(cursor === undefined ? {} : { cursor }) });
      expect(page.items.length).toBeLessThanOrEqual(limit);
      items.push(...page.items);
      pages += 1;
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return { items, pages };
  }

  it('serves each cluster the organisation reported once, newest first, among others’ clusters, counting only reports the reader may see', async () => {
    const t = get();
    const lab = await t.org('model_developer');
    const colleague = await t.user(lab.orgId, 'analyst');
    const other = await t.org('researcher');
    const findings = Array.from({ length: 5 }, () => distinctFinding());
    const ours = await report(t, lab, findings);
    // Another organisation's clusters before, between and after ours, and one of ours it reported too.
    const theirs = [
      ...(await report(t, other, [distinctFinding(), distinctFinding()])),
      ...(await report(t, other, [findings[1] as Record<string, unknown>])),
      ...(await report(t, other, [distinctFinding()])),
    ];
    expect(theirs[2]).toBe(ours[1]);
    // A colleague's TLP:RED reports, named to the colleague only: one joins a cluster of ours, one opens a cluster.
    const secret = distinctFinding();
    const red = await submitDocument(t.as(colleague), {
      bytes: findingsDocument([findings[2] as Record<string, unknown>, secret]),
      tlp: 'RED',
      recipients: { userIds: [colleague.userId] },
    });
    await t.runtime.jobs.drain();
    const [joined, opened] = red.findings.map((f) => f.clusterId);
    expect(joined).toBe(ours[2]);

    const newestFirst = (ids: readonly (string | undefined)[]) => [...new Set(ids)].sort().reverse();
    const mine = await allPages(t, lab, 2);
    expect(mine.items.map((r) => r.clusterId)).toEqual(newestFirst(ours));
    expect(mine.pages).toBe(3);
    expect(mine.items.map((r) => r.reports)).toEqual(mine.items.map(() => 1));

    for (const limit of [2, 50]) {
      const colleagues = await allPages(t, colleague, limit);
      expect(colleagues.items.map((r) => r.clusterId)).toEqual(newestFirst([...ours, opened]));
      expect(colleagues.items.find((r) => r.clusterId === ours[2])?.reports).toBe(2);
    }

    const others = await allPages(t, other, 50);
    expect(others.items.map((r) => r.clusterId)).toEqual(newestFirst(theirs));
    expect(others.pages).toBe(1);
  });
});
