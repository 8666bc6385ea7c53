import { Type, type TSchema } from '@sinclair/typebox';
import {
  IdParamSchema,
  PageQuerySchema,
  StringEnum,
  itemsOf,
  optionalBody,
  routeKit,
  type HttpApp,
  type RouteDeps,
} from '../../platform/http/index.js';
import { CAMPAIGN_STATES } from './domain/campaign.js';
import { LEASE_MAX_SECONDS, LEASE_MIN_SECONDS } from './domain/lease-rules.js';
import {
  AssetBody,
  AssetPatch,
  AssetSchema,
  BlackoutAddedSchema,
  BlackoutBody,
  CampaignBody,
  CampaignSchema,
  ConflictSchema,
  ConsentBody,
  GapsSchema,
  LeaseSchema,
  RegisteredSchema,
  ScanConflictSchema,
  StopRequestSchema,
  TargetCoverageSchema,
  TargetStatusSchema,
  TechniqueSchema,
} from './route-schemas.js';
import {
  addBlackout,
  addConsent,
  declareAsset,
  getAsset,
  listAssets,
  removeBlackout,
  removeConsent,
  updateAsset,
} from './service/assets.js';
import { requestStop, stopCampaign } from './service/campaign-lifecycle.js';
import { campaignConflicts, getCampaign, listCampaigns, registerCampaign } from './service/campaigns.js';
import { scanGaps } from './service/coverage.js';
import { claimLease, releaseLease, renewLease } from './service/leases.js';
import { targetCoverage, targetStatus } from './service/status.js';

/** Scanning bodies are small: a campaign of at most 1,000 scope entries, an asset of at most 1,000 targets. */
const BODY_LIMIT = 256 * 1024;

const kit = routeKit('scanning', { bodyLimit: BODY_LIMIT, errors: [413] });
const { auth, spec, pageAnswers } = kit;
/** The kit's answers; a 409 carries the conflict's extension members (holder, expiry, next free time, violations). */
const answers = (schema: TSchema, errors: readonly number[] = [], status = 200) => ({
  ...kit.answers(schema, errors, status),
  ...(errors.includes(409) ? { 409: ScanConflictSchema } : {}),
});
const TargetQuery = Type.Object({
  target: Type.String({ minLength: 1, maxLength: 2000, description: 'pkg:…, https://… repository, cpe:…, CIDR block or host name' }),
});
const Seconds = Type.Integer({ minimum: LEASE_MIN_SECONDS, maximum: LEASE_MAX_SECONDS, description: 'how long to hold it' });
const AssetPart = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), partId: Type.String({ minLength: 1, maxLength: 64 }) });

/** Every scanning route, under /api/v1/scanning. */
export function scanningRoutes(app: HttpApp, deps: RouteDeps): void {
  campaignRoutes(app, deps);
  leaseRoutes(app, deps);
  assetRoutes(app, deps);
}

