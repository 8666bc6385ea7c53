import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { runGroupedAndAlone } from '#test-support/job-groups.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { cycloneDx, osvRecord, pypi } from '../test-support/fixtures.js';
import { upsertAdvisory } from './advisories.js';
import { uploadSbom } from './sboms.js';

// The job runner hands inventory.reverse-match several queued jobs at once (one lock turn, one transaction):
// it must leave the database exactly as running them one by one does — match rows, one audit record per
// changed advisory in the same order, and the exposure changes it announces and the jobs that deliver them.
describeEachDatabase('reverse matches of several jobs at once', (dialect) => {
  const get = useTestRuntime(dialect);

  it('leave what the same reverse matches leave one by one: matches added, moved and removed, one advisory changed twice', async () => {
    const t = get();
    for (let i = 0; i < 3; i++) {
      const op = await t.org('operator');
      await uploadSbom(t.as(op), {
        asset: { name: `plant ${i}` },
        bytes: Buffer.from(cycloneDx([pypi('django', `3.${i * 2}.0`), pypi('flask', `2.${i}.0`)])),
      });
    }
    const upsert = (id: string, name: string, events: Parameters<typeof osvRecord>[3], modified: string) =>
      upsertAdvisory(t.system, osvRecord(id, 'PyPI', name, events, { modified }), { source: 'test', tlp: 'CLEAR' });
    // Matched before: the change below takes its matches away.
    await upsert('PYSEC-4', 'flask', [{ introduced: '0' }, { fixed: '2.2.0' }], '2026-01-01T00:00:00Z');
    await t.runtime.jobs.drain();

    // Queued, not run.
    await upsert('PYSEC-1', 'django', [{ introduced: '3.0.0' }, { fixed: '3.3.0' }], '2026-01-01T00:00:00Z');
    await upsert('PYSEC-2', 'flask', [{ introduced: '2.1.0' }], '2026-01-01T00:00:00Z');
    await upsert('PYSEC-4', 'flask', [{ introduced: '9.0.0' }], '2026-02-01T00:00:00Z');
    await upsert('PYSEC-3', 'requests', [{ introduced: '0' }], '2026-01-01T00:00:00Z');
    await upsert('PYSEC-1', 'django', [{ introduced: '3.2.0' }, { fixed: '3.5.0' }], '2026-02-01T00:00:00Z');

    const { grouped, alone, groups } = await runGroupedAndAlone(t, 'event:inventory.reverse-match');
    expect(groups.some((size) => size > 1)).toBe(true);
    expect(grouped).toEqual(alone);
    const updates = (alone.audit_event ?? []).filter((row) => row.includes('inventory.exposure.update'));
    expect(updates.length).toBeGreaterThanOrEqual(3);
  });
});
