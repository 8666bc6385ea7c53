import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { ApiProblem, api, dataOf } from '../api/client';
import type { paths } from '../api/schema';
import { OrgName } from '../parts/org-name';
import { Status } from '../parts/paged';
import { When } from '../parts/when';
import { useSession } from '../session';
import { useTlpLabels } from '../tlp';
import { CaseChannels } from './case-channels';
import { CaseEmbargo } from './case-embargo';
import { AddParticipant } from './case-participants';
import { CaseStatements } from './case-statements';

export type CaseDetail = paths['/api/v1/cases/{id}']['get']['responses'][200]['content']['application/json'];

/**
 * A case as its reader may see it: the vulnerabilities, who takes part (coordinators see all; others the
 * coordinators and themselves) with notified/seen, the embargo, the statements, the channels the reader may
 * read, the timeline, and the advisory.
 */
export function CaseWorkspace() {
  const id = useParams().id ?? '';
  const { session } = useSession();
  const coordinator = session.org.kind === 'coordinator';
  const path = { params: { path: { id } } };
  const detail = useQuery({ queryKey: ['case', id], queryFn: async () => dataOf(await api.GET('/api/v1/cases/{id}', path)) });
  const timeline = useQuery({
    queryKey: ['case', id, 'timeline'],
    queryFn: async () => dataOf(await api.GET('/api/v1/cases/{id}/timeline', path)),
    enabled: detail.isSuccess,
  });
  // Everything in a case is under embargo until it is disclosed: the banner says AMBER while it lasts.
  useTlpLabels(detail.data === undefined || detail.data.disclosedAt !== null ? [] : ['AMBER']);

  if (detail.isError) {
    return (
      <section aria-labelledby="case-title">
        <h1 id="case-title">Case {id}</h1>
        <p role="alert">
          {detail.error instanceof ApiProblem && detail.error.status === 404 ? 'No such case for you.' : detail.error.message}
        </p>
      </section>
    );
  }
  if (detail.data === undefined) return <p>Loading the case…</p>;
  const c = detail.data;
  return (
    <section aria-labelledby="case-title">
      <h1 id="case-title">
        {c.number}: {c.title}
      </h1>
      <dl className="facts">
        <dt>Your part</dt>
        <dd>{c.myRole ?? (coordinator ? 'coordinating (not a participant)' : 'none')}</dd>
        <dt>Opened</dt>
        <dd>
          <When at={c.createdAt} /> by {c.openedBy}
          {c.exploited && ', actively exploited'}
        </dd>
        <dt>Disclosed</dt>
        <dd>{c.disclosedAt === null ? 'not yet' : <When at={c.disclosedAt} />}</dd>
        <dt>Advisory</dt>
        <dd>
          <Link to={`/advisories/${c.number}`}>The advisory of {c.number}</Link>
        </dd>
      </dl>
      {c.description !== null && <p>{c.description}</p>}

      <h2>Vulnerabilities</h2>
      <ul className="vulnerabilities">
        {c.vulnerabilities.map((v) => (
          <li key={v.clusterId}>
            <strong>{v.title ?? v.clusterId}</strong> {[...v.cveIds, ...v.aliases].join(', ')}
            <div className="why">
              {v.cwes.join(', ') || 'no CWE'} · {v.purls.join(', ') || 'no package'}
              {v.cvssVectors.length > 0 && ` · ${v.cvssVectors.join(', ')}`}
            </div>
          </li>
        ))}
      </ul>

      <h2>Participants</h2>
      <table className="participants">
        <thead>
          <tr>
            <th scope="col">Organisation</th>
            <th scope="col">Role</th>
            <th scope="col">State</th>
            <th scope="col">Notified</th>
            <th scope="col">Seen</th>
          </tr>
        </thead>
        <tbody>
          {c.participants.map((p) => (
            <tr key={p.orgId}>
              <td>
                <OrgName id={p.orgId} />
                {p.matches.length > 0 && <div className="why">matches {p.matches.map((m) => m.purl).join(', ')}</div>}
              </td>
              <td>{p.role}</td>
              <td>
                {p.state} ({p.source})
              </td>
              <td>
                <When at={p.notifiedAt} />
              </td>
              <td>
                <When at={p.seenAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {coordinator && <AddParticipant detail={c} />}

      <CaseEmbargo detail={c} />
      <CaseStatements detail={c} />
      <CaseChannels detail={c} />

      <h2>Timeline</h2>
      <Status query={timeline} what="the timeline" />
      {timeline.data !== undefined && (
        <ol className="timeline">
          {timeline.data.items.map((step) => (
            <li key={step.id}>
              <When at={step.at} /> {step.kind.replaceAll('_', ' ')}
              {step.actorOrgId !== null && (
                <>
                  {' '}
                  (<OrgName id={step.actorOrgId} />)
                </>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
