import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '../../../platform/errors.js';
import { eventsAbout } from '../../../platform/events/index.js';
import { CASE_OPENED, EMBARGO_CHANGED, PARTICIPANT_ADDED } from '../events.js';
import { acceptedCluster } from '../test-support/cases.js';
import { caseTimeline, getCase, listCases, openCase } from './cases.js';
import { addParticipant, declareVendorScopes, declineParticipant, proposeVendor } from './participants.js';
import { refusal } from '../test-support/refusal.js';

const DAY = 24 * 60 * 60 * 1000;

describeEachDatabase('cases', (dialect) => {
  const get = useTestRuntime(dialect);

  it('open from accepted clusters, numbered per year, with the coordinator and the reporters taking part', async () => {
    const { as, org, coordinatorAdmin } = get();
    const researcher = await org('researcher');
    const first = await acceptedCluster(get(), researcher, { aliases: ['CVE-2026-10001'] });
    const second = await acceptedCluster(get(), researcher);
    const one = await openCase(as(coordinatorAdmin), { clusterIds: [first], title: 'Uploader path traversal' });
    const two = await openCase(as(coordinatorAdmin), { clusterIds: [second] });
    expect([one.number, two.number]).toEqual(['CH-2026-0001', 'CH-2026-0002']);
    expect(one.participants.map((p) => [p.orgId, p.role, p.state]).sort()).toEqual(
      [
        [coordinatorAdmin.orgId, 'coordinator', 'active'],
        [researcher.orgId, 'reporter', 'active'],
      ].sort(),
    );
    expect(one.vulnerabilities[0]).toMatchObject({
      clusterId: first,
      aliases: ['CVE-2026-10001'],
      purls: ['pkg:npm/%40acme/uploader@1.2.3'],
    });
    expect(one.embargo.state).toBe('none');
    expect((await eventsAbout(get().runtime.db.kysely, one.id)).map((e) => e.type)).toContain(CASE_OPENED);

    // One cluster, one case; a cluster not accepted, or unknown, is named by its pointer.
    const again = await refusal(openCase(as(coordinatorAdmin), { clusterIds: [first] }));
    expect(again).toBeInstanceOf(ConflictError);
    expect(again).toMatchObject({ code: 'cluster-in-case', extensions: { caseNumber: 'CH-2026-0001' } });
    const bad = (await refusal(openCase(as(coordinatorAdmin), { clusterIds: ['clu_nope'], exploited: 'yes' }))) as InputError;
    expect(bad.issues.map((i) => i.pointer)).toEqual(['/exploited']);
    const unknown = (await refusal(openCase(as(coordinatorAdmin), { clusterIds: ['clu_nope'] }))) as InputError;
    expect(unknown.issues).toEqual([{ pointer: '/clusterIds/0', detail: 'no cluster clu_nope' }]);
    // Only coordinators open cases.
    const vendor = await org('vendor');
    const third = await acceptedCluster(get(), researcher);
    expect(await refusal(openCase(as(vendor), { clusterIds: [third] }))).toBeInstanceOf(NotAllowedError);
  });

  it('suggest vendors from their declared purl scopes; a coordinator approves; the first vendor starts the default embargo', async () => {
    const { as, org, coordinatorAdmin, clock, user } = get();
    const researcher = await org('researcher');
    const acme = await org('vendor', { name: 'ACME' });
    const upstream = await org('vendor', { name: 'Upstream' });
    const bystander = await org('vendor');
    await declareVendorScopes(as(acme), { scopes: ['pkg:npm/@acme'] });
    await declareVendorScopes(as(bystander), { scopes: ['pkg:pypi/django'] });
    const refused = (await refusal(declareVendorScopes(as(acme), { scopes: ['pkg:npm/@acme/uploader@1.0.0', 'nope'] }))) as InputError;
    expect(refused.issues.map((i) => i.pointer)).toEqual(['/scopes/0', '/scopes/1']);
    expect(await refusal(declareVendorScopes(as(acme), { orgId: bystander.orgId, scopes: [] }))).toBeInstanceOf(NotAllowedError);

    const clusterId = await acceptedCluster(get(), researcher);
    const opened = await openCase(as(coordinatorAdmin), { clusterIds: [clusterId] });
    const suggested = opened.participants.filter((p) => p.state === 'suggested');
    expect(suggested).toEqual([
      expect.objectContaining({
        orgId: acme.orgId,
        role: 'vendor',
        source: 'purl',
        matches: [{ purl: 'pkg:npm/%40acme/uploader@1.2.3', scope: 'pkg:npm/%40acme' }],
      }),
    ]);
    // Suggested is not yet taking part: the case does not exist for it.
    expect(await refusal(getCase(as(acme), opened.id))).toBeInstanceOf(NotFoundError);
    expect((await listCases(as(acme), {})).items).toEqual([]);

    clock.advance(60_000);
    const approved = await addParticipant(as(coordinatorAdmin), opened.number, { orgId: acme.orgId });
    expect(approved).toMatchObject({ state: 'active', notifiedAt: clock.now().toISOString(), seenAt: null });
    const contact = clock.now().getTime();
    clock.advance(60_000);
    const seen = await getCase(as(acme), opened.id);
    expect(seen.myRole).toBe('vendor');
    expect(seen.channels).toEqual(['common', `org:${acme.orgId}`]);
    // A vendor sees the coordinators and itself, not the reporter nor other vendors.
    expect(seen.participants.map((p) => p.orgId).sort()).toEqual([coordinatorAdmin.orgId, acme.orgId].sort());
    expect(seen.participants.find((p) => p.orgId === acme.orgId)?.seenAt).toBe(clock.now().toISOString());
    // The policy's 45 days from the first vendor contact.
    expect(seen.embargo).toMatchObject({ state: 'active', endsAt: new Date(contact + 45 * DAY).toISOString(), timeZone: 'UTC' });
    // Later readings — the same member again, a colleague, a coordinator — leave the first reading's time.
    const firstSeen = clock.now().toISOString();
    clock.advance(60_000);
    expect((await getCase(as(acme), opened.id)).participants.find((p) => p.orgId === acme.orgId)?.seenAt).toBe(firstSeen);
    clock.advance(60_000);
    await getCase(as(await user(acme.orgId, 'viewer')), opened.id);
    clock.advance(60_000);
    const later = await getCase(as(coordinatorAdmin), opened.id);
    expect(later.participants.find((p) => p.orgId === acme.orgId)?.seenAt).toBe(firstSeen);

    // A vendor proposes its upstream; it waits for a coordinator, who may decline.
    expect(await proposeVendor(as(acme), opened.id, { orgId: upstream.orgId, note: 'we ship their parser' })).toEqual({ proposed: true });
    expect(await refusal(proposeVendor(as(acme), opened.id, { orgId: researcher.orgId }))).toBeInstanceOf(InputError);
    expect(await refusal(proposeVendor(as(bystander), opened.id, { orgId: upstream.orgId }))).toBeInstanceOf(NotFoundError);
    const all = await getCase(as(coordinatorAdmin), opened.id);
    expect(all.participants.find((p) => p.orgId === upstream.orgId)).toMatchObject({ state: 'suggested', source: 'vendor' });
    expect((await declineParticipant(as(coordinatorAdmin), opened.id, upstream.orgId)).state).toBe('removed');

    const events = await eventsAbout(get().runtime.db.kysely, opened.id);
    expect(events.filter((e) => e.type === PARTICIPANT_ADDED).map((e) => (e.payload as { state: string }).state)).toEqual([
      'suggested',
      'active',
      'suggested',
    ]);
    expect(events.filter((e) => e.type === EMBARGO_CHANGED)).toHaveLength(1);
    // The timeline: everyone sees the opening and the embargo; the vendor its own addition, not the suggestions.
    const kinds = (await caseTimeline(as(acme), opened.id)).map((s) => s.kind);
    expect(kinds).toEqual(['case.opened', 'participant.added', 'embargo']);
    expect((await caseTimeline(as(coordinatorAdmin), opened.id)).map((s) => s.kind)).toContain('participant.declined');
  });

  it('show each participant only what the reports it may read say of the vulnerabilities', async () => {
    const { as, org, coordinatorAdmin } = get();
    const researcher = await org('researcher');
    const secretive = await org('researcher');
    const vendor = await org('vendor');
    // A TLP:RED report first (so that the cluster's stored title is its own), then an AMBER duplicate shared with the vendor.
    const red = { tlp: 'RED', recipients: { userIds: [secretive.userId] } } as const;
    const mixed = await acceptedCluster(get(), secretive, {
      ...red,
      title: 'Secret heap overflow',
      aliases: ['CVE-2026-20001', 'CVE-2026-29999'],
      purl: 'pkg:npm/%40acme/secret@1.0.0',
    });
    const shared = await acceptedCluster(get(), researcher, {
      recipients: { orgIds: [vendor.orgId] },
      title: 'Open path traversal',
      aliases: ['CVE-2026-20001'],
      purl: 'pkg:npm/%40acme/open@1.0.0',
    });
    expect(shared).toBe(mixed);
    const hidden = await acceptedCluster(get(), secretive, { ...red, title: 'Hidden', aliases: ['CVE-2026-29998'] });
    const opened = await openCase(as(coordinatorAdmin), { clusterIds: [mixed, hidden] });
    await addParticipant(as(coordinatorAdmin), opened.id, { orgId: vendor.orgId });

    const seen = await getCase(as(vendor), opened.id);
    expect(seen.vulnerabilities).toEqual([
      {
        clusterId: mixed,
        title: 'Open path traversal',
        aliases: ['CVE-2026-20001'],
        cveIds: [],
        cwes: ['CWE-22'],
        purls: ['pkg:npm/%40acme/open@1.0.0'],
        cvssVectors: [],
        references: [],
        credits: [],
        creditedOrganizations: [],
      },
      {
        clusterId: hidden,
        title: null,
        aliases: [],
        cveIds: [],
        cwes: [],
        purls: [],
        cvssVectors: [],
        references: [],
        credits: [],
        creditedOrganizations: [],
      },
    ]);
    expect(JSON.stringify(seen)).not.toMatch(/Secret|CVE-2026-2999[89]|%40acme\/secret/);
    // The coordinator reads every report.
    const all = await getCase(as(coordinatorAdmin), opened.id);
    expect(all.vulnerabilities[0]).toMatchObject({
      title: 'Secret heap overflow',
      aliases: ['CVE-2026-20001', 'CVE-2026-29999'],
      purls: ['pkg:npm/%40acme/open@1.0.0', 'pkg:npm/%40acme/secret@1.0.0'],
    });
    expect(all.vulnerabilities[1]).toMatchObject({ title: 'Hidden', aliases: ['CVE-2026-29998'] });
  });

  it('refuse the coordinator role to an organisation that is not a coordinator, naming /role, changing nothing', async () => {
    const { as, org, coordinatorAdmin } = get();
    const researcher = await org('researcher');
    const vendor = await org('vendor');
    const opened = await openCase(as(coordinatorAdmin), { clusterIds: [await acceptedCluster(get(), researcher)] });
    for (const orgId of [vendor.orgId, researcher.orgId]) {
      const refused = (await refusal(addParticipant(as(coordinatorAdmin), opened.id, { orgId, role: 'coordinator' }))) as InputError;
      expect(refused).toBeInstanceOf(InputError);
      expect(refused.issues).toEqual([{ pointer: '/role', detail: 'coordinator needs a coordinator organisation' }]);
    }
    const after = await getCase(as(coordinatorAdmin), opened.id);
    expect(after.participants.map((p) => [p.orgId, p.role]).sort()).toEqual(
      [
        [coordinatorAdmin.orgId, 'coordinator'],
        [researcher.orgId, 'reporter'],
      ].sort(),
    );
    expect(await refusal(getCase(as(vendor), opened.id))).toBeInstanceOf(NotFoundError);
  });

  it('hide a case from everyone not taking part, and refuse viewers', async () => {
    const { as, org, coordinatorAdmin, user } = get();
    const researcher = await org('researcher');
    const outsider = await org('vendor');
    const opened = await openCase(as(coordinatorAdmin), { clusterIds: [await acceptedCluster(get(), researcher)] });
    expect(await refusal(getCase(as(outsider), opened.number))).toBeInstanceOf(NotFoundError);
    expect(await refusal(caseTimeline(as(outsider), opened.id))).toBeInstanceOf(NotFoundError);
    expect((await listCases(as(researcher), {})).items.map((c) => c.id)).toEqual([opened.id]);
    const coordinatorViewer = await user(coordinatorAdmin.orgId, 'viewer');
    expect((await getCase(as(coordinatorViewer), opened.id)).number).toBe(opened.number);
    expect(await refusal(addParticipant(as(coordinatorViewer), opened.id, { orgId: outsider.orgId }))).toBeInstanceOf(NotAllowedError);
  });
});
