import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, dataOf } from '../api/client';
import type { paths } from '../api/schema';
import { advisoryLabel, useAdvisoryAliases } from '../parts/advisory-name';
import { useSession } from '../session';

type ReportBody = paths['/api/v1/remediation']['post']['requestBody']['content']['application/json'];
type Item = paths['/api/v1/remediation']['get']['responses'][200]['content']['application/json']['items'][number];

/** The actions offered on a row: those that need no further detail (mitigations and exceptions go through the API). */
const ACTIONS: readonly { status: ReportBody['status']; label: string }[] = [
  { status: 'acknowledged', label: 'Acknowledge' },
  { status: 'patched', label: 'Mark patched' },
];

/** The operator's open remediation items, soonest due first, with the actions that close them. */
export function Remediation() {
  const { session } = useSession();
  const queries = useQueryClient();
  const acts = session.user.role !== 'viewer';
  const aliases = useAdvisoryAliases();
  const name = (id: string) => advisoryLabel(id, aliases.get(id));
  const items = useQuery({
    queryKey: ['remediation'],
    queryFn: async () => dataOf(await api.GET('/api/v1/remediation', { params: { query: { limit: 200 } } })),
  });
  const report = useMutation({
    mutationFn: async ({ item, status }: { item: Item; status: ReportBody['status'] }) =>
      dataOf(await api.POST('/api/v1/remediation', { body: { advisoryId: item.advisoryId, status, assetIds: [item.assetId] } })),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['remediation'] }),
  });

  return (
    <>
      <h2>Remediation to do</h2>
      {items.isError && <p role="alert">{items.error.message}</p>}
      {report.isError && <p role="alert">{report.error.message}</p>}
      {report.isSuccess && (
        <p role="status">
          Reported: {report.data.items.map((i) => `${name(i.advisoryId)} on ${i.assetName} is ${i.status.replaceAll('_', ' ')}`).join('; ')}
          .
        </p>
      )}
      {items.data !== undefined &&
        (items.data.items.length === 0 ? (
          <p>Nothing open.</p>
        ) : (
          <table className="remediation">
            <thead>
              <tr>
                <th scope="col">Advisory</th>
                <th scope="col">Asset</th>
                <th scope="col">Status</th>
                <th scope="col">Due</th>
                {acts && <th scope="col">Report</th>}
              </tr>
            </thead>
            <tbody>
              {items.data.items.map((item) => (
                <tr key={item.id} className={item.overdue ? 'overdue' : undefined}>
                  <td>{name(item.advisoryId)}</td>
                  <td>{item.assetName}</td>
                  <td>{item.status.replaceAll('_', ' ')}</td>
                  <td>
                    {item.dueAt === null ? '—' : <time dateTime={item.dueAt}>{new Date(item.dueAt).toLocaleDateString()}</time>}
                    {item.overdue && <strong> overdue</strong>}
                  </td>
                  {acts && (
                    <td>
                      {ACTIONS.filter((a) => a.status !== item.status).map((a) => (
                        <button
                          key={a.status}
                          type="button"
                          disabled={report.isPending}
                          aria-label={`${a.label}: ${name(item.advisoryId)} on ${item.assetName}`}
                          onClick={() => report.mutate({ item, status: a.status })}
                        >
                          {a.label}
                        </button>
                      ))}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </>
  );
}
