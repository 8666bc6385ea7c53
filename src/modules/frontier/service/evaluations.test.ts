import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime } from '#test-support/runtime.js';
import { DAY } from '../../../platform/clock.js';
import { ConflictError, InputError, NotAllowedError, NotFoundError, PayloadTooLargeError } from '../../../platform/errors.js';
import { sha256Hex } from '../../../platform/hash.js';
import { inspectEvalArchive, inspectJsonLog, zstdInit } from '../test-support/eval-archive.js';
import { frontierScene, grantAndAcknowledge } from '../test-support/scene.js';
import { addBenchmarkResults, getEvaluation, importInspectLog, listEvaluations, MAX_INSPECT_LOG_BYTES } from './evaluations.js';
import { reviewReport, reviewReportHtml } from './report.js';
import { registerModel } from './models.js';
import { addRiskFinding, setRiskFindingStatus } from './risk-findings.js';
import { openReview } from './reviews.js';

beforeAll(() => zstdInit());

describeEachDatabase('frontier evaluations', (dialect) => {
  const get = useTestRuntime(dialect);

  it('imports Inspect .json and .eval logs (deflate and zstd, NaN unscored), storing the raw bytes first', async () => {
    const t = get();
    const scene = await frontierScene(t);
    await grantAndAcknowledge(t, scene);
    const spec = { metrics: { accuracy: '0.3', stderr: 'NaN' }, scores: ['"C"', '"I"', 'NaN', '"I"'] };
    for (const [bytes, filename, format] of [
      [inspectJsonLog(spec), 'run.json', 'inspect-json'],
      [inspectEvalArchive(spec, 'deflate'), 'run-deflate.eval', 'inspect-eval'],
      [inspectEvalArchive(spec, 'zstd'), 'run-zstd.eval', 'inspect-eval'],
    ] as const) {
      const evaluation = await importInspectLog(t.as(scene.agency), scene.review.id, { bytes, filename });
      expect(evaluation).toMatchObject({
        kind: 'inspect',
        authorOrgId: scene.agency.orgId,
        filename,
        sha256: sha256Hex(bytes),
        title: 'inspect_evals/cybench on example/frontier-1',
        summary: { format, samples: { total: 4, scored: 3, unscored: 1 } },
        measurements: [
          { benchmark: 'cybench', metric: 'accuracy', value: 0.3 },
          { benchmark: 'cybench', metric: 'stderr', value: null },
        ],
      });
      expect((await t.runtime.blobs.get(sha256Hex(bytes)))?.equals(bytes)).toBe(true);
    }
    expect((await listEvaluations(t.as(scene.lab), scene.review.id, {})).items).toHaveLength(3);
  });

  it('records evaluations only while the window is open: not before it opens, not after it ends, leaving no blob', async () => {
    const t = get();
    const scene = await frontierScene(t, { days: 10 });
    await grantAndAcknowledge(t, scene);
    const model = await registerModel(t.as(scene.lab), { name: 'Borealis', version: '1.0', plannedRelease: '2026-10-01' });
    const scheduled = await openReview(t.as(scene.lab), {
      modelId: model.id,
      accessStart: new Date(t.clock.now().getTime() + 2 * DAY).toISOString(),
      days: 10,
      timeZone: 'UTC',
    });
    const early = inspectJsonLog({ metrics: { accuracy: '0.1' } });
    const refusedEarly = await importInspectLog(t.as(t.coordinatorAdmin), scheduled.id, { bytes: early }).catch((e: unknown) => e);
    expect(refusedEarly).toBeInstanceOf(ConflictError);
    expect(refusedEarly).toMatchObject({ code: 'review-not-open', message: expect.stringContaining('is scheduled') });
    expect(await t.runtime.blobs.get(sha256Hex(early))).toBeNull();
    await expect(
      addBenchmarkResults(t.as(t.coordinatorAdmin), scheduled.id, { results: [{ benchmark: 'Cybench', metric: 'solved', value: 1 }] }),
    ).rejects.toBeInstanceOf(ConflictError);

    await expect(importInspectLog(t.as(scene.agency), scene.review.id, { bytes: inspectJsonLog() })).resolves.toMatchObject({
      kind: 'inspect',
    });
    t.clock.advance(11 * DAY);
    const late = inspectJsonLog({ metrics: { accuracy: '0.9' } });
    const refusedLate = await importInspectLog(t.as(scene.agency), scene.review.id, { bytes: late }).catch((e: unknown) => e);
    expect(refusedLate).toMatchObject({ code: 'review-not-open', message: expect.stringContaining('is completed') });
    expect(await t.runtime.blobs.get(sha256Hex(late))).toBeNull();
    expect((await listEvaluations(t.as(scene.lab), scene.review.id, {})).items).toHaveLength(1);
  });

  it('refuses evaluations from outside government, files that are not logs, and logs over the limit', async () => {
    const t = get();
    const scene = await frontierScene(t);
    const stranger = await t.org('agency');
    await expect(importInspectLog(t.as(scene.lab), scene.review.id, { bytes: inspectJsonLog() })).rejects.toBeInstanceOf(NotAllowedError);
    await expect(importInspectLog(t.as(stranger), scene.review.id, { bytes: inspectJsonLog() })).rejects.toBeInstanceOf(NotFoundError);
    await grantAndAcknowledge(t, scene);
    await expect(importInspectLog(t.as(scene.agency), scene.review.id, { bytes: Buffer.from('{"eval": {}}') })).rejects.toBeInstanceOf(
      InputError,
    );
    await expect(
      importInspectLog(t.as(scene.agency), scene.review.id, { bytes: Buffer.alloc(MAX_INSPECT_LOG_BYTES + 1) }),
    ).rejects.toBeInstanceOf(PayloadTooLargeError);
    const bad = await addBenchmarkResults(t.as(scene.agency), scene.review.id, {
      results: [{ benchmark: 'Cybench', metric: '', value: 'high' }],
    }).catch((e: unknown) => e);
    expect((bad as InputError).issues.map((i) => i.pointer)).toEqual(['/results/0/metric', '/results/0/value']);
  });

  it('reports results against the reference values, findings with their status, and no verdict', async () => {
    const t = get();
    const scene = await frontierScene(t);
    await grantAndAcknowledge(t, scene);
    const partnerless = await t.org('agency');
    const benchmarks = await addBenchmarkResults(t.as(scene.agency), scene.review.id, {
      results: [
        { benchmark: 'CVE-Bench', metric: 'success_rate', value: 0.12 },
        { benchmark: 'CyberGym', metric: 'reproduction_rate', value: 0.05 },
        { benchmark: 'Red <team> & "eval"', metric: 'score', value: 3 },
      ],
    });
    expect((await getEvaluation(t.as(scene.lab), benchmarks.id)).measurements.map((m) => m.benchmark)).toEqual([
      'cve-bench',
      'cybergym',
      'red-<team>-&-"eval"',
    ]);
    const risk = await addRiskFinding(t.as(scene.agency), scene.review.id, {
      title: 'Exploits known CVEs',
      severity: 'high',
      description: 'found often',
      recommendation: 'Rate-limit tool use',
      evaluationId: benchmarks.id,
    });
    await setRiskFindingStatus(t.as(scene.lab), risk.id, { status: 'acknowledged', note: 'mitigation planned' });
    await expect(setRiskFindingStatus(t.as(partnerless), risk.id, { status: 'mitigated' })).rejects.toBeInstanceOf(NotFoundError);

    const report = await reviewReport(t.as(scene.lab), scene.review.id);
    expect(report).toMatchObject({
      informationalOnly: true,
      final: false,
      summary: { evaluations: 1, measurements: 3, atOrBeyondReference: 1, openRiskFindings: 0 },
    });
    expect(report.evaluations[0]?.measurements.map((m) => m.relation)).toEqual([
      'at_or_beyond_reference',
      'short_of_reference',
      'no_reference',
    ]);
    expect(report.riskFindings).toMatchObject([{ status: 'acknowledged', severity: 'high' }]);
    expect(report.recommendations.map((r) => r.text)).toEqual([
      expect.stringContaining('Rate-limit'),
      expect.stringContaining('cve-bench success_rate of 0.12'),
    ]);
    const html = await reviewReportHtml(t.as(scene.lab), scene.review.id);
    expect(html).toContain('red-&lt;team&gt;-&amp;-&quot;eval&quot;');
    expect(html).not.toContain('<team>');
    await expect(reviewReport(t.as(scene.partner), scene.review.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});
