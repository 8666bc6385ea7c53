import { expect, it } from 'vitest';
import { expectOneStatementHolding, statementsSent } from '#test-support/pg-statements.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import type { Sector } from '../../identity/index.js';
import { NotAllowedError, NotFoundError } from '../../../platform/errors.js';
import { eventsAbout } from '../../../platform/events/index.js';
import { cycloneDx, osvRecord, pypi } from '../test-support/fixtures.js';
import { getAdvisory, listAdvisories, upsertAdvisories, upsertAdvisory } from './advisories.js';
import { ADVISORY_CHANGED, EXPOSURE_CHANGED, type ExposureChangedPayload } from '../events.js';
import { affectedOperators, exposureForAdvisory, exposureForOperator } from './exposure.js';
import { rematchAdvisory } from './reverse-match.js';
import { uploadSbom } from './sboms.js';
import { changesAfter, lastChangeSeq } from '../store/changes.js';

const SECTORS: Sector[] = ['energy', 'water', 'healthcare_public_health', 'transportation'];

describeEachDatabase('inventory advisories (reverse match)', (dialect) => {
  const get = useTestRuntime(dialect);

  it('creates, keeps unchanged, updates and refuses stale advisories, auditing and announcing each change', async () => {
    const { system, runtime } = get();
    const record = osvRecord('PYSEC-10', 'PyPI', 'django', [{ introduced: '0' }, { fixed: '4.0' }], { modified: '2026-02-01T00:00:00Z' });
    expect((await upsertAdvisory(system, record, { source: 'test', tlp: 'CLEAR' })).outcome).toBe('created');
    expect((await upsertAdvisory(system, record, { source: 'test', tlp: 'CLEAR' })).outcome).toBe('unchanged');
    const amber = await upsertAdvisory(system, record, { source: 'test', tlp: 'AMBER' });
    expect(amber).toMatchObject({ outcome: 'updated', advisory: { revision: 2, tlp: 'AMBER' } });
    const older = { ...record, modified: '2025-01-01T00:00:00Z', affected: [] };
    expect((await upsertAdvisory(system, older, { source: 'test', tlp: 'AMBER' })).outcome).toBe('stale');
    const events = await eventsAbout(runtime.db.kysely, 'PYSEC-10');
    expect(events.map((e) => [e.type, (e.payload as { revision: number }).revision])).toEqual([
      [ADVISORY_CHANGED, 1],
      [ADVISORY_CHANGED, 2],
    ]);
    const audit = await runtime.db.kysely
      .selectFrom('audit_event')
      .select('action')
      .where('subject_id', '=', 'PYSEC-10')
      .orderBy('seq')
      .execute();
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['inventory.advisory.create', 'inventory.advisory.update']);
    // In one batch, a record named twice is compared with what its first occurrence wrote.
    const newer = { ...record, modified: '2026-03-01T00:00:00Z' };
    const batch = await upsertAdvisories(system, [{ record: newer }, { record: newer }, { record: older }, { record }], {
      source: 'test',
      tlp: 'AMBER',
    });
    expect(batch.map((r) => [r.outcome, r.revision])).toEqual([
      ['updated', 3],
      ['unchanged', 3],
      ['stale', 3],
      ['stale', 3],
    ]);
    await expect(
      upsertAdvisories(system, [{ record }, { record: { id: 'X', affected: 'nope' } }], { source: 'test', tlp: 'CLEAR' }),
    ).rejects.toMatchObject({
      issues: [{ pointer: '/records/1/affected' }],
    });
  });

  it('writes a batch of new and changed advisories, their aliases and the change log together (one statement on PostgreSQL)', async () => {
    const { system, runtime } = get();
    const db = runtime.db;
    const first = osvRecord('PYSEC-30', 'PyPI', 'flask', [{ introduced: '0' }], { aliases: ['CVE-2026-3000', 'GHSA-old'] });
    await upsertAdvisory(system, first, { source: 'test', tlp: 'CLEAR' });
    const start = await lastChangeSeq(db.kysely);
    const { result: batch, sent } = await statementsSent(() =>
      upsertAdvisories(
        system,
        [
          { record: { ...first, modified: '2026-02-01T00:00:00Z', aliases: ['CVE-2026-3000', 'GHSA-new'] } },
          { record: osvRecord('PYSEC-31', 'PyPI', 'jinja2', [{ introduced: '0' }], { aliases: ['CVE-2026-3100', 'PYSEC-31'] }) },
        ],
        { source: 'test', tlp: 'CLEAR' },
      ),
    );
    expect(batch.map((r) => [r.id, r.outcome, r.revision])).toEqual([
      ['PYSEC-30', 'updated', 2],
      ['PYSEC-31', 'created', 1],
    ]);
    // The alias it lost is gone, the one it kept and the new one are there; an advisory is not its own alias.
    const aliases = await db.kysely
      .selectFrom('inventory_advisory_alias')
      .select(['advisory_id', 'alias'])
      .where('advisory_id', 'in', ['PYSEC-30', 'PYSEC-31'])
      .orderBy('advisory_id')
      .orderBy('alias')
      .execute();
    expect(aliases.map((a: { advisory_id: string; alias: string }) => `${a.advisory_id} ${a.alias}`)).toEqual([
      'PYSEC-30 CVE-2026-3000',
      'PYSEC-30 GHSA-new',
      'PYSEC-31 CVE-2026-3100',
    ]);
    expect((await changesAfter(db.kysely, start, 10)).map((c) => [c.seq, c.subject_id])).toEqual([
      [start + 1, 'PYSEC-30'],
      [start + 2, 'PYSEC-31'],
    ]);
    if (db.caps.writesInWith)
      expectOneStatementHolding(sent, (text) => text.includes('insert into inventory_change'), [
        'update "inventory_advisory"',
        'delete from "inventory_advisory_alias"',
        'insert into "inventory_advisory"',
        'insert into "inventory_advisory_alias"',
      ]);
  });

  it('matches a new advisory against many operators in the background, exactly, and reports exposure', async () => {
    const { system, as, org, runtime, coordinatorAdmin } = get();
    // 24 operators, each with one asset running django 3.<i mod 6>.0, plus an unrelated package.
    const operators = [];
    for (let i = 0; i < 24; i++) {
      const op = await org('operator', { sectors: [SECTORS[i % 4] as Sector] });
      const version = `3.${i % 6}.0`;
      const { asset } = await uploadSbom(as(op), {
        asset: { name: `plant ${i}`, criticality: i % 3 === 0 ? 'high' : 'low', internetFacing: i % 2 === 0 },
        bytes: Buffer.from(cycloneDx([pypi('Django', version), pypi('left-pad', '1.0.0')])),
      });
      operators.push({ op, asset, version, sector: SECTORS[i % 4] as Sector, high: i % 3 === 0, internet: i % 2 === 0 });
    }
    // Affected: 3.1.0 ≤ v < 3.3.0, and 3.5.0 listed in versions[].
    const advisory = osvRecord('PYSEC-20', 'PyPI', 'django', [{ introduced: '3.1.0' }, { fixed: '3.3.0' }], {
      aliases: ['CVE-2026-2020', 'GHSA-abcd'],
    });
    await upsertAdvisory(
      system,
      { ...advisory, affected: [{ ...advisory.affected?.[0], versions: ['3.5.0'] }] },
      { source: 'test', tlp: 'CLEAR' },
    );
    expect((await exposureForAdvisory(system, 'CVE-2026-2020')).assets).toBe(0);
    await runtime.jobs.drain();

    const expected = operators.filter((o) => ['3.1.0', '3.2.0', '3.5.0'].includes(o.version));
    expect(expected).toHaveLength(12);
    const exposure = await exposureForAdvisory(system, ['CVE-2026-2020']);
    expect(exposure).toMatchObject({ advisoryIds: ['PYSEC-20'], known: true, operators: 12, assets: 12, undecidedAssets: 0 });
    expect(exposure.exposedAssets.map((a) => a.assetId).sort()).toEqual(expected.map((o) => o.asset.id).sort());
    expect(exposure.criticality.high).toBe(expected.filter((o) => o.high).length);
    expect(exposure.internetFacingAssets).toBe(expected.filter((o) => o.internet).length);
    expect(exposure.sectors).toEqual(
      [...new Set(expected.map((o) => o.sector))].sort().map((sector) => ({
        sector,
        operators: expected.filter((o) => o.sector === sector).length,
        assets: expected.filter((o) => o.sector === sector).length,
      })),
    );
    const changed = (await eventsAbout(runtime.db.kysely, 'PYSEC-20')).filter((e) => e.type === EXPOSURE_CHANGED);
    expect(changed).toHaveLength(1);
    expect((changed[0]?.payload as ExposureChangedPayload).orgIds).toEqual(expected.map((o) => o.op.orgId).sort());

    const affected = await affectedOperators(as(coordinatorAdmin), 'GHSA-abcd', { limit: 5 });
    expect(affected.items).toHaveLength(5);
    expect(affected.items[0]?.assets[0]?.matches[0]).toMatchObject({
      advisoryId: 'PYSEC-20',
      status: 'affected',
      fixed: expect.any(Array),
    });
    const own = await exposureForOperator(as(expected[0]?.op ?? coordinatorAdmin), expected[0]?.op.orgId ?? '');
    expect(own.items.map((i) => i.advisory.id)).toEqual(['PYSEC-20']);

    // Running it again changes nothing; withdrawing it clears every match and says whom it cleared.
    expect(await rematchAdvisory(system, 'PYSEC-20')).toMatchObject({ added: 0, removed: 0, changed: 0, matches: 12 });
    await upsertAdvisory(
      system,
      { ...advisory, withdrawn: '2026-03-01T00:00:00Z', modified: '2026-03-01T00:00:00Z' },
      { source: 'test', tlp: 'CLEAR' },
    );
    await runtime.jobs.drain();
    expect((await exposureForAdvisory(system, 'PYSEC-20')).assets).toBe(0);
    const last = (await eventsAbout(runtime.db.kysely, 'PYSEC-20')).filter((e) => e.type === EXPOSURE_CHANGED).at(-1)
      ?.payload as ExposureChangedPayload;
    expect(last).toMatchObject({ reason: 'advisory-changed', orgIds: [], clearedOrgIds: expected.map((o) => o.op.orgId).sort() });
  });

  it('records a version-less component as undecidable, never as affected', async () => {
    const { system, as, org, runtime } = get();
    const op = await org('operator');
    await uploadSbom(as(op), { asset: { name: 'app' }, bytes: Buffer.from(cycloneDx([pypi('django')])) });
    await upsertAdvisory(system, osvRecord('PYSEC-30', 'PyPI', 'django', [{ introduced: '0' }, { fixed: '9.0' }]), {
      source: 'test',
      tlp: 'CLEAR',
    });
    await runtime.jobs.drain();
    const exposure = await exposureForAdvisory(system, 'PYSEC-30');
    expect(exposure).toMatchObject({ assets: 0, undecidedAssets: 1 });
    const own = await exposureForOperator(as(op), op.orgId);
    expect(own.items[0]?.assets[0]?.matches[0]).toMatchObject({
      status: 'unknown',
      reasons: ['version unknown: the component states no version'],
    });
  });

  it('keeps the affected-operator list to coordinators and within the advisory TLP', async () => {
    const { system, as, org, user, runtime, coordinatorAdmin } = get();
    const op = await org('operator');
    await uploadSbom(as(op), { asset: { name: 'app' }, bytes: Buffer.from(cycloneDx([pypi('django', '1.0')])) });
    await upsertAdvisory(system, osvRecord('PYSEC-40', 'PyPI', 'django', [{ introduced: '0' }]), { source: 'test', tlp: 'GREEN' });
    await upsertAdvisory(as(coordinatorAdmin), osvRecord('PYSEC-41', 'PyPI', 'django', [{ introduced: '0' }]), {
      source: 'test',
      tlp: 'RED',
    });
    await runtime.jobs.drain();

    await expect(affectedOperators(as(op), 'PYSEC-40')).rejects.toBeInstanceOf(NotAllowedError);
    await expect(exposureForAdvisory(as(op), 'PYSEC-40')).rejects.toBeInstanceOf(NotAllowedError);
    expect((await affectedOperators(as(coordinatorAdmin), 'PYSEC-41')).items).toHaveLength(1);
    // The coordinator's analysts and admins read every record; its viewers only what the TLP gives them.
    const colleague = await user(coordinatorAdmin.orgId, 'viewer');
    await expect(affectedOperators(as(colleague), 'PYSEC-41')).rejects.toBeInstanceOf(NotFoundError);
    await expect(getAdvisory(as(colleague), 'PYSEC-41')).rejects.toBeInstanceOf(NotFoundError);
    await expect(exposureForAdvisory(as(colleague), 'PYSEC-41')).rejects.toBeInstanceOf(NotFoundError);
    // The operator's own exposure lists only what its TLP lets it see.
    expect((await exposureForOperator(as(op), op.orgId)).items.map((i) => i.advisory.id)).toEqual(['PYSEC-40']);
    expect((await listAdvisories(as(op), {})).items.map((a) => a.id)).toEqual(['PYSEC-40']);
    // A new upload's answer counts only those too: the RED advisory matches django as well, unsaid.
    const again = await uploadSbom(as(op), { asset: { name: 'app' }, bytes: Buffer.from(cycloneDx([pypi('django', '1.1')])) });
    expect(again.matches).toEqual({ affected: 1, unknown: 0, advisories: 1 });
    const coordinatorView = await uploadSbom(as(coordinatorAdmin), {
      asset: { name: 'app', orgId: op.orgId },
      bytes: Buffer.from(cycloneDx([pypi('django', '1.2')])),
    });
    expect(coordinatorView.matches).toEqual({ affected: 2, unknown: 0, advisories: 2 });
    await expect(
      upsertAdvisory(as(op), osvRecord('X-1', 'PyPI', 'x', [{ introduced: '0' }]), { source: 'test', tlp: 'CLEAR' }),
    ).rejects.toBeInstanceOf(NotAllowedError);
  });
});
