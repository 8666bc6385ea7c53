import { Type, type Static } from '@sinclair/typebox';
import { InstantSchema, Nullable, StringEnum, TlpSchema, type SchemaAgrees } from '../../platform/http/index.js';
import type { RemediationCurve } from './domain/remediation-curve.js';
import { REPORTED_STATUSES, VEX_JUSTIFICATIONS } from './domain/remediation.js';

/** The response and request schemas of notify's routes: each field of the presenters, listed once. */

/** JSON bodies of notify's routes are small: a webhook, a list of ids, a report. */
export const NOTIFY_BODY_LIMIT = 64 * 1024;

const Str = Type.String();
const Share = Nullable(Type.Number({ minimum: 0, maximum: 1 }));

export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead', 'cancelled'] as const;

export const WebhookSchema = Type.Object({
  id: Str,
  orgId: Str,
  url: Str,
  description: Nullable(Str),
  events: Type.Array(Str),
  tlpCeiling: TlpSchema,
  sectors: Nullable(Type.Array(Str)),
  products: Nullable(Type.Array(Str)),
  enabled: Type.Boolean(),
  disabledReason: Nullable(Str),
  circuit: Type.Object({
    status: StringEnum(['closed', 'open', 'half_open'] as const),
    consecutiveFailures: Type.Integer(),
    openUntil: Nullable(InstantSchema),
  }),
  /** While a rotated-out secret still signs (both signatures are sent). */
  previousSecretUntil: Nullable(InstantSchema),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
});

const WebhookFieldSchemas = {
  url: Type.String({ minLength: 1, maxLength: 2048, description: 'https; plain http only to an allow-listed address' }),
  events: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
    minItems: 1,
    maxItems: 50,
    description: 'notification types: exact (advisory.published), a family (advisory.*) or *',
  }),
  description: Nullable(Type.String({ maxLength: 200 })),
  tlpCeiling: Type.Optional(TlpSchema),
  sectors: Nullable(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 20, description: 'sector keys; null: all' })),
  products: Nullable(
    Type.Array(Type.String({ maxLength: 400 }), { maxItems: 200, description: 'package URLs without version; null: all' }),
  ),
  enabled: Type.Boolean(),
};

export const NewWebhookBody = Type.Object(
  {
    url: WebhookFieldSchemas.url,
    events: WebhookFieldSchemas.events,
    description: Type.Optional(WebhookFieldSchemas.description),
    tlpCeiling: WebhookFieldSchemas.tlpCeiling,
    sectors: Type.Optional(WebhookFieldSchemas.sectors),
    products: Type.Optional(WebhookFieldSchemas.products),
    enabled: Type.Optional(WebhookFieldSchemas.enabled),
  },
  { additionalProperties: false },
);

