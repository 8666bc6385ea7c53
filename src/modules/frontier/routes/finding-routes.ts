import { PageQuerySchema, IdParamSchema, type HttpApp, type RouteDeps } from '../../../platform/http/index.js';
import * as evaluations from '../service/evaluations.js';
import * as risks from '../service/risk-findings.js';
import * as vulnerabilities from '../service/vulnerabilities.js';
import { auth, answers, spec, pageAnswers } from './route-kit.js';
import {
  BenchmarkBody,
  EvaluationSchema,
  RiskFindingBody,
  RiskFindingSchema,
  RiskStatusBody,
  VulnerabilityBody,
  VulnerabilitySchema,
} from './schemas.js';

/** Evaluations, risk findings and model-found vulnerabilities of a review. */
export function findingRoutes(app: HttpApp, deps: RouteDeps): void {
  const params = IdParamSchema;

  app.post(
    '/api/v1/frontier/reviews/:id/evaluations/benchmarks',
    {
      ...auth,
      schema: spec('Attach named cyber benchmark results (the coordinator, agencies granted access)', {
        params,
        body: BenchmarkBody,
        response: answers(EvaluationSchema, [403, 409], 201),
      }),
    },
    async (request, reply) =>
      reply.status(201).send(await evaluations.addBenchmarkResults(deps.contextFor(request), request.params.id, request.body)),
  );

  app.get(
    '/api/v1/frontier/reviews/:id/evaluations',
    {
      ...auth,
      schema: spec("A review's evaluations you may see", { params, querystring: PageQuerySchema, response: pageAnswers(EvaluationSchema) }),
    },
    (request) => evaluations.listEvaluations(deps.contextFor(request), request.params.id, request.query),
  );

  app.get(
    '/api/v1/frontier/evaluations/:id',
    { ...auth, schema: spec('One evaluation', { params, response: answers(EvaluationSchema) }) },
    (request) => evaluations.getEvaluation(deps.contextFor(request), request.params.id),
  );

  app.post(
    '/api/v1/frontier/reviews/:id/risk-findings',
    {
      ...auth,
      schema: spec('Attach a written risk finding with a severity (the coordinator, agencies granted access)', {
        params,
        body: RiskFindingBody,
        response: answers(RiskFindingSchema, [403, 409], 201),
      }),
    },
    async (request, reply) => reply.status(201).send(await risks.addRiskFinding(deps.contextFor(request), request.params.id, request.body)),
  );

  app.get(
    '/api/v1/frontier/reviews/:id/risk-findings',
    {
      ...auth,
      schema: spec("A review's risk findings you may see", {
        params,
        querystring: PageQuerySchema,
        response: pageAnswers(RiskFindingSchema),
      }),
    },
    (request) => risks.listRiskFindings(deps.contextFor(request), request.params.id, request.query),
  );

  app.get(
    '/api/v1/frontier/risk-findings/:id',
    { ...auth, schema: spec('One risk finding', { params, response: answers(RiskFindingSchema) }) },
    (request) => risks.getRiskFinding(deps.contextFor(request), request.params.id),
  );

  app.post(
    '/api/v1/frontier/risk-findings/:id/status',
    {
      ...auth,
      schema: spec("Set a risk finding's status (the developer, or its author)", {
        params,
        body: RiskStatusBody,
        response: answers(RiskFindingSchema, [403]),
      }),
    },
    (request) => risks.setRiskFindingStatus(deps.contextFor(request), request.params.id, request.body),
  );

  app.post(
    '/api/v1/frontier/reviews/:id/vulnerabilities',
    {
      ...auth,
      schema: spec('Report a vulnerability the model found; TLP:RED by default, handed to intake', {
        params,
        body: VulnerabilityBody,
        response: answers(VulnerabilitySchema, [403], 201),
      }),
    },
    async (request, reply) =>
      reply.status(201).send(await vulnerabilities.reportVulnerability(deps.contextFor(request), request.params.id, request.body)),
  );

  app.get(
    '/api/v1/frontier/reviews/:id/vulnerabilities',
    {
      ...auth,
      schema: spec("A review's model-found vulnerabilities you may see", {
        params,
        querystring: PageQuerySchema,
        response: pageAnswers(VulnerabilitySchema),
      }),
    },
    (request) => vulnerabilities.listVulnerabilities(deps.contextFor(request), request.params.id, request.query),
  );

  app.get(
    '/api/v1/frontier/vulnerabilities/:id',
    { ...auth, schema: spec('One model-found vulnerability', { params, response: answers(VulnerabilitySchema) }) },
    (request) => vulnerabilities.getVulnerability(deps.contextFor(request), request.params.id),
  );
}
