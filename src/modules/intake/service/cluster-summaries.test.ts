import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { ConflictError } from '../../../platform/errors.js';
import { nativeDocument, nativeFinding } from '../test-support/native.js';
import { getCluster, listClusters } from './clusters.js';
import { getSubmission, submitDocument } from './submissions.js';

/**
 * DESIGN §5, derived data: what a party is shown of a cluster is computed from the reports it may see, and
 * a duplicate of a report it may not see says only that. The oracle is the documents written here: the
 * embargoed report's words must never reach the party it was not sent to.
 */
const embargoedDocument = () =>
  nativeDocument([
    nativeFinding({
      title: 'Embargoed overflow in the frame parser',
      target: { purl: 'pkg:npm/embargoed-lib@1.0.0' },
      cwe: ['CWE-787'],
      aliases: ['CVE-2099-11111', 'CVE-2099-22222'],
      location: { path: 'src/frames.js', function: 'parseFrame' },
    }),
  ]);

describeEachDatabase('cluster summaries per viewer', (dialect) => {
  const get = useTestRuntime(dialect);

  async function embargoedThenOpen() {
    const { as, org, user, clock } = get();
    const lab = await org('researcher');
    const named = await org('vendor');
    const vendor = await org('vendor');
    clock.set('2026-06-02T12:00:00.000Z');
    const red = await submitDocument(as(lab), {
      bytes: embargoedDocument(),
      tlp: 'RED',
      recipients: { userIds: [named.userId] },
    });
    clock.set('2026-06-03T09:00:00.000Z');
    const green = await submitDocument(as(vendor), {
      bytes: nativeDocument([
        nativeFinding({
          title: 'Frame parser crash',
          target: { purl: 'pkg:npm/open-lib@2.0.0' },
          cwe: ['CWE-125'],
          aliases: ['CVE-2099-22222'],
          location: { path: 'lib/parse.js', function: 'parse' },
        }),
      ]),
      tlp: 'GREEN',
    });
    const colleague = await user(lab.orgId, 'admin');
    return { lab, named, vendor, colleague, red, green, clusterId: red.findings[0]!.clusterId };
  }

  it('shows a party the title, target, CWEs, aliases, first-seen time and counts of the reports it may see', async () => {
    const { as, coordinatorAdmin } = get();
    const { lab, named, vendor, green, clusterId } = await embargoedThenOpen();
    expect(green.findings[0]!.clusterId).toBe(clusterId);

    const outsider = await get().org('agency');
    const seenByOutsider = await getCluster(as(outsider), clusterId);
    expect(seenByOutsider).toMatchObject({
      title: 'Frame parser crash',
      targetIdentity: 'pkg:npm/open-lib',
      cwes: ['CWE-125'],
      aliases: ['CVE-2099-22222'],
      firstSeenAt: '2026-06-03T09:00:00.000Z',
      findingCount: 1,
      reporterCount: 1,
    });
    expect(JSON.stringify(seenByOutsider)).not.toMatch(/Embargoed|embargoed-lib|CVE-2099-11111|CWE-787|2026-06-02/);
    const listed = await listClusters(as(vendor), { alias: 'CVE-2099-22222' });
    expect(listed.items).toEqual([expect.objectContaining({ id: clusterId, title: 'Frame parser crash', findingCount: 1 })]);
    // Filters read the reports the caller may see: a hidden report's alias, target or time finds nothing.
    expect((await listClusters(as(vendor), { alias: 'CVE-2099-11111' })).items).toEqual([]);
    expect((await listClusters(as(vendor), { target: 'pkg:npm/embargoed-lib' })).items).toEqual([]);
    expect((await listClusters(as(vendor), { cwe: 'CWE-787' })).items).toEqual([]);
    expect((await listClusters(as(vendor), { since: '2026-06-02T18:00:00.000Z' })).items.map((c) => c.id)).toContain(clusterId);

    // Those who may see every report (the named recipient, the coordinator) see the whole summary.
    for (const whole of [named, coordinatorAdmin, lab]) {
      expect(await getCluster(as(whole), clusterId)).toMatchObject({
        title: 'Embargoed overflow in the frame parser',
        targetIdentity: 'pkg:npm/embargoed-lib',
        aliases: ['CVE-2099-11111', 'CVE-2099-22222'],
        firstSeenAt: '2026-06-02T12:00:00.000Z',
        findingCount: 2,
        reporterCount: 2,
      });
    }
  });

  it('answers a duplicate of a report the submitter may not see without its time, and one it may see with it', async () => {
    const { as } = get();
    const { named, green } = await embargoedThenOpen();
    expect(green.findings[0]).toMatchObject({ outcome: 'duplicate', firstSeenAt: null, firstReportHidden: true });
    expect((await getSubmission(as(named), green.submission.id)).findings[0]).toMatchObject({
      outcome: 'duplicate',
      firstSeenAt: '2026-06-02T12:00:00.000Z',
      firstReportHidden: false,
    });
    expect(green.submission.readers).toMatch(/coordinator organisation's analysts and admins/);
  });

  it('refuses, storing nothing, bytes a colleague submitted under a label that keeps them from the caller', async () => {
    const { as, runtime } = get();
    const { colleague, red } = await embargoedThenOpen();
    const before = await runtime.db.kysely
      .selectFrom('intake_submission')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const bytes = embargoedDocument();
    const refused = await submitDocument(as(colleague), { bytes, tlp: 'GREEN' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConflictError);
    const conflict = refused as ConflictError;
    expect(conflict.code).toBe('submitted-before-hidden');
    // What the problem carries (its detail and extension members) says only that the bytes are known: not
    // which submission, when, under which clusters or by whom.
    expect(conflict.message).toMatch(/submitted these bytes before/);
    expect(conflict.extensions).toEqual({});
    const said = [conflict.message, ...Object.values(conflict.extensions).map((v) => JSON.stringify(v))].join('\n');
    for (const secret of [red.submission.id, red.findings[0]!.clusterId, red.submission.createdAt, 'Embargoed', 'CVE-2099-11111'])
      expect(said).not.toContain(secret);
    const after = await runtime.db.kysely
      .selectFrom('intake_submission')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
