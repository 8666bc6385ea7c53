import { useQuery } from '@tanstack/react-query';
import { api, dataOf } from '../api/client';
import { advisoryLabel, usePriorities } from '../parts/advisory-name';
import { TlpTag, useTlpLabels } from '../tlp';
import { SbomUpload } from './operator-sbom';
import { Remediation } from './remediation';

const PRIORITY_WORDS = { immediate: 'Immediate', out_of_cycle: 'Out of cycle', scheduled: 'Scheduled', defer: 'Defer' } as const;

/**
 * The operator's home: the advisories that affect its assets, most urgent first, with due dates; the
 * remediation still to do; its assets.
 */
export function OperatorHome() {
  const assets = useQuery({
    queryKey: ['assets'],
    queryFn: async () => dataOf(await api.GET('/api/v1/inventory/assets', { params: { query: { limit: 200 } } })),
  });
  const priorities = usePriorities();
  useTlpLabels(priorities.data?.items.map((r) => r.advisory.tlp) ?? []);
  const now = Date.now();

  return (
    <section aria-labelledby="operator-title">
      <h1 id="operator-title">My assets and advisories</h1>
      <h2>Advisories that affect my assets</h2>
      {priorities.isPending && <p>Loading…</p>}
      {priorities.isError && <p role="alert">{priorities.error.message}</p>}
      {priorities.data !== undefined &&
        (priorities.data.items.length === 0 ? (
          <p>No advisory you may see affects your assets.</p>
        ) : (
          <>
            <p>
              {priorities.data.totals.rows} asset × advisory pairs: {priorities.data.totals.byPriority.immediate} immediate,{' '}
              {priorities.data.totals.byPriority.out_of_cycle} out of cycle, {priorities.data.totals.byPriority.scheduled} scheduled,{' '}
              {priorities.data.totals.kev} in CISA KEV.
            </p>
            <table className="priorities">
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Advisory</th>
                  <th scope="col">Asset</th>
                  <th scope="col">Priority</th>
                  <th scope="col">Due</th>
                  <th scope="col">Fixed in</th>
                </tr>
              </thead>
              <tbody>
                {priorities.data.items.map((row) => {
                  const overdue = row.dueAt !== null && Date.parse(row.dueAt) < now;
                  return (
                    <tr key={`${row.asset.id} ${row.advisory.id}`} className={overdue ? 'overdue' : undefined}>
                      <td className="number">{row.rank}</td>
                      <td>
                        {advisoryLabel(row.advisory.id, row.advisory.aliases)} <TlpTag tlp={row.advisory.tlp} />
                        <div className="why">{row.advisory.summary ?? ''}</div>
                        <div className="why">{row.explanation.summary}</div>
                      </td>
                      <td>
                        {row.asset.name}
                        {row.asset.internetFacing && ' (internet-facing)'}
                      </td>
                      <td>
                        {PRIORITY_WORDS[row.priority]}
                        {row.kev !== null && ' · KEV'}
                        {row.epss !== null && ` · EPSS ${(row.epss.score * 100).toFixed(1)} %`}
                      </td>
                      <td>
                        {row.dueAt === null ? (
                          '—'
                        ) : (
                          <>
                            <time dateTime={row.dueAt}>{new Date(row.dueAt).toLocaleDateString()}</time>
                            {overdue && <strong> overdue</strong>}
                          </>
                        )}
                      </td>
                      <td>{row.fixed.join(', ') || 'no fix known'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </>
        ))}

      <Remediation />

      <h2>My assets</h2>
      {assets.isError && <p role="alert">{assets.error.message}</p>}
      {assets.data !== undefined &&
        (assets.data.items.length === 0 ? (
          <p>No asset registered yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Asset</th>
                <th scope="col">Sector</th>
                <th scope="col">Criticality</th>
                <th scope="col">SBOM</th>
              </tr>
            </thead>
            <tbody>
              {assets.data.items.map((a) => (
                <tr key={a.id}>
                  <td>{a.name}</td>
                  <td>{a.sector?.replaceAll('_', ' ') ?? '—'}</td>
                  <td>{a.criticality}</td>
                  <td>{a.currentSbomId === null ? 'none uploaded' : `uploaded (${a.currentSbomId})`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      <SbomUpload />
    </section>
  );
}
