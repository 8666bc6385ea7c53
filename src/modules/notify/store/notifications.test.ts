import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { KeepQueries, planOf } from '#test-support/query-plans.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { countUnread, insertNotifications, listInbox, markRead } from './notifications.js';
import type { NotificationRow } from './tables.js';

function notification(orgId: string, i: number): NotificationRow {
  const id = `ntf_${String(i).padStart(26, '0')}`;
  return {
    id,
    org_id: orgId,
    type: 'advisory.matched',
    dedup_key: `advisory.matched:${i}`,
    subject_id: `ADV-${i}`,
    source_event_id: null,
    tlp: 'CLEAR',
    title: `Advisory ${i}`,
    facets: JSON.stringify({ type: 'advisory.matched', tlp: 'CLEAR', sectors: [], purls: [] }),
    body: JSON.stringify({ type: 'advisory.matched', timestamp: '2026-06-02T12:00:00.000Z', data: { n: i } }),
    created_at: '2026-06-02T12:00:00.000Z',
    read_at: null,
    read_by: null,
  };
}

describeEachDatabase('notify inbox queries', (dialect) => {
  const get = useTestRuntime(dialect);

  it('counts and pages the unread notifications from the index of unread ones, reading no notification already read', async () => {
    const t = get();
    const { db } = t.runtime;
    const operator = await t.org('operator');
    const rows = Array.from({ length: 40 }, (_, i) => notification(operator.orgId, i));
    await insertNotifications(db.kysely, db.caps, rows);
    const readIds = rows.filter((_, i) => i % 4 !== 0).map((r) => r.id);
    expect(await markRead(db.kysely, operator.orgId, readIds, '2026-06-02T12:01:00.000Z', operator.userId)).toBe(30);

    const kept = new KeepQueries();
    const watched = db.kysely.withPlugin(kept);
    expect(await countUnread(watched, operator.orgId)).toBe(10);
    const page = await listInbox(watched, operator.orgId, { unread: true }, { limit: 5 });
    expect(page.items.map((r) => r.id)).toEqual(
      rows
        .filter((_, i) => i % 4 === 0)
        .map((r) => r.id)
        .reverse()
        .slice(0, 5),
    );
    expect(kept.nodes).toHaveLength(2);
    // Each query as the store sent it, planned by the database: both read the partial index of unread
    // notifications (PostgreSQL told not to scan the table, which it would for a table this small).
    for (const node of kept.nodes) {
      const plan = await planOf(db, dialect, node);
      expect(plan).toContain('notify_notification_unread');
    }
  });
});
