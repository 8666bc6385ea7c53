import { Type } from '@sinclair/typebox';
import {
  PageQuerySchema,
  itemsOf,
  optionalBody,
  IdParamSchema,
  sendStoredFile,
  type HttpApp,
  type RouteDeps,
} from '../../../platform/http/index.js';
import * as grants from '../service/grants.js';
import * as materials from '../service/materials.js';
import * as report from '../service/report.js';
import * as reviews from '../service/reviews.js';
import { auth, answers, spec, pageAnswers } from './route-kit.js';
import {
  AccessLogSchema,
  ExtendBody,
  GrantSchema,
  MaterialParams,
  MaterialSchema,
  NewGrantBody,
  NewReviewBody,
  ReasonBody,
  ReviewReportSchema,
  ReviewSchema,
  TimelineEntrySchema,
} from './schemas.js';

/** Reviews: opening, extending, ending, withdrawing, the timeline and the report; grants and materials of a review. */
export function reviewRoutes(app: HttpApp, deps: RouteDeps): void {
  const params = IdParamSchema;

  app.post(
    '/api/v1/frontier/reviews',
    {
      ...auth,
      schema: spec('Open a review window for your model (developers); at most the policy maximum, else 422', {
        body: NewReviewBody,
        response: answers(ReviewSchema, [403, 409, 422], 201),
      }),
    },
    async (request, reply) => reply.status(201).send(await reviews.openReview(deps.contextFor(request), request.body)),
  );

  app.get(
    '/api/v1/frontier/reviews',
    {
      ...auth,
      schema: spec('Reviews of the models you may see, newest first', {
        querystring: Type.Composite([PageQuerySchema, Type.Object({ modelId: Type.Optional(Type.String({ maxLength: 64 })) })]),
        response: pageAnswers(ReviewSchema),
      }),
    },
    (request) => reviews.listReviews(deps.contextFor(request), request.query),
  );

  app.get(
    '/api/v1/frontier/reviews/:id',
    { ...auth, schema: spec('One review, with its state and countdown', { params, response: answers(ReviewSchema) }) },
    (request) => reviews.getReview(deps.contextFor(request), request.params.id),
  );

  app.post(
    '/api/v1/frontier/reviews/:id/extend',
    {
      ...auth,
      schema: spec('Extend a review within the policy maximum (the developer)', {
        params,
        body: ExtendBody,
        response: answers(ReviewSchema, [403, 409, 422]),
      }),
    },
    (request) => reviews.extendReview(deps.contextFor(request), request.params.id, request.body),
  );

  app.post(
    '/api/v1/frontier/reviews/:id/end',
    {
      ...auth,
      schema: spec('End a review early, at any time (the developer); its grants end with it', {
        params,
        body: optionalBody(ReasonBody),
        response: answers(ReviewSchema, [403, 409]),
      }),
    },
    (request) => reviews.endReview(deps.contextFor(request), request.params.id, request.body ?? {}),
  );

  app.post(
    '/api/v1/frontier/reviews/:id/withdraw',
    {
      ...auth,
      schema: spec('Withdraw from a review (the developer); its grants end with it', {
        params,
        body: optionalBody(ReasonBody),
        response: answers(ReviewSchema, [403, 409]),
      }),
    },
    (request) => reviews.withdrawReview(deps.contextFor(request), request.params.id, request.body ?? {}),
  );

  app.get(
    '/api/v1/frontier/reviews/:id/timeline',
    {
      ...auth,
      schema: spec('Who did what and when in a review, oldest first', { params, response: answers(itemsOf(TimelineEntrySchema)) }),
    },
    async (request) => ({
      items: await reviews.reviewTimeline(deps.contextFor(request), request.params.id),
    }),
  );

  app.get(
    '/api/v1/frontier/reviews/:id/report',
    {
      ...auth,
      schema: spec('The review report (JSON): results against reference values, findings, recommendations; informational only', {
        params,
        response: answers(ReviewReportSchema, [403]),
      }),
    },
    (request) => report.reviewReport(deps.contextFor(request), request.params.id),
  );

  app.get(
    '/api/v1/frontier/reviews/:id/report.html',
    {
      ...auth,
      schema: spec('The review report as an HTML page; informational only', {
        params,
        produces: ['text/html'],
        response: answers(Type.String(), [403]),
      }),
    },
    async (request, reply) => {
      // Built before the reply is touched, so that a refusal still goes out as problem+json.
      const html = await report.reviewReportHtml(deps.contextFor(request), request.params.id);
      return reply
        .type('text/html; charset=utf-8')
        .serializer((payload) => payload as string)
        .send(html);
    },
  );

  app.post(
    '/api/v1/frontier/reviews/:id/grants',
    {
      ...auth,
      schema: spec("Grant an agency or a selected partner access (the developer); expiry at or before the window's end, else 422", {
        params,
        body: NewGrantBody,
        response: answers(GrantSchema, [403, 409, 422], 201),
      }),
    },
    async (request, reply) => reply.status(201).send(await grants.createGrant(deps.contextFor(request), request.params.id, request.body)),
  );

  app.get(
    '/api/v1/frontier/reviews/:id/access-log',
    {
      ...auth,
      schema: spec('Uses and downloads in a review: all for the developer and the coordinator, your own otherwise', {
        params,
        querystring: PageQuerySchema,
        response: pageAnswers(AccessLogSchema),
      }),
    },
    (request) => materials.listReviewAccess(deps.contextFor(request), request.params.id, request.query),
  );

  app.get(
    '/api/v1/frontier/reviews/:id/materials',
    { ...auth, schema: spec("A review's materials", { params, response: answers(itemsOf(MaterialSchema)) }) },
    async (request) => ({
      items: await materials.listMaterials(deps.contextFor(request), request.params.id),
    }),
  );

  app.get(
    '/api/v1/frontier/reviews/:id/materials/:materialId/content',
    {
      ...auth,
      schema: spec('Download review material (logged); grantees only while their grant is usable', {
        params: MaterialParams,
        response: answers(Type.Unknown(), [403]),
      }),
    },
    async (request, reply) => {
      const { material, bytes } = await materials.downloadMaterial(deps.contextFor(request), request.params.id, request.params.materialId);
      return sendStoredFile(reply, { bytes, filename: material.name, mediaType: material.mediaType });
    },
  );
}
