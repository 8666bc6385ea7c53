import { useQuery } from '@tanstack/react-query';
import { ApiProblem, api, dataOf } from '../api/client';
import { SeriesChart } from '../parts/charts';
import { Status } from '../parts/paged';

const percent = (share: number) => Math.round(share * 1000) / 10;

/**
 * One advisory's remediation curves (coordinators): per whole day since each asset's notification, the share
 * its operators reported patched, overall and per sector. An advisory nobody was notified of says so.
 */
export function RemediationCurves({ advisoryId }: { advisoryId: string }) {
  const curves = useQuery({
    queryKey: ['remediation-curves', advisoryId],
    queryFn: async () => {
      try {
        return dataOf(await api.GET('/api/v1/remediation/advisories/{id}/curves', { params: { path: { id: advisoryId } } }));
      } catch (error) {
        if (error instanceof ApiProblem && error.status === 404) return null;
        throw error;
      }
    },
  });
  // undefined while loading, null when nobody was notified.
  const data = curves.data ?? null;
  const lines =
    data === null
      ? []
      : [{ key: 'all', name: 'All sectors', curve: data.overall }].concat(
          data.bySector.map((s) => ({ key: s.sector ?? 'none', name: s.sector?.replaceAll('_', ' ') ?? 'no sector', curve: s })),
        );
  const rows =
    data === null
      ? []
      : data.overall.points.map((p) => ({
          day: p.day,
          ...Object.fromEntries(lines.map((l) => [l.key, percent(l.curve.points[p.day]?.patchedShare ?? 0)])),
        }));
  return (
    <section aria-labelledby="curves-title">
      <h2 id="curves-title">Remediation curves</h2>
      <Status query={curves} what="the remediation curves" />
      {data === null && <p>No operator has been notified of {advisoryId} yet.</p>}
      {data !== null && (
        <>
          <figure className="series">
            <SeriesChart
              title={`Share of assets patched by days since notification, ${advisoryId}`}
              x="day"
              unit=" %"
              yMax={100}
              rows={rows}
              series={lines.map((l) => ({ key: l.key, name: l.name, kind: 'line' as const }))}
            />
            <figcaption>Share of notified assets reported patched, by whole days since each asset’s notification</figcaption>
          </figure>
          <table className="figures curves">
            <caption>The remediation curves behind the chart (per cent of assets patched)</caption>
            <thead>
              <tr>
                <th scope="col">Days since notification</th>
                {lines.map((l) => (
                  <th scope="col" key={l.key}>
                    {l.name} ({l.curve.assets} assets)
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.day}>
                  <th scope="row">{r.day}</th>
                  {lines.map((l) => (
                    <td key={l.key} className="number">
                      {(r as Record<string, number>)[l.key]} %
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
