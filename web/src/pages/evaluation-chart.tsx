import { useQuery } from '@tanstack/react-query';
import { ApiProblem, api, dataOf } from '../api/client';
import type { paths } from '../api/schema';
import { SeriesChart } from '../parts/charts';
import { Status } from '../parts/paged';

type ReviewReport = paths['/api/v1/frontier/reviews/{id}/report']['get']['responses'][200]['content']['application/json'];
type ComparedMeasurement = ReviewReport['evaluations'][number]['measurements'][number];

const RELATION_WORDS: Record<ComparedMeasurement['relation'], string> = {
  at_or_beyond_reference: 'at or beyond the reference',
  short_of_reference: 'short of the reference',
  no_reference: 'no reference value',
  unscored: 'unscored',
};

/**
 * A review's evaluation results charted against the policy's reference values, read from the review report
 * (the developer, the coordinator and the agencies taking part; partners are not shown it). References are
 * context, not pass marks: nothing here decides anything about a release.
 */
export function EvaluationChart({ reviewId, modelId }: { reviewId: string; modelId: string }) {
  const report = useQuery({
    queryKey: ['frontier', 'report', reviewId],
    queryFn: async () => {
      try {
        return dataOf(await api.GET('/api/v1/frontier/reviews/{id}/report', { params: { path: { id: reviewId } } }));
      } catch (error) {
        if (error instanceof ApiProblem && error.status === 403) return null;
        throw error;
      }
    },
  });
  if (report.data === null) return null;
  const rows = (report.data?.evaluations ?? []).flatMap((e) =>
    e.measurements.map((m, i) => ({ key: `${e.id} ${i}`, evaluation: e.title, ...m })),
  );
  return (
    <section aria-labelledby={`thresholds-${reviewId}`}>
      <h4 id={`thresholds-${reviewId}`}>Results of {modelId} against the reference values</h4>
      <Status query={report} what="the review report" />
      {report.isSuccess && rows.length === 0 && <p>No measured result yet.</p>}
      {rows.length > 0 && (
        <>
          <p className="why">Reference values are context from the policy, not pass marks; a review never holds back a release.</p>
          <figure className="series">
            <SeriesChart
              title={`Evaluation results of ${modelId} against reference values`}
              x="label"
              rows={rows
                .filter((r) => r.reference !== null)
                .map((r) => ({ label: `${r.benchmark} ${r.metric}`, value: r.value, reference: r.reference?.value ?? null }))}
              series={[
                { key: 'value', name: 'Result', kind: 'bar' },
                { key: 'reference', name: 'Reference value', kind: 'dot' },
              ]}
            />
            <figcaption>Each result that has a reference value beside it (the table lists every result)</figcaption>
          </figure>
          <table className="figures thresholds">
            <caption>The results and reference values behind the chart</caption>
            <thead>
              <tr>
                <th scope="col">Evaluation</th>
                <th scope="col">Benchmark</th>
                <th scope="col">Metric</th>
                <th scope="col">Result</th>
                <th scope="col">Reference</th>
                <th scope="col">Where it stands</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key}>
                  <td>{r.evaluation}</td>
                  <td>{r.benchmark}</td>
                  <td>{r.metric}</td>
                  <td className="number">{r.value ?? '—'}</td>
                  <td className="number">
                    {r.reference === null ? '—' : `${r.reference.direction === 'at_or_above' ? '≥' : '≤'} ${r.reference.value}`}
                  </td>
                  <td>{RELATION_WORDS[r.relation]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
