import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { uploadSbom, upsertAdvisory } from '../../inventory/index.js';
import { cycloneDx, osvRecord, pypi } from '../../inventory/test-support/fixtures.js';
import { auditActionsOf } from '../test-support/audit.js';
import { listInbox } from './inbox.js';
import { listRemediation } from './remediation.js';

describeEachDatabase('notify.exposure: the exposure changes of one upload, handled together', (dialect) => {
  const get = useTestRuntime(dialect);

  it('tells the operator of each advisory its upload matches, and clears only the one a later upload patches', async () => {
    const rt = get();
    // Two advisories of one package: 4.2.2 fixes the first, 5.0.0 the second.
    await upsertAdvisory(rt.system, osvRecord('PYSEC-2026-71', 'PyPI', 'django', [{ introduced: '4.0' }, { fixed: '4.2.2' }]), {
      source: 'osv-import',
      tlp: 'GREEN',
    });
    await upsertAdvisory(rt.system, osvRecord('PYSEC-2026-72', 'PyPI', 'django', [{ introduced: '4.0' }, { fixed: '5.0.0' }]), {
      source: 'osv-import',
      tlp: 'GREEN',
    });
    await rt.runtime.jobs.drain();
    const operator = await rt.org('operator', { sectors: ['energy'] });
    const other = await rt.org('operator', { sectors: ['water'] });
    await uploadSbom(rt.as(operator), { asset: { name: 'grid' }, bytes: Buffer.from(cycloneDx([pypi('django', '4.2.0')])) });
    await rt.runtime.jobs.drain();
    const matched = (await listInbox(rt.as(operator), { type: 'advisory.matched' }, {})).items;
    expect(matched.map((n) => n.subjectId).sort()).toEqual(['PYSEC-2026-71', 'PYSEC-2026-72']);
    expect((await listInbox(rt.as(other), {}, {})).items).toEqual([]);
    // One audit line per advisory, as if each had been told on its own.
    for (const advisory of ['PYSEC-2026-71', 'PYSEC-2026-72'])
      expect((await auditActionsOf(rt.runtime.db, advisory)).filter((a) => a === 'notify.notification.create')).toHaveLength(1);

    await uploadSbom(rt.as(operator), { asset: { name: 'grid' }, bytes: Buffer.from(cycloneDx([pypi('django', '4.2.2')])) });
    await rt.runtime.jobs.drain();
    const items = (await listRemediation(rt.as(operator), { open: false }, {})).items;
    expect(items.map((i) => [i.advisoryId, i.status]).sort()).toEqual([
      ['PYSEC-2026-71', 'patched'],
      ['PYSEC-2026-72', 'notified'],
    ]);
    const cleared = (await listInbox(rt.as(operator), { type: 'advisory.cleared' }, {})).items;
    expect(cleared.map((n) => n.subjectId)).toEqual(['PYSEC-2026-71']);
  });
});
