import { Type } from '@sinclair/typebox';
import { InstantSchema, Nullable, PageQuerySchema, StringEnum, routeKit, type HttpApp, type RouteDeps } from '../../platform/http/index.js';
import { CVE_ORG_ID_PATTERN, MAX_POLICY_EMBARGO_DAYS, PRIORITY_LEVELS } from './domain/disclosure-policy.js';
import { getDisclosurePolicy, listDisclosurePolicyVersions, updateDisclosurePolicy } from './service/disclosure-policy.js';

/** A policy document is a few numbers. */
const BODY_LIMIT = 8 * 1024;

const { auth, spec, answers, pageAnswers } = routeKit('cases', { bodyLimit: BODY_LIMIT, errors: [413] });
const Days = Type.Integer({ minimum: 1, maximum: MAX_POLICY_EMBARGO_DAYS });

const PolicySchema = Type.Object(
  {
    embargoDays: { ...Days, description: 'days from the first vendor contact to the default end of the embargo' },
    exploitedEmbargoDays: { ...Days, description: 'the same when the vulnerability is actively exploited' },
    maxEmbargoDays: { ...Days, description: 'the longest embargo anyone may propose, in days from the proposal' },
    reminderDaysBefore: Type.Array(Days, { maxItems: 5, description: 'participants are reminded this many days before the end' }),
    autoOpenAtPriority: Type.Union([StringEnum(PRIORITY_LEVELS), Type.Null()], {
      description: 'a validated cluster at this priority opens a case',
    }),
    defaultTimeZone: Type.String({ minLength: 1, maxLength: 64, description: 'the IANA zone deadlines set by policy are shown in' }),
    cna: Type.Optional(
      Type.Union(
        [
          Type.Object(
            {
              orgId: Type.String({ pattern: CVE_ORG_ID_PATTERN, description: 'the organisation UUID the CVE Program assigned the CNA' }),
              shortName: Type.String({ minLength: 2, maxLength: 32, description: 'its CVE Program short name' }),
            },
            { additionalProperties: false },
          ),
          Type.Null(),
        ],
        {
          description:
            'the coordinator as CNA, written as providerMetadata of generated CVE records; null (absent when saving): a stand-in derived from the public URL',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

const PolicyVersionSchema = Type.Object({
  version: Type.Integer({ description: '0 for the built-in defaults, never saved' }),
  policy: PolicySchema,
  note: Nullable(Type.String()),
  createdBy: Nullable(Type.String()),
  createdAt: Nullable(InstantSchema),
});

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
    (request) => getDisclosurePolicy(deps.contextFor(request)),
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
    (request) => listDisclosurePolicyVersions(deps.contextFor(request), request.query),
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
    (request) => updateDisclosurePolicy(deps.contextFor(request), request.body),
  );
}
