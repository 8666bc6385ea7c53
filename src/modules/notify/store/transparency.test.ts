import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime, type TestRuntime, type TestUser } from '#test-support/runtime.js';
import { DAY } from '../../../platform/clock.js';
import { publishedFigure } from '../../governance/test-support/published-figures.js';
import { uploadSbom, upsertAdvisory } from '../../inventory/index.js';
import { cycloneDx, osvRecord, pypi } from '../../inventory/test-support/fixtures.js';
import { listRemediation, reportRemediation } from '../service/remediation.js';
import { notifyTransparencyFacts } from './transparency.js';

const fact = notifyTransparencyFacts.find((f) => f.key === 'medianDaysToOperatorPatch')!;

async function asset(t: TestRuntime, operator: TestUser, name: string, version: string): Promise<void> {
  await uploadSbom(t.as(operator), { asset: { name, criticality: 'high' }, bytes: Buffer.from(cycloneDx([pypi('django', version)])) });
}

/** An advisory on django for the versions from `introduced` to `fixed`: every asset running one is told at once. */
async function advisory(t: TestRuntime, id: string, introduced: string, fixed: string): Promise<void> {
  await upsertAdvisory(t.system, osvRecord(id, 'PyPI', 'django', [{ introduced }, { fixed }]), { source: 'osv-import', tlp: 'GREEN' });
  await t.runtime.jobs.drain();
}

async function itemOf(t: TestRuntime, operator: TestUser, assetName: string, advisoryId = 'PYSEC-2026-1'): Promise<string> {
  const items = (await listRemediation(t.as(operator), { advisoryId }, {})).items;
  return items.find((i) => i.assetName === assetName)!.assetId;
}

async function patched(t: TestRuntime, operator: TestUser, advisoryId: string, assetName: string): Promise<void> {
  await reportRemediation(t.as(operator), { advisoryId, assetIds: [await itemOf(t, operator, assetName, advisoryId)], status: 'patched' });
}

describeEachDatabase('what notify lends the transparency report', (dialect) => {
  const get = useTestRuntime(dialect);

  it('counts from an operator being told to its first report that it patched, by the month it was told', async () => {
    const t = get();
    const water = await t.org('operator', { sectors: ['water'] });
    const energy = await t.org('operator', { sectors: ['energy'] });
    await asset(t, water, 'pumps', '4.2.1');
    await asset(t, water, 'scada', '4.1.0');
    await asset(t, energy, 'grid', '4.2.0');
    await asset(t, energy, 'mill', '4.0.5');
    await asset(t, water, 'dam', '4.0.1');
    // 2 June, noon: all five assets are told of PYSEC-2026-1.
    await advisory(t, 'PYSEC-2026-1', '4.0', '4.2.2');
    // Patched after 1, 3 and 6 days, and the mill after 30 (in July, still counted in June, when it was told);
    // the dam is acknowledged but never patched, so it stands behind nothing.
    t.clock.advance(DAY);
    await patched(t, energy, 'PYSEC-2026-1', 'grid');
    await reportRemediation(t.as(water), { advisoryId: 'PYSEC-2026-1', assetIds: [await itemOf(t, water, 'dam')], status: 'acknowledged' });
    t.clock.advance(2 * DAY);
    await patched(t, water, 'PYSEC-2026-1', 'scada');
    t.clock.advance(3 * DAY);
    await patched(t, water, 'PYSEC-2026-1', 'pumps');
    t.clock.set('2026-07-02T12:00:00.000Z');
    await patched(t, energy, 'PYSEC-2026-1', 'mill');
    // 3 July, noon: PYSEC-2026-2 touches 4.2.0 only, the grid; it is patched 2 days later.
    t.clock.set('2026-07-03T12:00:00.000Z');
    await advisory(t, 'PYSEC-2026-2', '4.2.0', '4.2.1');
    t.clock.advance(2 * DAY);
    await patched(t, energy, 'PYSEC-2026-2', 'grid');

    const range = { from: '2026-05', to: '2026-08' };
    // June: 1, 3, 6 and 30 days, median (3 + 6) / 2, from four items; July: one item, after 2 days.
    expect(await fact.monthly(t.runtime.db.kysely, range)).toEqual([
      { month: '2026-06', value: 4.5, n: 4 },
      { month: '2026-07', value: 2, n: 1 },
    ]);
    // Published: July stands on one operator's asset and is withheld; months with none are empty, not withheld.
    expect(await publishedFigure(fact, t.runtime.db.kysely, range)).toEqual([
      { month: '2026-05', value: null, withheld: false },
      { month: '2026-06', value: 4.5, withheld: false },
      { month: '2026-07', value: null, withheld: true },
      { month: '2026-08', value: null, withheld: false },
    ]);
  });
});
