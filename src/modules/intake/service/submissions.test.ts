import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { InputError, NotFoundError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../../../platform/errors.js';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { verifyAuditChain } from '../../audit/index.js';
import { vendorCsafVex as csafVex } from '#test-support/vex-documents.js';
import { nativeDocument, nativeFinding, osvRecord } from '../test-support/native.js';
import { submissionContents } from './cluster-facts.js';
import { getCluster, listClusters } from './clusters.js';
import { VEX_SUBMITTED } from '../events.js';
import { getSubmission, processSubmission, submitDocument } from './submissions.js';
import { OFF_THREAD_BYTES } from './upload-threads.js';

describeEachDatabase('intake submissions', (dialect) => {
  const get = useTestRuntime(dialect);

  async function count(table: string): Promise<number> {
    const row = await get()
      .runtime.db.kysely.selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it('answers each finding new, then the same finding from another party as a duplicate of the first cluster', async () => {
    const { as, org, clock } = get();
    const lab = await org('model_developer');
    const agency = await org('agency');
    const first = await submitDocument(as(lab), {
      bytes: nativeDocument([
        nativeFinding(),
        nativeFinding({
          title: 'XSS in the profile page',
          cwe: ['CWE-79'],
          location: { path: 'shopfront/profile.py', function: 'render_profile' },
        }),
      ]),
    });
    expect(first.repeated).toBe(false);
    expect(first.submission).toMatchObject({ format: 'native', status: 'processed', findingCount: 2, tlp: 'AMBER' });
    expect(first.findings.map((f) => f.outcome)).toEqual(['new', 'new']);
    expect(first.findings[0]?.clusterId).not.toBe(first.findings[1]?.clusterId);

    clock.advance(60_000);
    // Same vulnerability, reworded, another line, another tool run: the fingerprint holds.
    const second = await submitDocument(as(agency), {
      bytes: nativeDocument(
        [
          nativeFinding({
            title: 'Unparameterized SQL in search_orders',
            description: 'different words',
            location: { path: 'shopfront/orders/search.py', function: 'search_orders', startLine: 57 },
          }),
        ],
        { tool: { name: 'otherscan', version: '9' } },
      ),
    });
    expect(second.findings).toEqual([
      {
        ref: '/findings/0',
        productId: null,
        outcome: 'duplicate',
        clusterId: first.findings[0]?.clusterId,
        // The first report is the lab's, at TLP:AMBER, not shared with the agency: a duplicate of a report
        // it cannot see, without its time.
        firstSeenAt: null,
        firstReportHidden: true,
      },
    ]);
    expect(JSON.stringify(second)).not.toContain(lab.orgId);
  });

  it('is idempotent for identical bytes from the same organisation', async () => {
    const { as, org } = get();
    const lab = await org('model_developer');
    const bytes = nativeDocument([nativeFinding()]);
    const first = await submitDocument(as(lab), { bytes });
    const again = await submitDocument(as(lab), { bytes: gzipSync(bytes) });
    expect(again.repeated).toBe(true);
    expect(again.submission.id).toBe(first.submission.id);
    expect(again.findings).toEqual(first.findings);
    expect(await count('intake_submission')).toBe(1);
    expect(await count('intake_finding')).toBe(1);
  });

  it('joins findings that share an alias, transitively, and merges clusters a later record shows to be one', async () => {
    const { as, org } = get();
    const researcher = await org('researcher');
    const a = await submitDocument(as(researcher), { bytes: osvRecord('PYSEC-2026-1', ['CVE-2026-1000']) });
    const b = await submitDocument(as(researcher), { bytes: osvRecord('GHSA-aaaa-bbbb-cccc', []) });
    expect(a.findings[0]?.clusterId).not.toBe(b.findings[0]?.clusterId);
    expect(a.submission.tlp).toBe('CLEAR');
    // A record naming both ids joins the two clusters into the older one.
    const c = await submitDocument(as(researcher), { bytes: osvRecord('OSV-2026-77', ['CVE-2026-1000', 'GHSA-aaaa-bbbb-cccc']) });
    expect(c.findings[0]).toMatchObject({ outcome: 'duplicate', clusterId: a.findings[0]?.clusterId });
    const merged = await getCluster(as(researcher), b.findings[0]!.clusterId);
    expect(merged.mergedInto).toBe(a.findings[0]?.clusterId);
    const survivor = await getCluster(as(researcher), a.findings[0]!.clusterId);
    expect(survivor.aliases).toEqual(['CVE-2026-1000', 'GHSA-aaaa-bbbb-cccc', 'OSV-2026-77', 'PYSEC-2026-1']);
    expect(survivor.findingCount).toBe(3);
    const fetched = await getSubmission(as(researcher), b.submission.id);
    expect(fetched.findings[0]?.clusterId).toBe(a.findings[0]?.clusterId);
    expect((await verifyAuditChain(get().runtime.db)).ok).toBe(true);
  });

  it('refuses bad input with the field and rule, storing nothing', async () => {
    const { as, org } = get();
    const lab = await org('model_developer');
    const before = { submissions: await count('intake_submission'), jobs: await count('platform_job') };
    await expect(
      submitDocument(as(lab), { bytes: Buffer.from('{"schema": "clearinghouse/findings@1", "findings": [') }),
    ).rejects.toBeInstanceOf(InputError);
    await expect(submitDocument(as(lab), { bytes: Buffer.from('') })).rejects.toBeInstanceOf(InputError);
    await expect(
      submitDocument(as(lab), { bytes: Buffer.from('{"bomFormat": "CycloneDX", "specVersion": "1.5"}') }),
    ).rejects.toBeInstanceOf(UnsupportedMediaTypeError);
    const schema = await submitDocument(as(lab), { bytes: nativeDocument([nativeFinding({ cwe: ['not-a-cwe'] })]) }).catch(
      (e: unknown) => e,
    );
    expect(schema).toBeInstanceOf(InputError);
    expect((schema as InputError).issues[0]?.pointer).toBe('/findings/0/cwe/0');
    await expect(submitDocument(as(lab), { bytes: osvRecord('PYSEC-2026-2', []), format: 'sarif' })).rejects.toBeInstanceOf(
      UnsupportedMediaTypeError,
    );
    const red = await submitDocument(as(lab), { bytes: nativeDocument([nativeFinding()]), tlp: 'RED' }).catch((e: unknown) => e);
    expect((red as InputError).issues[0]?.pointer).toBe('/recipients/userIds');
    const bomb = gzipSync(Buffer.alloc(80 * 1024 * 1024, 0x20));
    await expect(submitDocument(as(lab), { bytes: bomb })).rejects.toBeInstanceOf(PayloadTooLargeError);
    expect({ submissions: await count('intake_submission'), jobs: await count('platform_job') }).toEqual(before);
  });

  it('shows a submission and its clusters only to those the access policy allows', async () => {
    const { as, org, coordinatorAdmin } = get();
    const lab = await org('model_developer');
    const other = await org('vendor');
    const secret = await submitDocument(as(lab), { bytes: nativeDocument([nativeFinding()]) });
    const clusterId = secret.findings[0]!.clusterId;
    await expect(getSubmission(as(other), secret.submission.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getCluster(as(other), clusterId)).rejects.toBeInstanceOf(NotFoundError);
    expect((await listClusters(as(other), {})).items).toEqual([]);
    // The coordinator is a recipient of every submission.
    expect((await getCluster(as(coordinatorAdmin), clusterId)).findings).toHaveLength(1);
    // A GREEN report is seen by every member.
    const green = await submitDocument(as(lab), {
      bytes: nativeDocument([nativeFinding({ title: 'Other bug', location: { path: 'x.py', function: 'y' } })]),
      tlp: 'GREEN',
    });
    expect((await listClusters(as(other), {})).items.map((c) => c.id)).toEqual([green.findings[0]?.clusterId]);
    // Once the vendor reports the same bug, it sees the cluster, and only its own report in it.
    await submitDocument(as(other), { bytes: nativeDocument([nativeFinding({ description: 'ours' })]) });
    const seen = await getCluster(as(other), clusterId);
    expect(seen.findings.map((f) => f.reporterOrgId)).toEqual([other.orgId]);
    expect(seen.firstReport).toBeNull();
    // Counts are the vendor's to see: its own report only (DESIGN §5, derived data).
    expect(seen.findingCount).toBe(1);
    expect((await getCluster(as(coordinatorAdmin), clusterId)).findingCount).toBe(2);
  });

  it('filters clusters by target, CWE, alias, reporter and time', async () => {
    const { as, org, coordinatorAdmin, clock } = get();
    const lab = await org('model_developer');
    await submitDocument(as(lab), { bytes: nativeDocument([nativeFinding()]) });
    clock.advance(3_600_000);
    const later = clock.now().toISOString();
    await submitDocument(as(lab), {
      bytes: nativeDocument([
        nativeFinding({
          title: 'Path traversal',
          cwe: ['CWE-22'],
          target: { purl: 'pkg:npm/left-pad@1.0.0' },
          location: { path: 'index.js', function: 'pad' },
          aliases: ['CVE-2026-4242'],
        }),
      ]),
    });
    const ctx = as(coordinatorAdmin);
    expect((await listClusters(ctx, { cwe: '22' })).items.map((c) => c.title)).toEqual(['Path traversal']);
    expect((await listClusters(ctx, { target: 'pkg:pypi/' })).items.map((c) => c.cwes)).toEqual([['CWE-89']]);
    expect((await listClusters(ctx, { alias: 'cve-2026-4242' })).items).toHaveLength(1);
    expect((await listClusters(ctx, { since: later })).items.map((c) => c.title)).toEqual(['Path traversal']);
    expect((await listClusters(ctx, { reporter: lab.orgId })).items).toHaveLength(2);
    expect((await listClusters(ctx, { reporter: coordinatorAdmin.orgId })).items).toHaveLength(0);
    await expect(listClusters(ctx, { cwe: 'sql' })).rejects.toBeInstanceOf(InputError);
  });

  it('reads a vendor’s CSAF VEX as statements for its cases, not findings; anyone else’s as findings', async () => {
    const { as, org, runtime } = get();
    const vendor = await org('vendor');
    const agency = await org('agency');
    const bytes = Buffer.from(JSON.stringify(csafVex()));
    const fromVendor = await submitDocument(as(vendor), { bytes });
    expect(fromVendor.submission).toMatchObject({ format: 'csaf', status: 'statements', findingCount: 0 });
    expect(fromVendor.findings).toEqual([]);
    const events = await runtime.db.kysely
      .selectFrom('platform_event')
      .select(['type', 'subject_id', 'payload'])
      .where('type', '=', VEX_SUBMITTED)
      .execute();
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]?.payload ?? '{}')).toMatchObject({
      submissionId: fromVendor.submission.id,
      orgId: vendor.orgId,
      format: 'csaf',
      documentId: 'ACME-VEX-2026-001',
      sha256: fromVendor.submission.sha256,
      statements: 1,
    });
    expect(await count('intake_finding')).toBe(0);
    // The processing job never clusters it, even if asked.
    await processSubmission(as(vendor), fromVendor.submission.id);
    expect(await count('intake_finding')).toBe(0);

    const fromAgency = await submitDocument(as(agency), { bytes });
    expect(fromAgency.submission).toMatchObject({ status: 'processed', findingCount: 1 });
    expect(fromAgency.findings).toHaveLength(1);
  });
});

