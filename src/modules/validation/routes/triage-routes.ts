import { Type } from '@sinclair/typebox';
import { IdParamSchema, PageQuerySchema, type HttpApp, type RouteDeps } from '../../../platform/http/index.js';
import { REPORT_STATES } from '../domain/report-states.js';
import { recordAttempt } from '../service/attempts.js';
import { getValidationPolicy, updateValidationPolicy } from '../service/policy.js';
import { listTriageQueue } from '../service/queue.js';
import { triageQueueFigures } from '../service/queue-figures.js';
import { listMyReports } from '../service/track-record.js';
import { getValidationView } from '../service/validation-view.js';
import { setVerdict } from '../service/verdicts.js';
import { answers, auth, pageAnswers, spec } from './route-kit.js';
import {
  MyReportSchema,
  PolicySchema,
  QueueFiguresQuery,
  QueueFiguresSchema,
  QueueRowSchema,
  StateSchema,
  VerdictBody,
  ViewSchema,
  attemptRouteSchema,
} from './schemas.js';

/** The triage queue, a cluster's validation, verdicts, attempts, the reporter's own verdicts and the policy. */
export function triageRoutes(app: HttpApp, deps: RouteDeps): void {
  app.get(
    '/api/v1/validation/queue',
    {
      ...auth,
      schema: spec('The triage queue (coordinators): highest score first, oldest first among equals, each row with why', {
        querystring: Type.Composite([
          PageQuerySchema,
          Type.Object({
            state: Type.Optional(StateSchema),
            reporter: Type.Optional(Type.String({ maxLength: 64, description: 'only clusters this organisation reported' })),
          }),
        ]),
        response: pageAnswers(QueueRowSchema, [403]),
      }),
    },
    (request) => listTriageQueue(deps.contextFor(request), request.query),
  );

  app.get(
    '/api/v1/validation/queue/figures',
    {
      ...auth,
      schema: spec(
        'Queue volume and time to validate by UTC day (coordinators): entered, left, waiting at day end, validated and the median hours from first report to verdict; counted from the clusters the queue lists to you',
        { querystring: QueueFiguresQuery, response: answers(QueueFiguresSchema, [403]) },
      ),
    },
    (request) => triageQueueFigures(deps.contextFor(request), request.query),
  );

  app.get(
    '/api/v1/validation/clusters/:id',
    {
      ...auth,
      schema: spec(
        "A cluster's validation: state, verdict and reason, quorum, attempts (yours; all for coordinators), the evidence you may see, history",
        {
          params: IdParamSchema,
          response: answers(ViewSchema),
        },
      ),
    },
    (request) => getValidationView(deps.contextFor(request), request.params.id),
  );

  app.post(
    '/api/v1/validation/clusters/:id/verdict',
    {
      ...auth,
      schema: spec(`Move a cluster to another state (coordinators): ${REPORT_STATES.join(', ')}; invalid with a reason and a note`, {
        params: IdParamSchema,
        body: VerdictBody,
        response: answers(ViewSchema, [403, 409]),
      }),
    },
    (request) => setVerdict(deps.contextFor(request), request.params.id, request.body),
  );

  app.post(
    '/api/v1/validation/clusters/:id/attempts',
    {
      ...auth,
      schema: attemptRouteSchema(
        'Record a validation attempt (independent validators): what it ran against and whether it reproduced',
        201,
      ),
    },
    async (request, reply) => reply.status(201).send(await recordAttempt(deps.contextFor(request), request.params.id, request.body)),
  );

  app.get(
    '/api/v1/validation/my-reports',
    {
      ...auth,
      schema: spec('The verdicts on the clusters your organisation reported, newest first', {
        querystring: PageQuerySchema,
        response: pageAnswers(MyReportSchema),
      }),
    },
    (request) => listMyReports(deps.contextFor(request), request.query),
  );

  app.get(
    '/api/v1/validation/policy',
    {
      ...auth,
      schema: spec('The validation policy in force: quorum, prior, quotas, leases, validating kinds', { response: answers(PolicySchema) }),
    },
    (request) => getValidationPolicy(deps.contextFor(request)),
  );

  app.put(
    '/api/v1/validation/policy',
    {
      ...auth,
      schema: spec('Change the validation policy (coordinator admins): a partial policy, with an optional note; versioned and audited', {
        body: Type.Object({}, { additionalProperties: true }),
        response: answers(PolicySchema, [403]),
      }),
    },
    (request) => updateValidationPolicy(deps.contextFor(request), request.body as Record<string, unknown>),
  );
}
