import { Type } from '@sinclair/typebox';
import {
  IdParamSchema,
  PageQuerySchema,
  StringEnum,
  itemsOf,
  pageOf,
  problemResponses,
  routeKit,
  type HttpApp,
  type RouteDeps,
} from '../../platform/http/index.js';
import { NOTIFICATION_TYPES } from './domain/notification.js';
import {
  AllowlistEntrySchema,
  DELIVERY_STATUSES,
  DeliveryDetailSchema,
  DeliverySchema,
  NewWebhookBody,
  NOTIFY_BODY_LIMIT,
  NewWebhookSchema,
  NotificationSchema,
  WebhookChangesBody,
  WebhookSchema,
} from './route-schemas.js';
import { remediationRoutes } from './remediation-routes.js';
import { addAllowlistEntry, getAllowlist, removeAllowlistEntry } from './service/allowlist.js';
import { getDelivery, listDeliveries, replayDeadLetters, testWebhook } from './service/deliveries.js';
import { getNotification, listInbox, markInboxRead } from './service/inbox.js';
import { sendPrenotice } from './service/prenotices.js';
import { deleteWebhook, getWebhook, listWebhooks, registerWebhook, rotateWebhookSecret, updateWebhook } from './service/webhooks.js';

const { auth, spec, answers, pageAnswers } = routeKit('notify', { bodyLimit: NOTIFY_BODY_LIMIT, errors: [413] });
const OrgQuery = Type.Object({
  orgId: Type.Optional(Type.String({ maxLength: 64, description: 'your organisation (the default); others answer 404' })),
});
const Ids = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 500 });

