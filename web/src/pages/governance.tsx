import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiProblem, api, dataOf } from '../api/client';
import { BarChart } from '../parts/charts';
import { More, Status, usePaged } from '../parts/paged';
import { When } from '../parts/when';
import { QueueFigures } from './queue-figures';
import { useSession } from '../session';

/** The monthly figures the transparency route answers (its schema leaves them open: governance's MonthMetrics). */
interface MonthFigures {
  readonly month: string;
  /** Every series' figure by key; null when withheld or when no record stands behind it. */
  readonly figures: Readonly<Record<string, number | null | undefined>>;
  readonly suppressed: readonly string[];
}

const SERIES = [
  { key: 'reportsReceived', title: 'Reports received by month', unit: 'reports' },
  { key: 'medianDaysToValidation', title: 'Median days to validation by month', unit: 'days' },
  { key: 'medianDaysToFix', title: 'Median days to a fix by month', unit: 'days' },
  { key: 'medianDaysToOperatorPatch', title: 'Median days to operator patch by month', unit: 'days' },
] as const;

/** A 403 or 404 is an answer here (the part is not for this reader), not a failure. */
async function orNull<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof ApiProblem && (error.status === 403 || error.status === 404)) return null;
    throw error;
  }
}

/** Transparency charts (public aggregates), and for the coordinator the legal holds and the retention plan. */
export function GovernancePage() {
  const { session } = useSession();
  const coordinator = session.org.kind === 'coordinator';
  const report = useQuery({
    queryKey: ['transparency'],
    queryFn: async () => dataOf(await api.GET('/api/v1/governance/transparency')),
  });
  const months = ((report.data?.metrics as { months?: MonthFigures[] } | undefined)?.months ?? []) as readonly MonthFigures[];
  return (
    <section aria-labelledby="governance-title">
      <h1 id="governance-title">Governance and transparency</h1>
      <h2>Transparency</h2>
      <Status query={report} what="the figures" />
      {report.data !== undefined && (
        <>
          <p className="why">
            Aggregates only, by month; a figure too few records stand behind is withheld. Generated <When at={report.data.generatedAt} />.{' '}
            <a href="/api/v1/governance/transparency.csv">Download as CSV</a>
          </p>
          {SERIES.map((s) => (
            <figure key={s.key} className="series">
              <BarChart
                title={s.title}
                unit={s.unit}
                bars={months.flatMap((m) => {
                  const value = m.figures[s.key];
                  return typeof value === 'number' ? [{ label: m.month, value }] : [];
                })}
              />
              <figcaption>{s.title}</figcaption>
            </figure>
          ))}
          <table className="figures">
            <caption>The figures behind the charts</caption>
            <thead>
              <tr>
                <th scope="col">Month</th>
                {SERIES.map((s) => (
                  <th scope="col" key={s.key}>
                    {s.title.replace(' by month', '')}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {months.map((m) => (
                <tr key={m.month}>
                  <th scope="row">{m.month}</th>
                  {SERIES.map((s) => (
                    <td key={s.key} className="number">
                      {m.figures[s.key] ?? (m.suppressed.includes(s.key) ? 'withheld' : '—')}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {coordinator && <QueueFigures />}
      {coordinator && <Holds />}
      {coordinator && <RetentionPlan />}
    </section>
  );
}

function Holds() {
  const [active, setActive] = useState(true);
  const holds = usePaged(['holds', active], async (cursor) =>
    dataOf(await api.GET('/api/v1/governance/holds', { params: { query: { active, cursor, limit: 50 } } })),
  );
  return (
    <section aria-labelledby="holds-title">
      <h2 id="holds-title">Legal holds</h2>
      <label>
        <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} /> Only holds in force
      </label>
      <Status query={holds.query} what="the holds" />
      {holds.query.isSuccess && holds.items.length === 0 && <p>No hold.</p>}
      {holds.items.length > 0 && (
        <table className="holds">
          <thead>
            <tr>
              <th scope="col">On</th>
              <th scope="col">Reason</th>
              <th scope="col">Placed</th>
              <th scope="col">Released</th>
            </tr>
          </thead>
          <tbody>
            {holds.items.map((h) => (
              <tr key={h.id}>
                <td>
                  {h.scope} {h.targetId}
                </td>
                <td>{h.reason}</td>
                <td>
                  <When at={h.placedAt} />
                </td>
                <td>{h.releasedAt === null ? 'in force' : <When at={h.releasedAt} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <More paged={holds} what="holds" />
    </section>
  );
}

function RetentionPlan() {
  const plan = useQuery({
    queryKey: ['retention-plan'],
    queryFn: () => orNull(async () => dataOf(await api.GET('/api/v1/governance/retention/plan', { params: { query: { limit: 100 } } }))),
  });
  if (plan.data === null) return null;
  return (
    <section aria-labelledby="plan-title">
      <h2 id="plan-title">Retention plan</h2>
      <Status query={plan} what="the plan" />
      {plan.data !== undefined && (
        <table className="plan">
          <caption>
            What a purge would do now (policy version {plan.data.policyVersion}, <When at={plan.data.at} />)
          </caption>
          <thead>
            <tr>
              <th scope="col">Data class</th>
              <th scope="col">Rule</th>
              <th scope="col">Purge</th>
              <th scope="col">Held</th>
              <th scope="col">Kept</th>
            </tr>
          </thead>
          <tbody>
            {plan.data.classes.map((k) => (
              <tr key={k.dataClass}>
                <th scope="row">{k.dataClass.replaceAll('_', ' ')}</th>
                <td>{k.rule}</td>
                <td className="number">{k.purge}</td>
                <td className="number">{k.held}</td>
                <td className="number">{k.retained}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
