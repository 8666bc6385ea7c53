import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from './policy.js';
import { renderReportHtml } from './report-html.js';
import { buildReviewReport, REPORT_NOTICE } from './review-report.js';

const evil = `<script>alert("x")</script>&'\``;

function report() {
  return buildReviewReport({
    generatedAt: new Date('2026-06-20T00:00:00Z'),
    model: {
      id: 'model_1',
      name: evil,
      version: '1 <b>',
      developerOrgId: 'org_lab',
      plannedRelease: '2026-09-01',
      coveredStatus: 'covered',
    },
    review: {
      id: 'review_1',
      state: 'open',
      windowStart: '2026-06-10T13:00:00.000Z',
      windowEnd: '2026-07-10T13:00:00.000Z',
      timeZone: 'America/New_York',
      requestedDays: 30,
      policyVersion: 1,
    },
    policy: { version: 1, referenceThresholds: DEFAULT_POLICY.referenceThresholds },
    evaluations: [
      {
        id: 'eval_1',
        title: evil,
        kind: 'benchmark',
        authorOrgId: 'org_a',
        createdAt: '2026-06-12T00:00:00.000Z',
        measurements: [
          { benchmark: 'cybench', metric: 'accuracy', value: 0.4, scorer: null },
          { benchmark: 'cybench', metric: 'stderr', value: null, scorer: null },
          { benchmark: evil, metric: evil, value: 1, scorer: null },
        ],
      },
    ],
    riskFindings: [{ id: 'risk_1', title: evil, severity: 'high', status: 'open', authorOrgId: 'org_a', recommendation: evil }],
    vulnerabilities: {
      total: 2,
      visible: [{ id: 'vuln_1', title: evil, severity: 'high', status: 'reported', tlp: 'RED', createdAt: '2026-06-13T00:00:00.000Z' }],
    },
  });
}

describe('the review report', () => {
  it('compares results with reference values and states that it is informational only', () => {
    const r = report();
    expect(r).toMatchObject({ informationalOnly: true, notice: REPORT_NOTICE, final: false, vulnerabilities: { total: 2, withheld: 1 } });
    expect(r.evaluations[0]?.measurements.map((m) => m.relation)).toEqual(['at_or_beyond_reference', 'unscored', 'no_reference']);
    expect(r.summary).toMatchObject({ atOrBeyondReference: 1, unscored: 1, openRiskFindings: 1, riskFindingsBySeverity: { high: 1 } });
    expect(r.review.windowStartLocal).toBe('2026-06-10T09:00:00-04:00');
    expect(r.recommendations.map((x) => x.source)).toEqual(['risk_finding', 'reference_comparison']);
    expect(JSON.stringify(r)).not.toMatch(/approved|cleared|permitted|blocked/i);
  });

  it('escapes every value in the HTML page', () => {
    const html = renderReportHtml(report());
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;&#96;');
    expect(html).toContain('not a verdict');
    expect(html.match(/<script/gi)).toBeNull();
  });
});
