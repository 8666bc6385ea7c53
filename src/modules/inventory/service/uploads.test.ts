import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { expectOneStatementHolding, statementsSent } from '#test-support/pg-statements.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { eventsAbout } from '../../../platform/events/index.js';
import { InputError, NotAllowedError, NotFoundError, UnsupportedMediaTypeError } from '../../../platform/errors.js';
import { cycloneDx, cycloneDxXml, osvRecord, pypi } from '../test-support/fixtures.js';
import { t } from '../store/tables.js';
import { upsertAdvisory } from './advisories.js';
import { createAsset, listAssets, updateAsset } from './assets.js';
import { EXPOSURE_CHANGED, SBOM_UPLOADED, type ExposureChangedPayload } from '../events.js';
import { exposureForOperator } from './exposure.js';
import { listSbomComponents, listSbomMatches, listSboms, uploadSbom } from './sboms.js';

const django = osvRecord('PYSEC-1', 'PyPI', 'django', [{ introduced: '3.0' }, { fixed: '3.2.1' }]);
const requests = osvRecord('PYSEC-2', 'PyPI', 'requests', [{ introduced: '0' }, { fixed: '2.31.0' }]);

describeEachDatabase('inventory uploads (forward match)', (dialect) => {
  const get = useTestRuntime(dialect);

  it('stores an upload raw, as version 1 of a new asset, matched against every advisory', async () => {
    const { system, as, org, runtime } = get();
    await upsertAdvisory(system, django, { source: 'test', tlp: 'CLEAR' });
    await upsertAdvisory(system, requests, { source: 'test', tlp: 'CLEAR' });
    const op = await org('operator', { sectors: ['water'] });
    const bytes = Buffer.from(cycloneDx([pypi('Django', '3.2.0'), pypi('requests', '2.31.0'), pypi('flask'), { name: 'no-identity' }]));
    const result = await uploadSbom(as(op), { asset: { name: 'SCADA historian', criticality: 'high', internetFacing: true }, bytes });

    expect(result).toMatchObject({ created: true, matches: { affected: 1, unknown: 0, advisories: 1 } });
    expect(result.asset).toMatchObject({
      name: 'SCADA historian',
      sector: 'water',
      criticality: 'high',
      internetFacing: true,
      currentSbomId: result.sbom.id,
    });
    expect(result.sbom).toMatchObject({
      version: 1,
      format: 'CycloneDX',
      specVersion: '1.5',
      serialization: 'json',
      components: 5,
      unmatched: 2,
    });
    expect((await runtime.blobs.get(result.sbom.sha256))?.equals(bytes)).toBe(true);

    const matches = await listSbomMatches(as(op), result.sbom.id, {});
    expect(matches.items).toEqual([
      expect.objectContaining({
        purl: 'pkg:pypi/Django@3.2.0',
        advisoryId: 'PYSEC-1',
        status: 'affected',
        confidence: 'exact',
        fixed: ['3.2.1'],
        evidence: [expect.objectContaining({ via: 'range', introduced: '3.0', fixed: '3.2.1' })],
      }),
    ]);
    const unmatched = await listSbomComponents(as(op), result.sbom.id, { unmatched: true });
    expect(unmatched.items.map((c) => [c.name, c.unmatchedReason])).toEqual([
      ['fixture', 'no purl or CPE'],
      ['no-identity', 'no purl or CPE'],
    ]);

    const events = await eventsAbout(runtime.db.kysely, 'PYSEC-1');
    const exposure = events.filter((e) => e.type === EXPOSURE_CHANGED);
    expect(exposure.map((e) => e.payload)).toEqual([
      expect.objectContaining({
        reason: 'sbom-uploaded',
        orgIds: [op.orgId],
        assetIds: [result.asset.id],
        sectors: ['water'],
        clearedOrgIds: [],
        aliases: ['CVE-2026-0001'],
      }),
    ]);
    expect((await eventsAbout(runtime.db.kysely, result.sbom.id)).map((e) => e.type)).toEqual([SBOM_UPLOADED]);
  });

  it('keeps the same bytes idempotent and makes new bytes a new version that replaces the matches', async () => {
    const { system, as, org, runtime } = get();
    await upsertAdvisory(system, django, { source: 'test', tlp: 'CLEAR' });
    const op = await org('operator');
    const v1 = Buffer.from(cycloneDx([pypi('django', '3.1.0')]));
    const first = await uploadSbom(as(op), { asset: { name: 'portal' }, bytes: v1 });
    const again = await uploadSbom(as(op), { assetId: first.asset.id, bytes: v1 });
    expect(again).toMatchObject({ created: false, sbom: { id: first.sbom.id, version: 1 }, matches: { affected: 1 } });

    const second = await uploadSbom(as(op), { asset: { name: '  PORTAL ' }, bytes: Buffer.from(cycloneDxXml([pypi('django', '3.2.1')])) });
    expect(second).toMatchObject({
      created: true,
      asset: { id: first.asset.id },
      sbom: { version: 2, serialization: 'xml' },
      matches: { affected: 0 },
    });
    const versions = await listSboms(as(op), first.asset.id, {});
    expect(versions.items.map((s) => [s.version, s.supersededAt === null])).toEqual([
      [2, true],
      [1, false],
    ]);
    expect((await listSbomMatches(as(op), first.sbom.id, {})).items).toEqual([]);
    const cleared = (await eventsAbout(runtime.db.kysely, 'PYSEC-1'))
      .filter((e) => e.type === EXPOSURE_CHANGED)
      .map((e) => e.payload as ExposureChangedPayload);
    expect(cleared.map((p) => [p.orgIds, p.clearedAssetIds])).toEqual([
      [[op.orgId], []],
      [[], [first.asset.id]],
    ]);
    expect((await exposureForOperator(as(op), op.orgId)).items).toEqual([]);
  });

  it('counts for the uploader only the advisories it may see, names each in its exposure events with its aliases and TLP, and writes a version in one statement on PostgreSQL', async () => {
    const { system, as, org, runtime } = get();
    await upsertAdvisory(system, django, { source: 'test', tlp: 'CLEAR' });
    // RED, and not given to the operator: it matches, but the operator is not told.
    await upsertAdvisory(system, requests, { source: 'test', tlp: 'RED' });
    const op = await org('operator');
    const first = await uploadSbom(as(op), { asset: { name: 'mixed' }, bytes: Buffer.from(cycloneDx([pypi('django', '3.1.0')])) });
    const { result: second, sent } = await statementsSent(() =>
      uploadSbom(as(op), {
        assetId: first.asset.id,
        bytes: Buffer.from(cycloneDx([pypi('django', '3.1.0'), pypi('requests', '2.0.0')])),
      }),
    );
    expect(second).toMatchObject({ created: true, sbom: { version: 2 }, matches: { affected: 1, unknown: 0, advisories: 1 } });
    const exposure = async (id: string) =>
      (await eventsAbout(runtime.db.kysely, id))
        .filter((e) => e.type === EXPOSURE_CHANGED)
        .map((e) => e.payload as ExposureChangedPayload)
        .map((p) => [p.reason, p.tlp, p.aliases, p.orgIds]);
    expect(await exposure('PYSEC-1')).toEqual([['sbom-uploaded', 'CLEAR', ['CVE-2026-0001'], [op.orgId]]]);
    expect(await exposure('PYSEC-2')).toEqual([['sbom-uploaded', 'RED', ['CVE-2026-0002'], [op.orgId]]]);
    if (runtime.db.caps.writesInWith) {
      // The version, its components and matches, the old one superseded and unmatched, the asset, its events and
      // their jobs, and the change log's lock; after it, while every other upload waits, only the change logged,
      // the audit entry and COMMIT.
      const written = (text: string) => text.startsWith('with w0 as (') && text.includes('insert into "inventory_sbom"');
      expectOneStatementHolding(sent, written, [
        'insert into "inventory_component"',
        'update "inventory_sbom"',
        'delete from "inventory_match"',
        'insert into "inventory_match"',
        'update "inventory_asset"',
        'insert into "platform_event"',
        'insert into platform_job',
        'select pg_advisory_xact_lock(hashtext(',
      ]);
      expect(sent.filter((text) => text.includes('platform_event'))).toHaveLength(1);
      // Under the inventory lock, its asset, newest version's number and current SBOM's hash are one read.
      const locked = sent.slice(
        sent.findIndex((text) => text.includes('pg_advisory_xact_lock_shared(')),
        sent.findIndex(written),
      );
      expect(locked.filter((text) => /^select\b.*from "inventory_(asset|sbom)"/s.test(text.trim()))).toHaveLength(1);
      const tail = sent.slice(sent.findIndex(written) + 1);
      expect(tail.slice(0, tail.findIndex((text) => text.startsWith('commit')) + 1).map((text) => text.trim().slice(0, 30))).toEqual([
        'insert into inventory_change (',
        'update "audit_head" set "last_',
        'with "inserted" as (insert int',
        'commit',
      ]);
      // The advisories matched before and now, read once for the summary and the events.
      expect(sent.filter((text) => text.includes('from "inventory_advisory"'))).toHaveLength(1);
    }
  });

  it('refuses a bad document with its kind and reason, and records nothing', async () => {
    const { as, org } = get();
    const op = await org('operator');
    await expect(uploadSbom(as(op), { asset: { name: 'x' }, bytes: Buffer.from('{"document": {"csaf_version": "2.0"}}') })).rejects.toThrow(
      UnsupportedMediaTypeError,
    );
    await expect(
      uploadSbom(as(op), {
        asset: { name: 'x' },
        bytes: Buffer.from('{"bomFormat": "CycloneDX", "specVersion": "1.5", "vulnerabilities": [{"id": "CVE-1"}]}'),
      }),
    ).rejects.toMatchObject({
      code: 'sbom-not-inventory',
    });
    await expect(
      uploadSbom(as(op), { asset: { name: 'x', criticality: 'extreme' }, bytes: Buffer.from(cycloneDx([pypi('a', '1')])) }),
    ).rejects.toMatchObject({
      issues: [{ pointer: '/criticality' }],
    });
    expect((await listAssets(as(op), {})).items).toEqual([]);
  });

  it('lets only an operator’s admins and analysts (and the coordinator) upload, and hides other inventories', async () => {
    const { as, org, user, coordinatorAdmin } = get();
    const op = await org('operator', { sectors: ['energy', 'water'] });
    const other = await org('operator');
    const vendor = await org('vendor');
    const viewer = await user(op.orgId, 'viewer');
    const bytes = Buffer.from(cycloneDx([pypi('django', '3.1.0')]));
    const mine = await uploadSbom(as(op), { asset: { name: 'plant' }, bytes });
    expect(mine.asset.sector).toBeNull();

    await expect(uploadSbom(as(viewer), { asset: { name: 'plant' }, bytes })).rejects.toBeInstanceOf(NotAllowedError);
    await expect(uploadSbom(as(vendor), { asset: { name: 'plant' }, bytes })).rejects.toBeInstanceOf(NotAllowedError);
    await expect(uploadSbom(as(other), { assetId: mine.asset.id, bytes })).rejects.toBeInstanceOf(NotFoundError);
    await expect(uploadSbom(as(other), { asset: { name: 'plant', orgId: op.orgId }, bytes })).rejects.toBeInstanceOf(NotFoundError);
    await expect(listSboms(as(other), mine.asset.id, {})).rejects.toBeInstanceOf(NotFoundError);
    await expect(exposureForOperator(as(other), op.orgId)).rejects.toBeInstanceOf(NotFoundError);
    expect((await listAssets(as(other), { orgId: op.orgId })).items).toEqual([]);

    const onBehalf = await uploadSbom(as(coordinatorAdmin), { asset: { name: 'substation', orgId: other.orgId, sector: 'energy' }, bytes });
    expect(onBehalf.asset).toMatchObject({ orgId: other.orgId, sector: 'energy' });
    await expect(createAsset(as(coordinatorAdmin), { name: 'x' })).rejects.toBeInstanceOf(NotAllowedError);
    await expect(createAsset(as(op), { name: 'plant' })).rejects.toMatchObject({ code: 'asset-name-taken' });
  });

  it('tells every advisory affecting an asset when its exposure-weighing fields change', async () => {
    const { system, as, org, runtime } = get();
    await upsertAdvisory(system, django, { source: 'test', tlp: 'CLEAR' });
    const op = await org('operator');
    const { asset } = await uploadSbom(as(op), { asset: { name: 'plant' }, bytes: Buffer.from(cycloneDx([pypi('django', '3.1.0')])) });
    const updated = await updateAsset(as(op), asset.id, { sector: 'dams', criticality: 'high' });
    expect(updated).toMatchObject({ sector: 'dams', criticality: 'high' });
    const last = (await eventsAbout(runtime.db.kysely, 'PYSEC-1')).at(-1);
    expect(last?.payload).toMatchObject({ reason: 'asset-updated', assetIds: [asset.id], sectors: ['dams'] });
    await expect(updateAsset(as(op), asset.id, { internetFacing: 'yes' })).rejects.toBeInstanceOf(InputError);
    const audit = await t(runtime.db.kysely)
      .selectFrom('inventory_asset')
      .select('criticality')
      .where('id', '=', asset.id)
      .executeTakeFirstOrThrow();
    expect(audit.criticality).toBe('high');
  });

  it('delivers the exposure changes of one upload in one job per consumer, and every consumer still hears each advisory', async () => {
    const { system, as, org, runtime } = get();
    const names = Array.from({ length: 12 }, (_, i) => `pkg-${i}`);
    for (const [i, name] of names.entries())
      await upsertAdvisory(system, osvRecord(`PYSEC-9${i}`, 'PyPI', name, [{ introduced: '0' }]), { source: 'test', tlp: 'CLEAR' });
    await runtime.jobs.drain();
    const op = await org('operator', { sectors: ['water'] });
    const eventJobs = async () =>
      (
        await sql<{
          kind: string;
          n: number;
        }>`select kind, count(*) as n from platform_job where kind like 'event:%' and status = 'queued' group by kind order by kind`.execute(
          runtime.db.kysely,
        )
      ).rows.map((r) => [r.kind, Number(r.n)]);
    await uploadSbom(as(op), { asset: { name: 'plant' }, bytes: Buffer.from(cycloneDx(names.map((n) => pypi(n, '1.0.0')))) });
    expect(await eventJobs()).toEqual([
      ['event:notify.exposure', 1],
      ['event:scoring.cluster-priority', 1],
    ]);
    await runtime.jobs.drain();
    const told = await sql<{
      subject_id: string;
    }>`select subject_id from notify_notification where org_id = ${op.orgId} and type = 'advisory.matched' order by subject_id`.execute(
      runtime.db.kysely,
    );
    expect(told.rows.map((r) => r.subject_id)).toEqual(names.map((_, i) => `PYSEC-9${i}`).sort());
  });
});
