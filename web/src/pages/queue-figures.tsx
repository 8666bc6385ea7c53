import { useQuery } from '@tanstack/react-query';
import { api, dataOf } from '../api/client';
import { SeriesChart } from '../parts/charts';
import { Status } from '../parts/paged';

/** Queue volume and time to validate over the last 30 UTC days (coordinators: the route is theirs, as the queue is). */
export function QueueFigures() {
  const figures = useQuery({
    queryKey: ['queue-figures'],
    queryFn: async () => dataOf(await api.GET('/api/v1/validation/queue/figures')),
  });
  const days = figures.data?.days ?? [];
  return (
    <section aria-labelledby="queue-figures-title">
      <h2 id="queue-figures-title">Queue volume and time to validate</h2>
      <Status query={figures} what="the queue figures" />
      {figures.data !== undefined && (
        <>
          <p className="why">
            UTC days {figures.data.from} to {figures.data.to}, counted from the clusters the triage queue lists to you.
          </p>
          <figure className="series">
            <SeriesChart
              title="Triage queue volume by day"
              x="day"
              rows={days.map((d) => ({ day: d.day.slice(5), entered: d.entered, left: d.left, waiting: d.waiting }))}
              series={[
                { key: 'entered', name: 'Entered', kind: 'bar' },
                { key: 'left', name: 'Left', kind: 'bar' },
                { key: 'waiting', name: 'Waiting at day end', kind: 'line' },
              ]}
            />
            <figcaption>Triage queue volume by day</figcaption>
          </figure>
          <figure className="series">
            <SeriesChart
              title="Median hours to validate by day"
              x="day"
              unit=" h"
              rows={days.map((d) => ({ day: d.day.slice(5), hours: d.medianHoursToValidate }))}
              series={[{ key: 'hours', name: 'Median hours from first report to verdict', kind: 'bar' }]}
            />
            <figcaption>Median hours from first report to a valid or invalid verdict, by the day of the verdict</figcaption>
          </figure>
          <table className="figures queue-figures">
            <caption>The queue figures behind the charts</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Entered</th>
                <th scope="col">Left</th>
                <th scope="col">Waiting at day end</th>
                <th scope="col">Validated</th>
                <th scope="col">Median hours to validate</th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.day}>
                  <th scope="row">{d.day}</th>
                  <td className="number">{d.entered}</td>
                  <td className="number">{d.left}</td>
                  <td className="number">{d.waiting}</td>
                  <td className="number">{d.validated}</td>
                  <td className="number">{d.medianHoursToValidate ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