/** Webhooks, their deliveries and dead letters, the allow-list and the inbox; remediation in its own file. */
export function notifyRoutes(app: HttpApp, deps: RouteDeps): void {
  app.post(
    '/api/v1/webhooks',
    {
      ...auth,
      schema: spec('Register a webhook for your organisation (its admins): answers its signing secret, shown this once', {
        body: NewWebhookBody,
        response: answers(NewWebhookSchema, [403, 409, 422], 201),
      }),
    },
    async (request, reply) => reply.status(201).send(await registerWebhook(deps.contextFor(request), request.body)),
  );

  app.get(
    '/api/v1/webhooks',
    {
      ...auth,
      schema: spec("Your organisation's webhooks (its members)", {
        querystring: Type.Composite([PageQuerySchema, OrgQuery]),
        response: pageAnswers(WebhookSchema),
      }),
    },
    (request) => listWebhooks(deps.contextFor(request), request.query, request.query),
  );

  app.get(
    '/api/v1/webhooks/:id',
    { ...auth, schema: spec('One of your webhooks', { params: IdParamSchema, response: answers(WebhookSchema) }) },
    (request) => getWebhook(deps.contextFor(request), request.params.id),
  );

  app.patch(
    '/api/v1/webhooks/:id',
    {
      ...auth,
      schema: spec("Change a webhook's URL, events, filters, description or enabled state (its organisation's admins)", {
        params: IdParamSchema,
        body: WebhookChangesBody,
        response: answers(WebhookSchema, [403, 422]),
      }),
    },
    (request) => updateWebhook(deps.contextFor(request), request.params.id, request.body),
  );

  app.delete(
    '/api/v1/webhooks/:id',
    {
      ...auth,
      schema: spec('Delete a webhook: nothing more is sent to it, its pending deliveries are cancelled (admins)', {
        params: IdParamSchema,
        response: { 204: Type.Null(), ...problemResponses(403, 404) },
      }),
    },
    async (request, reply) => {
      await deleteWebhook(deps.contextFor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/v1/webhooks/:id/secret',
    {
      ...auth,
      schema: spec('Rotate the signing secret (admins): the new one is shown once, the old one signs beside it for 24 hours', {
        params: IdParamSchema,
        response: answers(Type.Object({ secret: Type.String(), previousValidUntil: Type.String({ format: 'date-time' }) }), [403]),
      }),
    },
    (request) => rotateWebhookSecret(deps.contextFor(request), request.params.id),
  );

  app.post(
    '/api/v1/webhooks/:id/test',
    {
      ...auth,
      schema: spec('Send a webhook.test message now, signed and retried like every delivery (admins)', {
        params: IdParamSchema,
        response: answers(
          Type.Object({ deliveryId: Type.Union([Type.String(), Type.Null()]), notificationId: Type.String() }),
          [403, 409],
          202,
        ),
      }),
    },
    async (request, reply) => reply.status(202).send(await testWebhook(deps.contextFor(request), request.params.id)),
  );

  app.get(
    '/api/v1/webhook-deliveries',
    {
      ...auth,
      schema: spec("Your organisation's deliveries, newest first; status=dead lists the dead letters", {
        querystring: Type.Composite([
          PageQuerySchema,
          OrgQuery,
          Type.Object({
            webhookId: Type.Optional(Type.String({ maxLength: 64 })),
            status: Type.Optional(StringEnum(DELIVERY_STATUSES)),
          }),
        ]),
        response: pageAnswers(DeliverySchema),
      }),
    },
    (request) => listDeliveries(deps.contextFor(request), request.query, request.query),
  );

  app.get(
    '/api/v1/webhook-deliveries/:id',
    {
      ...auth,
      schema: spec('One delivery with its attempt log', { params: IdParamSchema, response: answers(DeliveryDetailSchema) }),
    },
    (request) => getDelivery(deps.contextFor(request), request.params.id),
  );

  app.post(
    '/api/v1/webhook-deliveries/replay',
    {
      ...auth,
      schema: spec(
        'Replay dead letters under their original webhook-id, with a fresh 24-hour window: those named, or every one of a webhook (admins)',
        {
          body: Type.Object(
            { deliveryIds: Type.Optional(Ids), webhookId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) },
            { additionalProperties: false },
          ),
          response: answers(Type.Object({ replayed: Type.Integer() }), [403]),
        },
      ),
    },
    (request) => replayDeadLetters(deps.contextFor(request), request.body),
  );

  app.get(
    '/api/v1/webhook-allowlist',
    {
      ...auth,
      schema: spec('Non-public webhook destinations allowed (coordinators; others: an empty list)', {
        response: answers(itemsOf(AllowlistEntrySchema)),
      }),
    },
    async (request) => ({ items: await getAllowlist(deps.contextFor(request)) }),
  );

  app.post(
    '/api/v1/webhook-allowlist',
    {
      ...auth,
      schema: spec('Allow webhook destinations in a non-public block (coordinator admins); cloud metadata services stay refused', {
        body: Type.Object(
          { cidr: Type.String({ minLength: 1, maxLength: 64 }), note: Type.Optional(Type.String({ maxLength: 500 })) },
          { additionalProperties: false },
        ),
        response: answers(AllowlistEntrySchema, [403, 409], 201),
      }),
    },
    async (request, reply) => reply.status(201).send(await addAllowlistEntry(deps.contextFor(request), request.body)),
  );

  app.delete(
    '/api/v1/webhook-allowlist/:id',
    {
      ...auth,
      schema: spec('Remove an allow-list entry (coordinator admins)', {
        params: IdParamSchema,
        response: { 204: Type.Null(), ...problemResponses(403, 404) },
      }),
    },
    async (request, reply) => {
      await removeAllowlistEntry(deps.contextFor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/inbox',
    {
      ...auth,
      schema: spec("Your organisation's inbox, newest first: every notification it was entitled to, with read state", {
        querystring: Type.Composite([
          PageQuerySchema,
          OrgQuery,
          Type.Object({
            unread: Type.Optional(Type.Boolean()),
            type: Type.Optional(StringEnum(Object.keys(NOTIFICATION_TYPES) as (keyof typeof NOTIFICATION_TYPES)[])),
            subjectId: Type.Optional(Type.String({ maxLength: 200, description: 'the advisory (or webhook) it is about' })),
          }),
        ]),
        response: answers(Type.Composite([pageOf(NotificationSchema), Type.Object({ unread: Type.Integer() })])),
      }),
    },
    (request) => listInbox(deps.contextFor(request), request.query, request.query),
  );

  app.get(
    '/api/v1/inbox/:id',
    { ...auth, schema: spec('One notification of your inbox', { params: IdParamSchema, response: answers(NotificationSchema) }) },
    (request) => getNotification(deps.contextFor(request), request.params.id),
  );

  app.post(
    '/api/v1/inbox/read',
    {
      ...auth,
      schema: spec('Mark notifications read for your organisation: those named, or all (admins and analysts)', {
        body: Type.Object(
          { ids: Type.Optional(Ids), all: Type.Optional(Type.Boolean()), orgId: Type.Optional(Type.String({ maxLength: 64 })) },
          { additionalProperties: false },
        ),
        response: answers(Type.Object({ marked: Type.Integer() }), [403]),
      }),
    },
    (request) => markInboxRead(deps.contextFor(request), request.body),
  );

  app.post(
    '/api/v1/prenotices',
    {
      ...auth,
      schema: spec(
        "Pre-notify, during a case's embargo, the operators whose inventories match an advisory: TLP:AMBER+STRICT, with the embargo's end (coordinator staff)",
        {
          body: Type.Object(
            {
              caseId: Type.String({ minLength: 1, maxLength: 64, description: 'case id or number (CH-YYYY-NNNN)' }),
              advisoryId: Type.String({
                minLength: 1,
                maxLength: 200,
                description: "the inventory's advisory (id or alias) whose matches say who runs it",
              }),
              note: Type.Optional(Type.String({ maxLength: 2000, description: 'what the operators should do until the embargo ends' })),
            },
            { additionalProperties: false },
          ),
          response: answers(
            Type.Object({
              caseId: Type.String(),
              advisoryId: Type.String(),
              embargoEndsAt: Type.String({ format: 'date-time' }),
              matchedOperators: Type.Integer(),
              notifications: Type.Integer(),
              deliveries: Type.Integer(),
            }),
            [403, 404, 409],
          ),
        },
      ),
    },
    (request) => sendPrenotice(deps.contextFor(request), { publicUrl: deps.config.publicUrl }, request.body),
  );

  remediationRoutes(app, deps);
}
