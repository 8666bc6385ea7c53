import { useQuery } from '@tanstack/react-query';
import { ApiProblem, api, dataOf } from '../api/client';

const INPUT_WORDS = {
  exploitation: 'Exploitation',
  automatable: 'Automatable',
  technicalImpact: 'Technical impact',
  missionWellbeing: 'Mission & well-being',
} as const;

/** An input's source in words: its kind, then what it rests on. */
function sourceText(source: unknown): string {
  if (source === null || typeof source !== 'object') return String(source);
  const { kind, ...rest } = source as Record<string, unknown>;
  const details = Object.entries(rest)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return details.length === 0 ? String(kind) : `${String(kind)}: ${details.join('; ')}`;
}

/**
 * A subject's priority decision (coordinators): the CISA outcome and vendor-fix deadline, the decision
 * table's row, and every input with the source it rests on. Nothing when the API has none for this reader.
 */
export function Priority({ subjectId }: { subjectId: string }) {
  const decision = useQuery({
    queryKey: ['decision', subjectId],
    queryFn: async () => {
      try {
        return dataOf(await api.GET('/api/v1/scoring/decisions/{subjectId}', { params: { path: { subjectId } } }));
      } catch (error) {
        if (error instanceof ApiProblem && (error.status === 404 || error.status === 403)) return null;
        throw error;
      }
    },
  });
  if (decision.isError) return <p role="alert">{decision.error.message}</p>;
  const d = decision.data;
  if (d === undefined || d === null) return null;
  const e = d.explanation;
  return (
    <>
      <h2>Priority</h2>
      <p>
        CISA decision <strong>{d.outcome}</strong> (table {e.decision.table.name} {e.decision.table.version}, row {e.decision.row.index});
        vendor fix due <time dateTime={e.vendorFix.dueAt}>{new Date(e.vendorFix.dueAt).toLocaleDateString()}</time> ({e.vendorFix.days}{' '}
        days, policy {e.policyVersion}).
      </p>
      <table className="inputs">
        <caption>Every input of the decision and what it rests on</caption>
        <thead>
          <tr>
            <th scope="col">Input</th>
            <th scope="col">Value</th>
            <th scope="col">Source</th>
          </tr>
        </thead>
        <tbody>
          {(Object.keys(INPUT_WORDS) as (keyof typeof INPUT_WORDS)[]).map((key) => (
            <tr key={key}>
              <th scope="row">{INPUT_WORDS[key]}</th>
              <td>{e.inputs[key].value}</td>
              <td>{sourceText(e.inputs[key].source)}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">CVSS</th>
            <td>{e.cvss === null ? 'none' : `${e.cvss.base} (${e.cvss.severity})`}</td>
            <td>{e.cvss === null ? '—' : `CVSS ${e.cvss.version} ${e.cvss.vector}`}</td>
          </tr>
          <tr>
            <th scope="row">EPSS</th>
            <td>{e.epss === null ? 'none' : `${(e.epss.epss * 100).toFixed(1)} % (percentile ${(e.epss.percentile * 100).toFixed(0)})`}</td>
            <td>{e.epss === null ? '—' : `FIRST EPSS for ${e.epss.cveId} of ${e.epss.date}`}</td>
          </tr>
        </tbody>
      </table>
    </>
  );
}
