import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { anonymousActor } from '../../../platform/actor.js';
import { ConflictError, type InputError, NotAllowedError, NotFoundError } from '../../../platform/errors.js';
import { addParticipant, decideStatement, moveEmbargo, openCase, setStatement } from '../../cases/index.js';
import { csafProblems } from '../domain/csaf-validation.js';
import { verifyDetached } from '../domain/openpgp-signing.js';
import { hashFile } from '../domain/provider-files.js';
import { acceptedClusterOf, embargoedCase, testProviderSettings } from '../test-support/case-scene.js';
import { advisoryDocument, generateAdvisory, getAdvisory, listAdvisories, publishAdvisory } from './advisories.js';
import { csafSigner } from './signing-key.js';

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  );
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const parse = (bytes: Buffer): Json => JSON.parse(bytes.toString('utf8')) as Json;

describeEachDatabase('advisories', (dialect) => {
  const get = useTestRuntime(dialect);

  it('are generated from an embargoed case as a valid TLP:AMBER draft that only the case’s participants read', async () => {
    const t = get();
    const settings = testProviderSettings();
    const scene = await embargoedCase(t);
    const coordinator = t.as(t.coordinatorAdmin);
    expect(await refusal(generateAdvisory(t.as(scene.acme), scene.opened.id, {}, settings))).toBeInstanceOf(NotAllowedError);
    const bad = (await refusal(generateAdvisory(coordinator, scene.opened.id, { tlp: 'CLEAR' }, settings))) as InputError;
    expect(bad.issues.map((i) => i.pointer)).toEqual(['/tlp']);
    expect((await listAdvisories(coordinator, {})).items).toEqual([]);

    const draft = await generateAdvisory(coordinator, scene.opened.number, {}, settings);
    expect(draft).toMatchObject({ status: 'draft', tlp: 'AMBER', version: 0, trackingId: scene.opened.number, path: null, revisions: [] });
    const doc = parse((await advisoryDocument(coordinator, draft.id, { kind: 'draft' })).bytes);
    expect(await csafProblems(doc)).toEqual([]);
    expect(doc['document']).toMatchObject({
      category: 'csaf_security_advisory',
      distribution: { tlp: { label: 'AMBER' } },
      tracking: { id: scene.opened.number, status: 'draft', version: '0' },
    });
    const vulnerability = doc['vulnerabilities'][0] as Json;
    expect(vulnerability['cve']).toBe('CVE-2026-4343');
    expect(Object.keys(vulnerability['product_status']).sort()).toEqual(['fixed', 'known_affected', 'known_not_affected']);

    for (const participant of [scene.acme, scene.globex, scene.researcher]) {
      expect((await getAdvisory(t.as(participant), draft.trackingId)).draftReadable).toBe(true);
      expect((await listAdvisories(t.as(participant), {})).items.map((a) => a.id)).toEqual([draft.id]);
      expect((await advisoryDocument(t.as(participant), draft.id, { kind: 'draft' })).sha256).toBe(
        (await advisoryDocument(coordinator, draft.id, { kind: 'draft' })).sha256,
      );
    }
    const outsider = t.as(scene.outsider);
    const anonymous = t.runtime.contextFor(anonymousActor);
    for (const stranger of [outsider, anonymous]) {
      expect(await refusal(getAdvisory(stranger, draft.id))).toBeInstanceOf(NotFoundError);
      expect(await refusal(advisoryDocument(stranger, draft.id, { kind: 'draft' }))).toBeInstanceOf(NotFoundError);
      expect((await listAdvisories(stranger, {})).items).toEqual([]);
    }

    // RED on request; generating again refreshes the one draft of the case.
    const red = await generateAdvisory(coordinator, scene.opened.id, { tlp: 'RED', category: 'csaf_vex' }, settings);
    expect(red).toMatchObject({ id: draft.id, tlp: 'RED', category: 'csaf_vex' });
    const vex = parse((await advisoryDocument(coordinator, draft.id, { kind: 'draft' })).bytes);
    expect(await csafProblems(vex)).toEqual([]);
    expect(vex['document']).toMatchObject({ category: 'csaf_vex', distribution: { tlp: { label: 'RED' } } });
  });

  it('are published signed and TLP:CLEAR only after the embargo, and a new statement makes the next revision', async () => {
    const t = get();
    const settings = testProviderSettings();
    const scene = await embargoedCase(t);
    const coordinator = t.as(t.coordinatorAdmin);
    const draft = await generateAdvisory(coordinator, scene.opened.id, {}, settings);
    const embargoed = (await refusal(publishAdvisory(coordinator, draft.id, settings))) as ConflictError;
    expect(embargoed).toBeInstanceOf(ConflictError);
    expect(embargoed.code).toBe('embargo-active');
    expect(await getAdvisory(coordinator, draft.id)).toMatchObject({ status: 'draft', tlp: 'AMBER', revisions: [] });

    await moveEmbargo(coordinator, scene.opened.id, { action: 'end', reason: 'published' });
    expect(await refusal(publishAdvisory(t.as(scene.acme), draft.id, settings))).toBeInstanceOf(NotAllowedError);
    t.clock.set(new Date('2026-06-03T09:00:00.000Z'));
    const published = await publishAdvisory(coordinator, draft.id, settings);
    const fileName = `${scene.opened.number.toLowerCase()}.json`;
    expect(published).toMatchObject({
      status: 'published',
      tlp: 'CLEAR',
      version: 1,
      path: `/.well-known/csaf/white/2026/${fileName}`,
      publishedAt: '2026-06-03T09:00:00.000Z',
    });
    // Now anyone reads it, the outsider and the anonymous caller too; the draft stays the participants'.
    const anonymous = t.runtime.contextFor(anonymousActor);
    expect((await listAdvisories(anonymous, {})).items.map((a) => a.id)).toEqual([draft.id]);
    expect((await getAdvisory(t.as(scene.outsider), draft.id)).draftReadable).toBe(false);
    expect(await refusal(advisoryDocument(anonymous, draft.id, { kind: 'draft' }))).toBeInstanceOf(NotFoundError);

    const served = await advisoryDocument(anonymous, draft.id, { kind: 'published' });
    const doc = parse(served.bytes);
    expect(await csafProblems(doc)).toEqual([]);
    expect(doc['document']).toMatchObject({
      distribution: { tlp: { label: 'WHITE' } },
      tracking: { status: 'final', version: '1', initial_release_date: '2026-06-03T09:00:00.000Z' },
    });
    // The hash and signature files are stored beside it, and the signature is the provider key's.
    const revision = await t.runtime.db.kysely
      .selectFrom('advisories_revision')
      .selectAll()
      .where('advisory_id', '=', draft.id)
      .executeTakeFirstOrThrow();
    const blob = async (sha: string) => (await t.runtime.blobs.get(sha))!;
    expect((await blob(revision.sha256_file)).toString()).toBe(hashFile('sha256', served.bytes, fileName));
    expect((await blob(revision.sha512_file)).toString()).toBe(hashFile('sha512', served.bytes, fileName));
    const signer = await csafSigner(settings.keyFile, t.clock.now());
    expect(revision.key_fingerprint).toBe(signer.fingerprint);
    expect(await verifyDetached(served.bytes, (await blob(revision.asc_file)).toString(), signer.publicKey)).toBe(true);
    expect(
      await verifyDetached(Buffer.from(`${served.bytes.toString()} `), (await blob(revision.asc_file)).toString(), signer.publicKey),
    ).toBe(false);
    const events = await t.runtime.db.kysely
      .selectFrom('platform_event')
      .select(['type', 'payload'])
      .where('subject_id', '=', draft.id)
      .execute();
    expect(events.map((e) => e.type)).toEqual(['advisories.advisory.published']);
    expect(
      JSON.parse(String(typeof events[0]!.payload === 'string' ? events[0]!.payload : JSON.stringify(events[0]!.payload))),
    ).toMatchObject({
      trackingId: scene.opened.number,
      version: '1',
      tlp: 'CLEAR',
      cveIds: ['CVE-2026-4343'],
      purls: ['pkg:npm/%40acme/widget@2.4.0'],
    });

    // Publishing what is published changes nothing; a new approved statement is the next revision.
    t.clock.set(new Date('2026-06-04T09:00:00.000Z'));
    expect((await publishAdvisory(coordinator, draft.id, settings)).version).toBe(1);
    const more = await setStatement(t.as(scene.globex), scene.opened.id, {
      clusterId: scene.clusterId,
      status: 'not_affected',
      product: { name: 'gizmo', version: '1.0' },
      justification: 'component_not_present',
      impactStatement: 'Gizmo has no archive support.',
    });
    await decideStatement(coordinator, more.id, { approve: true, version: more.version });
    const second = await publishAdvisory(coordinator, draft.trackingId, settings);
    expect(second).toMatchObject({ version: 2, path: published.path, publishedAt: '2026-06-03T09:00:00.000Z' });
    expect(second.revisions.map((r) => r.number)).toEqual([1, 2]);
    const next = parse((await advisoryDocument(anonymous, draft.id, { kind: 'published' })).bytes);
    expect(await csafProblems(next)).toEqual([]);
    expect(next['document']['tracking']).toMatchObject({
      version: '2',
      initial_release_date: '2026-06-03T09:00:00.000Z',
      current_release_date: '2026-06-04T09:00:00.000Z',
    });
    expect(next['document']['tracking']['revision_history']).toHaveLength(2);
    expect(parse((await advisoryDocument(anonymous, draft.id, { kind: 'published', revision: 1 })).bytes)).toEqual(doc);
    const audit = await t.runtime.db.kysely
      .selectFrom('audit_event' as never)
      .select('action' as never)
      .where('subject_id' as never, '=', draft.id as never)
      .orderBy('seq' as never)
      .execute();
    expect((audit as { action: string }[]).map((a) => a.action)).toEqual([
      'advisories.advisory.generate',
      'advisories.advisory.publish',
      'advisories.advisory.publish',
    ]);
  });

  it('are one per case when two coordinators generate at once', async () => {
    const t = get();
    const settings = testProviderSettings();
    const scene = await embargoedCase(t);
    const analyst = await t.user(t.coordinatorAdmin.orgId, 'analyst');
    const [a, b] = await Promise.all([
      generateAdvisory(t.as(t.coordinatorAdmin), scene.opened.id, {}, settings),
      generateAdvisory(t.as(analyst), scene.opened.id, {}, settings),
    ]);
    expect(a.id).toBe(b.id);
    expect((await listAdvisories(t.as(t.coordinatorAdmin), {})).items).toHaveLength(1);
  });
  it('tell no participant an id that only a report hidden from one of them names', async () => {
    const t = get();
    const settings = testProviderSettings();
    const researcher = await t.org('researcher');
    const coordinator = t.as(t.coordinatorAdmin);
    const clusterId = await acceptedClusterOf(t, researcher, 'CVE-2026-7171', { tlp: 'AMBER', recipients: {} });
    const opened = await openCase(coordinator, { clusterIds: [clusterId], title: 'Path traversal in a widget' });
    const vendor = await t.org('vendor');
    await addParticipant(coordinator, opened.id, { orgId: vendor.orgId });
    const statement = await setStatement(t.as(vendor), opened.id, {
      clusterId,
      status: 'fixed',
      product: { purl: 'pkg:npm/%40acme/widget@2.4.0' },
      fixedVersions: ['2.4.1'],
      fixUrl: 'https://acme.example/widget/2.4.1',
    });
    await decideStatement(coordinator, statement.id, { approve: true, version: statement.version });
    const draft = await generateAdvisory(coordinator, opened.id, {}, settings);
    const bytes = (await advisoryDocument(t.as(vendor), draft.id, { kind: 'draft' })).bytes;
    const doc = parse(bytes);
    expect(await csafProblems(doc)).toEqual([]);
    expect(doc['vulnerabilities'][0]['cve']).toBeUndefined();
    expect(bytes.toString('utf8')).not.toContain('CVE-2026-7171');
  });
});
