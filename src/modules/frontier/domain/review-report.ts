import type { Measurement } from './benchmarks.js';
import type { ReferenceThreshold } from './policy.js';
import { compareToReference, type ComparedMeasurement } from './reference-comparison.js';
import { formatInZone, isFinalState, type ReviewState } from './review-window.js';

/**
 * The review report for the developer: evaluation results against the policy's reference values,
 * findings and their status, recommendations. It informs; it decides nothing.
 */
export const REPORT_NOTICE =
  'This report is informational. It is not a verdict on the model or its release: the program is voluntary, the release date ' +
  'remains the developer’s alone, and nothing in it creates a licensing, preclearance or permitting requirement. Reference ' +
  'values are context from policy data, not pass marks.';

/** What the report reads of an evaluation; the service hands over the whole record, which the report keeps. */
export interface ReportEvaluation {
  readonly id: string;
  readonly title: string;
  readonly kind: string;
  readonly authorOrgId: string;
  readonly createdAt: string;
  readonly measurements: readonly Measurement[];
}

/** What the report reads of a risk finding (the whole record is kept). */
export interface ReportRiskFinding {
  readonly id: string;
  readonly title: string;
  readonly severity: string;
  readonly status: string;
  readonly authorOrgId: string;
  readonly recommendation: string | null;
}

/** What the report reads of a model-found vulnerability (the whole record is kept). */
export interface ReportVulnerability {
  readonly id: string;
  readonly title: string;
  readonly severity: string | null;
  readonly status: string;
  readonly tlp: string;
  readonly createdAt: string;
}

/**
 * The report's input. Generic in its records so that the report carries each record whole, as its own route
 * gives it (the report route's schema lists them so): the report reads only the fields its item types name.
 */
export interface ReportInput<
  E extends ReportEvaluation = ReportEvaluation,
  R extends ReportRiskFinding = ReportRiskFinding,
  V extends ReportVulnerability = ReportVulnerability,
> {
  readonly generatedAt: Date;
  readonly model: {
    readonly id: string;
    readonly name: string;
    readonly version: string;
    readonly developerOrgId: string;
    readonly plannedRelease: string;
    readonly coveredStatus: string;
  };
  readonly review: {
    readonly id: string;
    readonly state: ReviewState;
    readonly windowStart: string;
    readonly windowEnd: string;
    readonly timeZone: string;
    readonly requestedDays: number;
    readonly policyVersion: number;
  };
  readonly policy: { readonly version: number; readonly referenceThresholds: readonly ReferenceThreshold[] };
  readonly evaluations: readonly E[];
  readonly riskFindings: readonly R[];
  /** The model-found vulnerabilities the reader may see, and how many exist in all. */
  readonly vulnerabilities: { readonly total: number; readonly visible: readonly V[] };
}

/** Where a recommendation comes from: a risk finding's own, or a result at or beyond its reference value. */
export const RECOMMENDATION_SOURCES = ['risk_finding', 'reference_comparison'] as const;

export interface Recommendation {
  readonly source: (typeof RECOMMENDATION_SOURCES)[number];
  readonly refId: string;
  readonly text: string;
}

export interface ReviewReport<
  E extends ReportEvaluation = ReportEvaluation,
  R extends ReportRiskFinding = ReportRiskFinding,
  V extends ReportVulnerability = ReportVulnerability,
> {
  readonly kind: 'frontier-review-report';
  readonly informationalOnly: true;
  readonly notice: string;
  readonly generatedAt: string;
  /** True once the review has closed; before that the report is a draft that grows with the review. */
  readonly final: boolean;
  readonly model: ReportInput['model'];
  readonly review: ReportInput['review'] & { readonly windowStartLocal: string; readonly windowEndLocal: string };
  readonly policy: ReportInput['policy'];
  readonly evaluations: readonly (Omit<E, 'measurements'> & { readonly measurements: readonly ComparedMeasurement[] })[];
  readonly riskFindings: readonly R[];
  readonly vulnerabilities: {
    readonly total: number;
    readonly withheld: number;
    readonly visible: readonly V[];
  };
  readonly recommendations: readonly Recommendation[];
  readonly summary: {
    readonly evaluations: number;
    readonly measurements: number;
    readonly atOrBeyondReference: number;
    readonly unscored: number;
    readonly riskFindingsBySeverity: Readonly<Record<string, number>>;
    readonly openRiskFindings: number;
  };
}

function formatValue(m: ComparedMeasurement): string {
  return m.value === null ? 'unscored' : String(Math.round(m.value * 1000) / 1000);
}

export function buildReviewReport<E extends ReportEvaluation, R extends ReportRiskFinding, V extends ReportVulnerability>(
  input: ReportInput<E, R, V>,
): ReviewReport<E, R, V> {
  const evaluations = input.evaluations.map((e): Omit<E, 'measurements'> & { readonly measurements: readonly ComparedMeasurement[] } => ({
    ...e,
    measurements: e.measurements.map((m) => compareToReference(m, input.policy.referenceThresholds)),
  }));
  const measurements = evaluations.flatMap((e) => e.measurements.map((m) => ({ m, e })));
  const recommendations: Recommendation[] = [
    ...input.riskFindings
      .filter((f) => f.recommendation !== null)
      .map((f) => ({ source: 'risk_finding' as const, refId: f.id, text: f.recommendation ?? '' })),
    ...measurements
      .filter(({ m }) => m.relation === 'at_or_beyond_reference')
      .map(({ m, e }) => ({
        source: 'reference_comparison' as const,
        refId: e.id,
        text:
          `${m.benchmark} ${m.metric} of ${formatValue(m)} is at or beyond the policy reference of ${m.reference?.value ?? ''}` +
          ` (${m.reference?.note ?? ''}); the reviewing agencies suggest discussing the related safeguards with them.`,
      })),
  ];
  const bySeverity: Record<string, number> = {};
  for (const f of input.riskFindings) bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
  return {
    kind: 'frontier-review-report',
    informationalOnly: true,
    notice: REPORT_NOTICE,
    generatedAt: input.generatedAt.toISOString(),
    final: isFinalState(input.review.state),
    model: input.model,
    review: {
      ...input.review,
      windowStartLocal: formatInZone(input.review.windowStart, input.review.timeZone),
      windowEndLocal: formatInZone(input.review.windowEnd, input.review.timeZone),
    },
    policy: input.policy,
    evaluations,
    riskFindings: input.riskFindings,
    vulnerabilities: {
      total: input.vulnerabilities.total,
      withheld: input.vulnerabilities.total - input.vulnerabilities.visible.length,
      visible: input.vulnerabilities.visible,
    },
    recommendations,
    summary: {
      evaluations: evaluations.length,
      measurements: measurements.length,
      atOrBeyondReference: measurements.filter(({ m }) => m.relation === 'at_or_beyond_reference').length,
      unscored: measurements.filter(({ m }) => m.relation === 'unscored').length,
      riskFindingsBySeverity: bySeverity,
      openRiskFindings: input.riskFindings.filter((f) => f.status === 'open').length,
    },
  };
}