function campaignRoutes(app: HttpApp, deps: RouteDeps): void {
  app.post(
    '/api/v1/scanning/campaigns',
    {
      ...auth,
      schema: spec(
        "Register a scan campaign: checked against operators' scan policies (409 scan-policy-violation naming the asset and rule), then deconflicted — the answer lists overlapping campaigns as far as you may see them",
        { body: CampaignBody, response: answers(RegisteredSchema, [403, 409], 201) },
      ),
    },
    async (request, reply) => reply.status(201).send(await registerCampaign(deps.contextFor(request), request.body)),
  );

  app.get(
    '/api/v1/scanning/campaigns',
    {
      ...auth,
      schema: spec('Campaigns you may see, newest first', {
        querystring: Type.Composite([
          PageQuerySchema,
          Type.Object({
            state: Type.Optional(StringEnum(CAMPAIGN_STATES)),
            orgId: Type.Optional(Type.String({ maxLength: 64 })),
            technique: Type.Optional(TechniqueSchema),
            target: Type.Optional(Type.String({ maxLength: 2000, description: 'campaigns with a target overlapping this one' })),
          }),
        ]),
        response: pageAnswers(CampaignSchema),
      }),
    },
    (request) => listCampaigns(deps.contextFor(request), request.query),
  );

  app.get(
    '/api/v1/scanning/campaigns/:id',
    { ...auth, schema: spec('A campaign, with its stop requests', { params: IdParamSchema, response: answers(CampaignSchema) }) },
    (request) => getCampaign(deps.contextFor(request), request.params.id),
  );

  app.get(
    '/api/v1/scanning/campaigns/:id/conflicts',
    {
      ...auth,
      schema: spec('Deconfliction on demand: the planned and active campaigns this one overlaps now, as far as you may see them', {
        params: IdParamSchema,
        response: answers(itemsOf(ConflictSchema)),
      }),
    },
    async (request) => ({ items: await campaignConflicts(deps.contextFor(request), request.params.id) }),
  );

  app.post(
    '/api/v1/scanning/campaigns/:id/stop',
    {
      ...auth,
      schema: spec('Stop a campaign of your organisation (coordinators: any) before its window closes; its leases are released', {
        params: IdParamSchema,
        body: optionalBody(Type.Object({ reason: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false })),
        response: answers(CampaignSchema, [403, 409]),
      }),
    },
    (request) => stopCampaign(deps.contextFor(request), request.params.id, request.body ?? {}),
  );

  app.post(
    '/api/v1/scanning/campaigns/:id/stop-requests',
    {
      ...auth,
      schema: spec(
        "Ask a campaign to stop (the coordinator, or an operator whose asset it touches): its owner's stop contact is told at once",
        {
          params: IdParamSchema,
          body: Type.Object(
            {
              reason: Type.String({ minLength: 1, maxLength: 1000 }),
              assetId: Type.Optional(Type.String({ maxLength: 64, description: 'the asset it must stop scanning' })),
            },
            { additionalProperties: false },
          ),
          response: answers(StopRequestSchema, [403, 409], 201),
        },
      ),
    },
    async (request, reply) => reply.status(201).send(await requestStop(deps.contextFor(request), request.params.id, request.body)),
  );

  app.get(
    '/api/v1/scanning/targets/status',
    {
      ...auth,
      schema: spec(
        'Before scanning a target: live leases on it (holder as far as you may see), planned and active campaigns on it, and how many validated and open clusters already exist for it',
        { querystring: TargetQuery, response: answers(TargetStatusSchema) },
      ),
    },
    (request) => targetStatus(deps.contextFor(request), request.query.target),
  );

  app.get(
    '/api/v1/scanning/targets/coverage',
    {
      ...auth,
      schema: spec('Who scanned a target, when, with which technique, and which clusters each campaign found — as far as you may see', {
        querystring: TargetQuery,
        response: answers(TargetCoverageSchema),
      }),
    },
    (request) => targetCoverage(deps.contextFor(request), request.query.target),
  );

  app.get(
    '/api/v1/scanning/gaps',
    {
      ...auth,
      schema: spec(
        "Software operators run that no campaign scanned lately, most widely run first (coordinators: every operator's; operators: their own)",
        {
          querystring: Type.Object({
            days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650, default: 90 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
          }),
          response: answers(GapsSchema, [403]),
        },
      ),
    },
    (request) => scanGaps(deps.contextFor(request), request.query),
  );
}