export const WebhookChangesBody = Type.Object(
  {
    url: Type.Optional(WebhookFieldSchemas.url),
    events: Type.Optional(WebhookFieldSchemas.events),
    description: Type.Optional(WebhookFieldSchemas.description),
    tlpCeiling: WebhookFieldSchemas.tlpCeiling,
    sectors: Type.Optional(WebhookFieldSchemas.sectors),
    products: Type.Optional(WebhookFieldSchemas.products),
    enabled: Type.Optional(WebhookFieldSchemas.enabled),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const NewWebhookSchema = Type.Object({
  id: Str,
  secret: Type.String({ description: 'the signing secret (whsec_…): shown this once' }),
  webhook: WebhookSchema,
});

export const DeliverySchema = Type.Object({
  id: Type.String({ description: 'the webhook-id of every attempt and replay' }),
  notificationId: Str,
  webhookId: Str,
  status: StringEnum(DELIVERY_STATUSES),
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(InstantSchema),
  lastStatus: Nullable(Type.Integer()),
  lastError: Nullable(Str),
  deliveredAt: Nullable(InstantSchema),
  deadAt: Nullable(InstantSchema),
  deadReason: Nullable(Str),
  replays: Type.Integer(),
  createdAt: InstantSchema,
});

export const DeliveryAttemptSchema = Type.Object({
  attempt: Type.Integer(),
  startedAt: InstantSchema,
  outcome: Str,
  statusCode: Nullable(Type.Integer()),
  error: Nullable(Str),
  durationMs: Nullable(Type.Integer()),
});

export const DeliveryDetailSchema = Type.Composite([DeliverySchema, Type.Object({ attemptLog: Type.Array(DeliveryAttemptSchema) })]);

export const NotificationSchema = Type.Object({
  id: Str,
  orgId: Str,
  type: Str,
  subjectId: Nullable(Str),
  tlp: TlpSchema,
  title: Str,
  sectors: Type.Array(Str),
  createdAt: InstantSchema,
  readAt: Nullable(InstantSchema),
  data: Type.Unknown({ description: 'the payload exactly as webhooks carry it (the data of the Standard Webhooks body)' }),
});

export const AllowlistEntrySchema = Type.Object({ id: Str, cidr: Str, note: Nullable(Str), createdAt: InstantSchema });

export const RemediationItemSchema = Type.Object({
  id: Str,
  orgId: Str,
  advisoryId: Str,
  assetId: Str,
  assetName: Str,
  sector: Nullable(Str),
  status: Type.String({ description: 'notified, one of the reported statuses, or reopened (an accepted risk past its expiry)' }),
  open: Type.Boolean(),
  overdue: Type.Boolean(),
  mitigation: Nullable(Str),
  justification: Nullable(Str),
  expiresAt: Nullable(InstantSchema),
  note: Nullable(Str),
  decision: Nullable(Type.String({ description: 'the SSVC deployer decision that set the due date' })),
  dueAt: Nullable(InstantSchema),
  notifiedAt: InstantSchema,
  acknowledgedAt: Nullable(InstantSchema),
  closedAt: Nullable(InstantSchema),
  reportedAt: Nullable(InstantSchema),
});

const ReportFields = {
  status: StringEnum(REPORTED_STATUSES),
  mitigation: Type.Optional(Type.String({ maxLength: 2000, description: 'required with mitigated' })),
  justification: Type.Optional(StringEnum(VEX_JUSTIFICATIONS, { description: 'required with not_affected' })),
  expiresAt: Type.Optional(Type.String({ maxLength: 64, description: 'required with risk_accepted: when the item reopens' })),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
  assetIds: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 1000, description: 'default: every notified asset' }),
  ),
};

export const ReportBody = Type.Object(
  {
    advisoryId: Type.String({ minLength: 1, maxLength: 200 }),
    orgId: Type.Optional(Type.String({ maxLength: 64 })),
    ...ReportFields,
  },
  { additionalProperties: false },
);

export const LinkReportBody = Type.Object(ReportFields, { additionalProperties: false });

const ShareFields = {
  /** Assets notified. */
  assets: Type.Integer(),
  acknowledged: Type.Integer(),
  patched: Type.Integer(),
  mitigated: Type.Integer(),
  notAffected: Type.Integer(),
  riskAccepted: Type.Integer(),
  open: Type.Integer(),
  overdue: Type.Integer(),
  /** Shares of `assets`, 0 to 1 (null when there are none). */
  acknowledgedShare: Share,
  patchedShare: Share,
};

export const ShareCountsSchema = Type.Object(ShareFields);

export const AdvisoryRemediationSchema = Type.Object({
  advisoryId: Str,
  /** Operators notified, and how many of them acknowledged (every asset) and patched (every asset). */
  operators: Type.Object({ notified: Type.Integer(), acknowledged: Type.Integer(), patched: Type.Integer() }),
  totals: ShareCountsSchema,
  bySector: Type.Array(Type.Object({ sector: Nullable(Str), ...ShareFields })),
  /** Per day since the first notification (UTC days): the shares as they stood at the end of the day. */
  timeline: Type.Array(Type.Object({ day: Str, acknowledgedShare: Type.Number(), patchedShare: Type.Number() })),
});

const CurveFields = {
  assets: Type.Integer({ description: 'assets notified' }),
  points: Type.Array(
    Type.Object({
      day: Type.Integer({ description: 'whole days since each asset’s notification' }),
      patched: Type.Integer({ description: 'assets first reported patched within that many whole days' }),
      patchedShare: Type.Number({ minimum: 0, maximum: 1 }),
    }),
  ),
};
export const AdvisoryRemediationCurvesSchema = Type.Object({
  advisoryId: Str,
  horizon: Type.Integer({ description: 'whole days from the first notification to now (at most 90): the last day of the curves' }),
  overall: Type.Object(CurveFields),
  bySector: Type.Array(Type.Object({ sector: Nullable(Str), ...CurveFields })),
});

// The domain's types stay the source of truth; a schema that drifts from them, either way, fails to compile.
const SCHEMAS_AGREE_WITH_DOMAIN: [SchemaAgrees<Static<typeof AdvisoryRemediationCurvesSchema>['overall'], RemediationCurve>] = [true];
void SCHEMAS_AGREE_WITH_DOMAIN;
