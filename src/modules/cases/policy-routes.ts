import { Type } from '@sinclair/typebox';
import { PageQuerySchema, routeKit, type HttpApp, type RouteDeps } from '../../platform/http/index.js';
import { getDisclosurePolicy, listDisclosurePolicyVersions, updateDisclosurePolicy } from './service/disclosure-policy.js';
import { presentDisclosurePolicy } from './presenters.js';
import { PolicyVersionSchema } from './route-schemas.js';

/** A policy document is a few numbers. */
const BODY_LIMIT = 8 * 1024;

const { auth, spec, answers, pageAnswers } = routeKit('cases', { bodyLimit: BODY_LIMIT, errors: [413] });
/** The disclosure policy, versioned data (DESIGN §5), under /api/v1/cases/policy. */
export function casesPolicyRoutes(app: HttpApp, deps: RouteDeps): void {
  app.get(
    '/api/v1/cases/policy',
    {
      ...auth,
      schema: spec('The disclosure policy in force: default embargo deadlines, their maximum, reminders', {
        response: answers(PolicyVersionSchema),
      }),
    },
    async (request) => presentDisclosurePolicy(await getDisclosurePolicy(deps.contextFor(request))),
  );

  app.get(
    '/api/v1/cases/policy/versions',
    {
      ...auth,
      schema: spec('Every saved version of the disclosure policy, newest first', {
        querystring: PageQuerySchema,
        response: pageAnswers(PolicyVersionSchema),
      }),
    },
    async (request) => {
      const page = await listDisclosurePolicyVersions(deps.contextFor(request), request.query);
      return { items: page.items.map(presentDisclosurePolicy), nextCursor: page.nextCursor };
    },
  );

  app.put(
    '/api/v1/cases/policy',
    {
      ...auth,
      schema: spec('Replace the disclosure policy with a new version (coordinator admins); audited', {
        body: Type.Object(
          {
            // Unknown here, checked whole by the service, so that each bad field is named once under /policy.
            policy: Type.Unknown({ description: 'the whole policy document, as GET answers it under `policy`' }),
            version: Type.Optional(Type.Integer({ minimum: 0, description: 'the version you read: a policy changed since answers 409' })),
            note: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: answers(PolicyVersionSchema, [403, 409]),
      }),
    },
    async (request) => presentDisclosurePolicy(await updateDisclosurePolicy(deps.contextFor(request), request.body)),
  );
}