function leaseRoutes(app: HttpApp, deps: RouteDeps): void {
  app.post(
    '/api/v1/scanning/leases',
    {
      ...auth,
      schema: spec(
        'Claim a target for a technique. 409 lease-held names the holder (as far as you may see), its expiresAt and nextFreeAt; 409 blackout when an asset holding a network target is blacked out',
        {
          body: Type.Object(
            {
              target: Type.String({ minLength: 1, maxLength: 2000 }),
              technique: TechniqueSchema,
              seconds: Seconds,
              campaignId: Type.Optional(
                Type.String({ maxLength: 64, description: 'your active campaign covering it; required for network targets' }),
              ),
            },
            { additionalProperties: false },
          ),
          response: answers(LeaseSchema, [403, 409], 201),
        },
      ),
    },
    async (request, reply) => reply.status(201).send(await claimLease(deps.contextFor(request), request.body)),
  );

  app.post(
    '/api/v1/scanning/leases/:id/renew',
    {
      ...auth,
      schema: spec('Extend a live lease to `seconds` from now (409 lease-ended once it expired or was released)', {
        params: IdParamSchema,
        body: Type.Object({ seconds: Seconds }, { additionalProperties: false }),
        response: answers(LeaseSchema, [403, 409]),
      }),
    },
    (request) => renewLease(deps.contextFor(request), request.params.id, request.body),
  );

  app.post(
    '/api/v1/scanning/leases/:id/release',
    {
      ...auth,
      schema: spec('Give a live lease back before it expires', { params: IdParamSchema, response: answers(LeaseSchema, [403, 409]) }),
    },
    (request) => releaseLease(deps.contextFor(request), request.params.id),
  );
}

function assetRoutes(app: HttpApp, deps: RouteDeps): void {
  app.post(
    '/api/v1/scanning/assets',
    {
      ...auth,
      schema: spec("Declare an operator's asset: host names, CIDR blocks, products; its zone and active-scanning rule", {
        body: AssetBody,
        response: answers(AssetSchema, [403], 201),
      }),
    },
    async (request, reply) => reply.status(201).send(await declareAsset(deps.contextFor(request), request.body)),
  );

  app.get(
    '/api/v1/scanning/assets',
    {
      ...auth,
      schema: spec("Your operator's assets and scan policies (coordinators: every operator's, or one by orgId)", {
        querystring: Type.Object({ orgId: Type.Optional(Type.String({ maxLength: 64 })) }),
        response: answers(itemsOf(AssetSchema)),
      }),
    },
    async (request) => ({ items: await listAssets(deps.contextFor(request), request.query) }),
  );

  app.get(
    '/api/v1/scanning/assets/:id',
    { ...auth, schema: spec('An asset and its scan policy', { params: IdParamSchema, response: answers(AssetSchema) }) },
    (request) => getAsset(deps.contextFor(request), request.params.id),
  );

  app.patch(
    '/api/v1/scanning/assets/:id',
    {
      ...auth,
      schema: spec("Change an asset's name, zone, targets or active-scanning rule (never: no active scanning at all)", {
        params: IdParamSchema,
        body: AssetPatch,
        response: answers(AssetSchema, [403]),
      }),
    },
    (request) => updateAsset(deps.contextFor(request), request.params.id, request.body),
  );

  app.post(
    '/api/v1/scanning/assets/:id/consents',
    {
      ...auth,
      schema: spec('Give a scanner organisation a standing consent to scan the asset actively', {
        params: IdParamSchema,
        body: ConsentBody,
        response: answers(AssetSchema, [403], 201),
      }),
    },
    async (request, reply) => reply.status(201).send(await addConsent(deps.contextFor(request), request.params.id, request.body)),
  );

  app.delete(
    '/api/v1/scanning/assets/:id/consents/:partId',
    {
      ...auth,
      schema: spec('Withdraw a standing consent', { params: AssetPart, response: answers(AssetSchema, [403]) }),
    },
    (request) => removeConsent(deps.contextFor(request), request.params.id, request.params.partId),
  );

  app.post(
    '/api/v1/scanning/assets/:id/blackouts',
    {
      ...auth,
      schema: spec(
        "Add a blackout window (once or weekly, in the asset's zone); every campaign on the asset it collides with is sent a stop request at once",
        { params: IdParamSchema, body: BlackoutBody, response: answers(BlackoutAddedSchema, [403], 201) },
      ),
    },
    async (request, reply) => reply.status(201).send(await addBlackout(deps.contextFor(request), request.params.id, request.body)),
  );

  app.delete(
    '/api/v1/scanning/assets/:id/blackouts/:partId',
    {
      ...auth,
      schema: spec('Remove a blackout window', { params: AssetPart, response: answers(AssetSchema, [403]) }),
    },
    (request) => removeBlackout(deps.contextFor(request), request.params.id, request.params.partId),
  );
}