describeEachDatabase('intake submissions from scan campaigns', (dialect) => {
  const get = useTestRuntime(dialect);

  it('keep the campaign the submitter named, for the scanning module to link what it found', async () => {
    const { as, org } = get();
    const agency = await org('agency');
    const answer = await submitDocument(as(agency), {
      bytes: nativeDocument([nativeFinding()]),
      campaignId: 'cmp_01J0000000000000000000000',
    });
    const contents = await submissionContents(get().runtime.db.kysely, answer.submission.id);
    expect(contents.submission.campaignId).toBe('cmp_01J0000000000000000000000');
    const plain = await submitDocument(as(agency), { bytes: nativeDocument([nativeFinding({ title: 'another' })]) });
    expect((await submissionContents(get().runtime.db.kysely, plain.submission.id)).submission.campaignId).toBeNull();
  });

  it('stores a large submission read on an upload thread as it stores a small one, and refuses a bad one storing nothing', async () => {
    const { as, org } = get();
    const lab = await org('model_developer');
    // 300 distinct findings, then each again reworded on another line: the same 300 fingerprints.
    const findings = Array.from({ length: 600 }, (_, i) =>
      nativeFinding({
        title: i < 300 ? `SQL injection ${i}` : `unbound query ${i - 300}`,
        location: { path: `shop/orders/search${i % 300}.py`, function: `search_${i % 300}`, startLine: i + 1 },
      }),
    );
    const bytes = nativeDocument(findings);
    expect(bytes.length).toBeGreaterThan(OFF_THREAD_BYTES);
    const answer = await submitDocument(as(lab), { bytes });
    expect(answer.submission).toMatchObject({
      status: 'processed',
      findingCount: 600,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    expect(answer.findings.map((f) => f.outcome)).toEqual([...Array(300).fill('new'), ...Array(300).fill('duplicate')]);
    expect(answer.findings.slice(300).map((f) => f.clusterId)).toEqual(answer.findings.slice(0, 300).map((f) => f.clusterId));
    expect((await getSubmission(as(lab), answer.submission.id)).findings).toEqual(answer.findings);

    const count = async (table: string) =>
      Number(
        (
          await get()
            .runtime.db.kysely.selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = { submissions: await count('intake_submission'), findings: await count('intake_finding') };
    findings[450] = nativeFinding({ location: { path: '../../etc/passwd' } });
    const refused = await submitDocument(as(lab), { bytes: nativeDocument(findings) }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as InputError).issues).toEqual([
      { pointer: '/findings/450/location/path', detail: expect.stringContaining('relative path') },
    ]);
    expect({ submissions: await count('intake_submission'), findings: await count('intake_finding') }).toEqual(before);
  });
});
