import { PageQuerySchema, pageOf, problemResponses, type HttpApp, type RouteDeps, routeKit } from '../../platform/http/index.js';
import {
  DecisionChangeSchema,
  DecisionSchema,
  FeedImportSchema,
  FeedParamSchema,
  FeedSourceBody,
  FeedSourceSchema,
  FeedStatusSchema,
  PolicyUpdateBody,
  PolicyVersionSchema,
  SubjectParamSchema,
} from './route-schemas.js';
import { OperatorPrioritiesSchema, PrioritiesQuerySchema } from './priority-schemas.js';
import { feedUploadRoutes } from './feed-upload-routes.js';
import { getDecision, listDecisionHistory } from './service/decisions.js';
import { listOperatorPriorities } from './service/operator-priorities.js';
import { setFeedSource } from './service/feed-sources.js';
import { getFeedStatus, listFeedImports } from './service/feed-status.js';
import { getPrioritizationPolicy, listPrioritizationPolicies, updatePrioritizationPolicy } from './service/policy.js';

const { auth, spec } = routeKit('scoring');

/** Decisions, the prioritization policy and the feeds. */
export function scoringRoutes(app: HttpApp, deps: RouteDeps): void {
  feedUploadRoutes(app, deps);
  app.get(
    '/api/v1/scoring/decisions/:subjectId',
    {
      ...auth,
      schema: spec(
        "A subject's priority: CISA level, vendor-fix deadline, every input with its source, the table rows, CVSS scores (coordinators)",
        {
          params: SubjectParamSchema,
          response: { 200: DecisionSchema, ...problemResponses(404) },
        },
      ),
    },
    (request) => getDecision(deps.contextFor(request), request.params.subjectId),
  );

  app.get(
    '/api/v1/scoring/decisions/:subjectId/history',
    {
      ...auth,
      schema: spec("How a subject's priority changed, newest first", {
        params: SubjectParamSchema,
        querystring: PageQuerySchema,
        response: { 200: pageOf(DecisionChangeSchema), ...problemResponses(404) },
      }),
    },
    (request) => listDecisionHistory(deps.contextFor(request), request.params.subjectId, request.query),
  );

  app.get(
    '/api/v1/scoring/priorities',
    {
      ...auth,
      schema: spec(
        "An operator's ranked priorities: per asset and advisory, the SSVC deployer decision, KEV, EPSS, due date and fixed versions, most urgent first (the operator's members; coordinators name orgId)",
        {
          querystring: PrioritiesQuerySchema,
          response: { 200: OperatorPrioritiesSchema, ...problemResponses(403, 404) },
        },
      ),
    },
    (request) => listOperatorPriorities(deps.contextFor(request), request.query),
  );

  app.get(
    '/api/v1/scoring/policy',
    {
      ...auth,
      schema: spec('The prioritization policy in force (anyone signed in)', {
        response: { 200: PolicyVersionSchema, ...problemResponses() },
      }),
    },
    (request) => getPrioritizationPolicy(deps.contextFor(request)),
  );

  app.put(
    '/api/v1/scoring/policy',
    {
      ...auth,
      schema: spec('Replace the prioritization policy with a new revision (coordinator admins; every decision is then recomputed)', {
        body: PolicyUpdateBody,
        response: { 200: PolicyVersionSchema, ...problemResponses(403, 409) },
      }),
    },
    (request) => updatePrioritizationPolicy(deps.contextFor(request), request.body),
  );

  app.get(
    '/api/v1/scoring/policy/versions',
    {
      ...auth,
      schema: spec('Every revision of the prioritization policy, newest first', {
        querystring: PageQuerySchema,
        response: { 200: pageOf(PolicyVersionSchema), ...problemResponses() },
      }),
    },
    (request) => listPrioritizationPolicies(deps.contextFor(request), request.query),
  );

  app.get(
    '/api/v1/scoring/feeds',
    {
      ...auth,
      schema: spec('KEV and EPSS: what is held, the last imports, the refresh sources', {
        response: { 200: FeedStatusSchema, ...problemResponses() },
      }),
    },
    (request) => getFeedStatus(deps.contextFor(request)),
  );

  app.get(
    '/api/v1/scoring/feeds/:feed/imports',
    {
      ...auth,
      schema: spec("A feed's import history, newest first: releases, additions, removals", {
        params: FeedParamSchema,
        querystring: PageQuerySchema,
        response: { 200: pageOf(FeedImportSchema), ...problemResponses() },
      }),
    },
    (request) => listFeedImports(deps.contextFor(request), request.params.feed, request.query),
  );

  app.put(
    '/api/v1/scoring/feeds/:feed/source',
    {
      ...auth,
      schema: spec('Where and how often a feed is refreshed (coordinator admins; off until set)', {
        params: FeedParamSchema,
        body: FeedSourceBody,
        response: { 200: FeedSourceSchema, ...problemResponses(403) },
      }),
    },
    (request) => setFeedSource(deps.contextFor(request), request.params.feed, request.body),
  );
}
