import { expect, it } from 'vitest';
import { WIRED } from '../../app/modules.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { ownTables } from '#test-support/introspection.js';

// The audit trail hides events about TLP-labelled records from those who may not see the record. It knows
// them from the modules' wiring (`labelledSubjects`); a module that adds a labelled table must lend it there,
// or its RED records' audit lines (file names, hashes, titles) are read by every admin of the owning
// organisation.
describeEachDatabase('audit: labelled subjects', (dialect) => {
  const get = useTestRuntime(dialect);

  it('the modules lend every table whose rows carry a TLP label, and only such tables', async () => {
    const tables = await ownTables(get().runtime.db.kysely);
    const labelled = tables
      .filter((table) => ['id', 'tlp', 'owner_org_id', 'created_by'].every((c) => table.columns.some((col) => col.name === c)))
      .map((table) => table.name)
      .sort();
    expect(labelled).toContain('intake_submission');
    const lent = WIRED.labelledSubjects.flatMap((subject) => ('table' in subject ? [subject.table] : []));
    expect([...new Set(lent)].sort()).toEqual(labelled);
  });

  it('each subject type is lent once, and clusters (labelled through their reports) are among them', () => {
    const types = WIRED.labelledSubjects.map((subject) => subject.subjectType);
    expect(types.length).toBe(new Set(types).size);
    expect(types).toContain('cluster');
  });
});
