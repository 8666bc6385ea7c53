import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/databases.js';
import { useTestRuntime } from '../../../test/support/runtime.js';
import { LABELLED_SUBJECTS } from './service.js';

// The audit trail hides events about TLP-labelled records from those who may not see the record. It knows
// them by LABELLED_SUBJECTS; a module that adds a labelled table must name it there, or its RED records'
// audit lines (file names, hashes, titles) are read by every admin of the owning organisation.
describeEachDatabase('audit: labelled subjects', (dialect) => {
  const get = useTestRuntime(dialect);

  it('names every table whose rows carry a TLP label, and only such tables', async () => {
    const tables = await get().runtime.db.kysely.introspection.getTables();
    const labelled = tables
      .filter((table) => ['id', 'tlp', 'owner_org_id', 'created_by'].every((c) => table.columns.some((col) => col.name === c)))
      .map((table) => table.name)
      .sort();
    expect(labelled).toContain('intake_submission');
    expect([...new Set(Object.values(LABELLED_SUBJECTS))].sort()).toEqual(labelled);
  });
});
