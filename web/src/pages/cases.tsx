import { Link, useSearchParams } from 'react-router';
import { api, dataOf } from '../api/client';
import type { paths } from '../api/schema';
import { More, Status, usePaged } from '../parts/paged';
import { Unambiguous, When } from '../parts/when';

type EmbargoState = NonNullable<NonNullable<paths['/api/v1/cases']['get']['parameters']['query']>['embargoState']>;
/** Every embargo state the list filters by (a new one is a compile error here), in the filter's words. */
export const EMBARGO_WORDS: Record<EmbargoState, string> = {
  none: 'no embargo',
  proposed: 'proposed',
  active: 'active',
  revise: 'being revised',
  exited: 'ended',
};
const isEmbargoState = (value: string | null): value is EmbargoState => value !== null && Object.hasOwn(EMBARGO_WORDS, value);

/** The cases the reader takes part in (coordinators: every case), newest first, page by page. */
export function CasesList() {
  const [params, setParams] = useSearchParams();
  const param = params.get('embargo');
  const embargoState = isEmbargoState(param) ? param : undefined;
  const cases = usePaged(['cases', embargoState], async (cursor) =>
    dataOf(await api.GET('/api/v1/cases', { params: { query: { embargoState, cursor, limit: 50 } } })),
  );
  return (
    <section aria-labelledby="cases-title">
      <h1 id="cases-title">Cases</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="filter-embargo">Embargo</label>
        <select
          id="filter-embargo"
          value={embargoState ?? ''}
          onChange={(e) => setParams(e.target.value === '' ? {} : { embargo: e.target.value })}
        >
          <option value="">any</option>
          {Object.entries(EMBARGO_WORDS).map(([value, words]) => (
            <option key={value} value={value}>
              {words}
            </option>
          ))}
        </select>
      </form>
      <Status query={cases.query} what="the cases" />
      {cases.query.isSuccess && cases.items.length === 0 && <p>No case you take part in.</p>}
      {cases.items.length > 0 && (
        <table className="cases">
          <thead>
            <tr>
              <th scope="col">Case</th>
              <th scope="col">Embargo</th>
              <th scope="col">Ends</th>
              <th scope="col">Opened</th>
            </tr>
          </thead>
          <tbody>
            {cases.items.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link to={`/cases/${c.number}`}>
                    {c.number}: {c.title}
                  </Link>
                </td>
                <td>{EMBARGO_WORDS[c.embargoState]}</td>
                <td>{c.embargoEndsAt === null ? '—' : <Unambiguous at={c.embargoEndsAt} />}</td>
                <td>
                  <When at={c.createdAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <More paged={cases} what="cases" />
    </section>
  );
}
