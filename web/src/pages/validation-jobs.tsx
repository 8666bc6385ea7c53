import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, NavLink } from 'react-router';
import { api, dataOf } from '../api/client';
import { Status } from '../parts/paged';
import { When } from '../parts/when';
import { useValidates } from './validation-attempt';

/** The claim answers the cluster as GET /api/v1/clusters/{id} does; only its title is shown here. */
const titleOf = (cluster: unknown): string | null => {
  const title = (cluster as { title?: unknown } | null)?.title;
  return typeof title === 'string' ? title : null;
};

/**
 * Validation work for an independent validator: claim the next cluster the organisation may reproduce (in
 * queue order, never one it reported), the jobs it holds with their lease, and the way back to the pool. The
 * attempt itself is recorded on the cluster's page.
 */
export function ValidationJobs() {
  const queries = useQueryClient();
  const jobs = useQuery({ queryKey: ['validation-jobs'], queryFn: async () => dataOf(await api.GET('/api/v1/validation/jobs')) });
  const claim = useMutation({
    mutationFn: async () => dataOf(await api.POST('/api/v1/validation/jobs/claim', { params: { query: {} } })),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['validation-jobs'] }),
  });
  const release = useMutation({
    mutationFn: async (id: string) => dataOf(await api.POST('/api/v1/validation/jobs/{id}/release', { params: { path: { id } } })),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['validation-jobs'] }),
  });
  const claimed = claim.data;
  return (
    <section aria-labelledby="validate-title">
      <h1 id="validate-title">Validation work</h1>
      <p>Reproduce what others reported: a cluster becomes valid when enough independent organisations confirm it.</p>
      <button type="button" disabled={claim.isPending} onClick={() => claim.mutate()}>
        Claim the next job
      </button>
      {claim.isError && <p role="alert">{claim.error.message}</p>}
      {release.isError && <p role="alert">{release.error.message}</p>}
      {claimed !== undefined && (
        <p role="status">
          {claimed.job === null ? (
            'No job is open for your organisation.'
          ) : (
            <>
              Claimed: <Link to={`/clusters/${claimed.job.clusterId}`}>{titleOf(claimed.cluster) ?? claimed.job.clusterId}</Link>
              {claimed.job.leaseExpiresAt !== null && (
                <>
                  , yours until <When at={claimed.job.leaseExpiresAt} />
                </>
              )}
              .
            </>
          )}
        </p>
      )}

      <h2>Jobs you hold</h2>
      <Status query={jobs} what="your jobs" />
      {jobs.data !== undefined &&
        (jobs.data.items.length === 0 ? (
          <p>None.</p>
        ) : (
          <table className="jobs">
            <thead>
              <tr>
                <th scope="col">Cluster</th>
                <th scope="col">Claimed</th>
                <th scope="col">Lease ends</th>
                <th scope="col">Give back</th>
              </tr>
            </thead>
            <tbody>
              {jobs.data.items.map((job) => (
                <tr key={job.id}>
                  <td>
                    <Link to={`/clusters/${job.clusterId}`}>{job.clusterId}</Link>
                  </td>
                  <td>
                    <When at={job.claimedAt} />
                  </td>
                  <td>
                    <When at={job.leaseExpiresAt} />
                  </td>
                  <td>
                    <button
                      type="button"
                      disabled={release.isPending}
                      aria-label={`Give back the job on ${job.clusterId}`}
                      onClick={() => release.mutate(job.id)}
                    >
                      Give back
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </section>
  );
}

/** The navigation's link here, for the analysts and admins of validating organisations. */
export function ValidationNavLink() {
  return useValidates() ? <NavLink to="/validate">Validation work</NavLink> : null;
}
