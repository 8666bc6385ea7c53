import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { ConflictError, InputError, NotAllowedError } from '../../../platform/errors.js';
import { verifyAuditChain } from '../../audit/index.js';
import { auditEvents } from '#test-support/audit.js';
import { nativeDocument, nativeFinding } from '../test-support/native.js';
import { getCluster } from './clusters.js';
import { decideCandidate, listCandidates } from './near-duplicates.js';
import { listRegroups, mergeClusters, splitCluster, undoRegroup } from './regroup.js';
import { submitDocument } from './submissions.js';

describeEachDatabase('intake regrouping', (dialect) => {
  const get = useTestRuntime(dialect);

  async function twoClusters() {
    const { as, org } = get();
    const lab = await org('model_developer');
    const a = await submitDocument(as(lab), { bytes: nativeDocument([nativeFinding({ aliases: ['CVE-2026-2001'] })]) });
    const b = await submitDocument(as(lab), {
      bytes: nativeDocument([
        nativeFinding({ title: 'Another', location: { path: 'other.py', function: 'f' }, aliases: ['CVE-2026-2002'] }),
      ]),
    });
    return { lab, a: a.findings[0]!.clusterId, b: b.findings[0]!.clusterId };
  }

  it('merges two clusters and undoes the merge exactly, audited both ways', async () => {
    const { as, coordinatorAdmin } = get();
    const { a, b } = await twoClusters();
    const ctx = as(coordinatorAdmin);
    const merge = await mergeClusters(ctx, { from: b, into: a, reason: 'same bug, two CVEs assigned by mistake' });
    expect((await getCluster(ctx, a)).aliases).toEqual(['CVE-2026-2001', 'CVE-2026-2002']);
    expect((await getCluster(ctx, a)).findingCount).toBe(2);
    expect((await getCluster(ctx, b)).mergedInto).toBe(a);
    await expect(mergeClusters(ctx, { from: b, into: a, reason: 'again' })).rejects.toBeInstanceOf(ConflictError);

    // A new report of CVE-2026-2002 now lands in the survivor.
    const { lab } = { lab: await get().org('researcher') };
    const late = await submitDocument(as(lab), {
      bytes: nativeDocument([nativeFinding({ title: 'late', location: { path: 'z.py', function: 'z' }, aliases: ['CVE-2026-2002'] })]),
    });
    expect(late.findings[0]?.clusterId).toBe(a);

    await undoRegroup(ctx, merge.id);
    const restored = await getCluster(ctx, b);
    expect(restored.mergedInto).toBeNull();
    expect(restored.aliases).toEqual(['CVE-2026-2002']);
    expect((await getCluster(ctx, a)).aliases).toEqual(['CVE-2026-2001']);
    await expect(undoRegroup(ctx, merge.id)).rejects.toBeInstanceOf(ConflictError);
    const actions = (await auditEvents(get().system, { action: 'intake.', limit: 100 })).items.map((e) => e.action);
    expect(actions).toContain('intake.cluster.merge');
    expect(actions).toContain('intake.regroup.undo');
    expect((await verifyAuditChain(get().runtime.db)).ok).toBe(true);
  });

  it('splits reports off with the keys only they carry, and undoes the split', async () => {
    const { as, org, coordinatorAdmin } = get();
    const lab = await org('model_developer');
    const ctx = as(coordinatorAdmin);
    const answer = await submitDocument(as(lab), {
      bytes: nativeDocument([
        nativeFinding({ aliases: ['CVE-2026-3001'] }),
        nativeFinding({ title: 'wrongly linked', location: { path: 'b.py', function: 'b' }, aliases: ['CVE-2026-3001', 'CVE-2026-3999'] }),
      ]),
    });
    const clusterId = answer.findings[0]!.clusterId;
    expect(answer.findings[1]?.clusterId).toBe(clusterId);
    const cluster = await getCluster(ctx, clusterId);
    const second = cluster.findings[1]!.id;
    await expect(splitCluster(ctx, clusterId, { findingIds: cluster.findings.map((f) => f.id), reason: 'all' })).rejects.toBeInstanceOf(
      InputError,
    );
    const split = await splitCluster(ctx, clusterId, { findingIds: [second], reason: 'a different bug' });
    expect(split.cluster.findings.map((f) => f.id)).toEqual([second]);
    expect(split.cluster.aliases).toEqual(['CVE-2026-3999']);
    expect((await getCluster(ctx, clusterId)).aliases).toEqual(['CVE-2026-3001']);
    expect((await listRegroups(ctx, clusterId)).items.map((r) => r.kind)).toEqual(['split']);
    await undoRegroup(ctx, split.regroup.id);
    expect((await getCluster(ctx, clusterId)).findingCount).toBe(2);
    expect((await getCluster(ctx, split.cluster.id)).mergedInto).toBe(clusterId);
  });

  it('lets only coordinator analysts and admins regroup', async () => {
    const { as, user, coordinatorAdmin } = get();
    const { lab, a, b } = await twoClusters();
    await expect(mergeClusters(as(lab), { from: b, into: a, reason: 'mine' })).rejects.toBeInstanceOf(NotAllowedError);
    const viewer = await user(coordinatorAdmin.orgId, 'viewer');
    await expect(mergeClusters(as(viewer), { from: b, into: a, reason: 'x' })).rejects.toBeInstanceOf(NotAllowedError);
  });

  it('proposes near duplicates in the background, never merging them, and merges on a coordinator’s decision', async () => {
    const { as, org, coordinatorAdmin, runtime } = get();
    const one = await org('model_developer');
    const two = await org('agency');
    const text =
      'The search endpoint concatenates the user supplied query string into a SQL statement, allowing injection of arbitrary SQL through the q parameter of the orders search view';
    const a = await submitDocument(as(one), {
      bytes: nativeDocument([
        nativeFinding({ description: text, location: { path: 'shopfront/orders/search.py', function: 'search_orders' } }),
      ]),
    });
    // Same file, another function name (a refactor), same words: the fingerprint differs, the text does not.
    const b = await submitDocument(as(two), {
      bytes: nativeDocument([
        nativeFinding({ description: `${text}.`, location: { path: 'shopfront/orders/search.py', function: 'find_orders' } }),
      ]),
    });
    expect(b.findings[0]?.outcome).toBe('new');
    await runtime.jobs.drain();
    const ctx = as(coordinatorAdmin);
    const candidates = (await listCandidates(ctx, a.findings[0]!.clusterId)).items;
    expect(candidates).toHaveLength(1);
    expect(candidates[0]).toMatchObject({ status: 'proposed', other: { id: b.findings[0]?.clusterId } });
    expect(candidates[0]?.reason).toContain('same file shopfront/orders/search.py');
    expect(candidates[0]?.similarity).toBeGreaterThan(0.6);
    expect((await getCluster(ctx, b.findings[0]!.clusterId)).mergedInto).toBeNull();
    // The lab sees no candidate pointing at the agency's cluster it may not see.
    expect((await listCandidates(as(one), a.findings[0]!.clusterId)).items).toEqual([]);

    const decided = await decideCandidate(ctx, candidates[0]!.id, 'merge');
    expect(decided.regroup?.intoClusterId).toBe(a.findings[0]?.clusterId);
    expect(decided.status).toBe('merged');
    // The merged cluster has no reports left to show, so the settled proposal drops out of the list.
    expect((await listCandidates(ctx, a.findings[0]!.clusterId)).items).toEqual([]);
    await expect(decideCandidate(ctx, candidates[0]!.id, 'dismiss')).rejects.toBeInstanceOf(ConflictError);
  });
  it('lists a proposal only to those who may see every report of both clusters, and decides it once', async () => {
    const { as, org, coordinatorAdmin, runtime } = get();
    const one = await org('model_developer');
    const two = await org('agency');
    const text =
      'The export handler builds a shell command from the file name the user uploads, so a crafted name runs arbitrary commands on the reporting host';
    const a = await submitDocument(as(one), {
      bytes: nativeDocument([nativeFinding({ description: text, location: { path: 'reports/export.py', function: 'export_pdf' } })]),
    });
    const hidden = nativeFinding({ description: `${text}.`, location: { path: 'reports/export.py', function: 'render_pdf' } });
    const b = await submitDocument(as(two), { bytes: nativeDocument([hidden]) });
    await runtime.jobs.drain();
    const clusterA = a.findings[0]!.clusterId;
    const clusterB = b.findings[0]!.clusterId;
    const coordinator = as(coordinatorAdmin);
    const [proposal] = (await listCandidates(coordinator, clusterA)).items;
    expect(proposal?.other.id).toBe(clusterB);

    // The lab now reports the agency's bug too: it sees one report of each cluster, not the agency's.
    const again = await submitDocument(as(one), { bytes: nativeDocument([hidden]) });
    expect(again.findings[0]?.clusterId).toBe(clusterB);
    await runtime.jobs.drain();
    expect((await listCandidates(as(one), clusterA)).items).toEqual([]);
    expect((await listCandidates(as(one), clusterB)).items).toEqual([]);
    expect((await listCandidates(as(two), clusterB)).items.map((c) => c.id)).toEqual([]);
    expect((await listCandidates(coordinator, clusterB)).items.map((c) => c.id)).toEqual([proposal!.id]);

    // Two coordinators dismissing at once: one decides, the other is told it was decided.
    const answers = await Promise.allSettled([
      decideCandidate(coordinator, proposal!.id, 'dismiss'),
      decideCandidate(coordinator, proposal!.id, 'dismiss'),
    ]);
    expect(answers.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
    const refused = answers.find((x): x is PromiseRejectedResult => x.status === 'rejected');
    expect(refused?.reason).toBeInstanceOf(ConflictError);
    const dismissals = (await auditEvents(get().system, { action: 'intake.candidate.dismiss', limit: 10 })).items;
    expect(dismissals).toHaveLength(1);
  });
});
