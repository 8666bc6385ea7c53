import { PageQuerySchema, problemResponses, type HttpApp, type RouteDeps } from '../../../platform/http/index.js';
import * as metrics from '../service/metrics.js';
import * as policy from '../service/policy.js';
import { auth, spec, pageAnswers } from './route-kit.js';
import { PolicyBody, PolicySchema, TransparencySchema } from './schemas.js';

/** The program's policy and its transparency view. */
export function programRoutes(app: HttpApp, deps: RouteDeps): void {
  app.get(
    '/api/v1/frontier/policy',
    { ...auth, schema: spec('The frontier policy in force', { response: { 200: PolicySchema, ...problemResponses() } }) },
    (request) => policy.getPolicy(deps.contextFor(request)),
  );

  app.get(
    '/api/v1/frontier/policy/versions',
    {
      ...auth,
      schema: spec('Every version of the frontier policy, newest first', {
        querystring: PageQuerySchema,
        response: pageAnswers(PolicySchema),
      }),
    },
    (request) => policy.listPolicyVersions(deps.contextFor(request), request.query),
  );

  app.put(
    '/api/v1/frontier/policy',
    {
      ...auth,
      schema: spec('Replace the frontier policy with a new version (coordinator admins); audited', {
        body: PolicyBody,
        response: { 200: PolicySchema, ...problemResponses(403) },
      }),
    },
    (request) => policy.updatePolicy(deps.contextFor(request), request.body),
  );

  // Public on purpose: aggregated counts and the criteria in force, with no names or identifiers.
  app.get(
    '/api/v1/frontier/metrics',
    {
      schema: spec('Transparency: aggregated program metrics and the criteria in force (public)', {
        security: [],
        response: { 200: TransparencySchema, ...problemResponses() },
      }),
    },
    (request) => metrics.programTransparency(deps.contextFor(request)),
  );
}
