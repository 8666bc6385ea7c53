import { Type } from '@sinclair/typebox';
import { itemsOf, IdParamSchema, type HttpApp, type RouteDeps } from '../../../platform/http/index.js';
import { claimValidationJob, listValidationJobs, releaseValidationJob, reportValidationJob } from '../service/jobs.js';
import { answers, auth, spec } from './route-kit.js';
import { ClaimSchema, JobSchema, attemptRouteSchema } from './schemas.js';

/** Validation jobs for partner sandboxes: claim with a lease, report, or give back. */
export function jobRoutes(app: HttpApp, deps: RouteDeps): void {
  app.post(
    '/api/v1/validation/jobs/claim',
    {
      ...auth,
      schema: spec('Claim the next validation job your organisation may take, with a lease; job null when none is open', {
        querystring: Type.Object({
          leaseHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 720, description: 'default and maximum from the policy' })),
        }),
        response: answers(ClaimSchema, [403]),
      }),
    },
    (request) => claimValidationJob(deps.contextFor(request), { leaseHours: request.query.leaseHours }),
  );

  app.get(
    '/api/v1/validation/jobs',
    { ...auth, schema: spec('Validation jobs your organisation holds a live lease on', { response: answers(itemsOf(JobSchema), [403]) }) },
    async (request) => ({ items: await listValidationJobs(deps.contextFor(request)) }),
  );

  app.post(
    '/api/v1/validation/jobs/:id/report',
    {
      ...auth,
      schema: attemptRouteSchema(
        'Report a claimed job: the validation attempt; completes the job (409 lease-lost when another validator took it over)',
        200,
      ),
    },
    (request) => reportValidationJob(deps.contextFor(request), request.params.id, request.body),
  );

  app.post(
    '/api/v1/validation/jobs/:id/release',
    {
      ...auth,
      schema: spec('Give a claimed job back to the pool before its lease ends', {
        params: IdParamSchema,
        response: answers(JobSchema, [403, 409]),
      }),
    },
    (request) => releaseValidationJob(deps.contextFor(request), request.params.id),
  );
}
