import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { expectOneStatementHolding, statementsSent } from '#test-support/pg-statements.js';
import { eventsAbout } from '../../../platform/events/index.js';
import { EXPOSURE_CHANGED, type ExposureChangedPayload } from '../events.js';
import { deleteMatchesOfAdvisory } from '../store/matches.js';
import { t } from '../store/tables.js';
import { cycloneDx, osvRecord, pypi } from '../test-support/fixtures.js';
import { upsertAdvisory } from './advisories.js';
import { rematchAdvisories, rematchAdvisory } from './reverse-match.js';
import { uploadSbom } from './sboms.js';

describeEachDatabase('the reverse match of a changed advisory', (dialect) => {
  const get = useTestRuntime(dialect);

  it('leaves the matches a reverse match from none finds, and announces the advisory as it now stands', async () => {
    const { system, as, org, runtime } = get();
    // 4 operators × 2 assets, each running two versions of django among 3.0.0 … 3.7.0.
    for (let i = 0; i < 4; i++) {
      const op = await org('operator');
      for (let j = 0; j < 2; j++)
        await uploadSbom(as(op), {
          asset: { name: `plant ${i}-${j}` },
          bytes: Buffer.from(cycloneDx([pypi('Django', `3.${(i + j) % 8}.0`), pypi('django', `3.${(i * 2 + j + 3) % 8}.0`)])),
        });
    }
    const matchesOf = async () =>
      (await t(runtime.db.kysely).selectFrom('inventory_match').selectAll().where('advisory_id', '=', 'PYSEC-30').execute())
        .map(({ matched_at: _at, ...rest }) => JSON.stringify(rest))
        .sort();
    const advisory = (events: Parameters<typeof osvRecord>[3], modified: string, aliases: string[]) =>
      osvRecord('PYSEC-30', 'PyPI', 'django', events, { modified, aliases });
    await upsertAdvisory(system, advisory([{ introduced: '3.1.0' }, { fixed: '3.4.0' }], '2026-01-01T00:00:00Z', ['CVE-2026-3030']), {
      source: 'test',
      tlp: 'CLEAR',
    });
    await runtime.jobs.drain();
    const first = await matchesOf();
    expect(first.length).toBeGreaterThan(4);

    // The range moves: some matches stay (their fixed version changes), some go (deleted together), some come; a new alias comes with it.
    await upsertAdvisory(
      system,
      advisory([{ introduced: '3.3.0' }, { fixed: '3.6.0' }], '2026-02-01T00:00:00Z', ['CVE-2026-3030', 'GHSA-mvd3']),
      { source: 'test', tlp: 'CLEAR' },
    );
    await runtime.jobs.drain();
    const moved = await matchesOf();
    const keys = (rows: string[]) =>
      rows.map((m) => {
        const { sbom_id, component_idx } = JSON.parse(m) as { sbom_id: string; component_idx: number };
        return `${sbom_id}/${component_idx}`;
      });
    expect(keys(moved).filter((k) => keys(first).includes(k)).length).toBeGreaterThan(0);
    expect(keys(first).filter((k) => !keys(moved).includes(k)).length).toBeGreaterThan(1);

    await deleteMatchesOfAdvisory(runtime.db.kysely, 'PYSEC-30');
    await rematchAdvisory(system, 'PYSEC-30');
    expect(await matchesOf()).toEqual(moved);
    const announced = (await eventsAbout(runtime.db.kysely, 'PYSEC-30')).filter((e) => e.type === EXPOSURE_CHANGED);
    expect((announced[1]?.payload as ExposureChangedPayload).aliases).toEqual(['CVE-2026-3030', 'GHSA-mvd3']);
  });

  it('matches several advisories under the lock with one read of their matches, one of the assets and one write on PostgreSQL', async () => {
    const { system, as, org, runtime } = get();
    const op = await org('operator');
    await uploadSbom(as(op), {
      asset: { name: 'plant' },
      bytes: Buffer.from(cycloneDx([pypi('django', '3.2.0'), pypi('flask', '2.0.0')])),
    });
    const upsert = (id: string, name: string, events: Parameters<typeof osvRecord>[3], modified: string) =>
      upsertAdvisory(system, osvRecord(id, 'PyPI', name, events, { modified }), { source: 'test', tlp: 'CLEAR' });
    await upsert('PYSEC-40', 'django', [{ introduced: '3.0.0' }, { fixed: '3.3.0' }], '2026-01-01T00:00:00Z');
    await upsert('PYSEC-41', 'flask', [{ introduced: '0' }], '2026-01-01T00:00:00Z');
    await runtime.jobs.drain();
    // One match changes its verdict (a new fixed version), one goes, one comes.
    await upsert('PYSEC-40', 'django', [{ introduced: '3.0.0' }, { fixed: '3.4.0' }], '2026-02-01T00:00:00Z');
    await upsert('PYSEC-41', 'flask', [{ introduced: '9.0.0' }], '2026-02-01T00:00:00Z');
    await upsert('PYSEC-42', 'flask', [{ introduced: '1.0.0' }], '2026-01-01T00:00:00Z');
    const { result, sent } = await statementsSent(() => rematchAdvisories(system, ['PYSEC-40', 'PYSEC-41', 'PYSEC-42']));
    expect(result.map((r) => [r.advisoryId, r.added, r.removed, r.changed])).toEqual([
      ['PYSEC-40', 0, 0, 1],
      ['PYSEC-41', 0, 1, 0],
      ['PYSEC-42', 1, 0, 0],
    ]);
    const rows = await t(runtime.db.kysely).selectFrom('inventory_match').select(['advisory_id', 'fixed']).orderBy('advisory_id').execute();
    expect(rows.map((r) => [r.advisory_id, JSON.parse(r.fixed) as unknown])).toEqual([
      ['PYSEC-40', ['3.4.0']],
      ['PYSEC-42', []],
    ]);
    if (runtime.db.caps.writesInWith) {
      const locked = sent.slice(sent.findIndex((text) => text.includes('pg_advisory_xact_lock')));
      expect(locked.filter((text) => text.startsWith('select * from "inventory_match"'))).toHaveLength(1);
      expect(locked.filter((text) => text.startsWith('select * from "inventory_asset"'))).toHaveLength(1);
      expectOneStatementHolding(locked, (text) => text.includes('"inventory_match"') && !text.startsWith('select'), [
        'delete from "inventory_match"',
        'insert into "inventory_match"',
        'on conflict',
      ]);
    }
  });
});
