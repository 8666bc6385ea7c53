import { Type, type Static } from '@sinclair/typebox';
import { InstantSchema, Nullable, ReadonlyList, StringEnum, type SchemaAgrees } from '../../platform/http/index.js';
import { FIGURE_UNITS } from '../../platform/transparency-facts.js';
import { TransparencySchema as FrontierTransparencySchema } from '../frontier/index.js';
import { DATA_CLASS_KEYS } from './domain/data-classes.js';
import { HOLD_SCOPE_KEYS } from './domain/legal-holds.js';
import type { TransparencyMetrics } from './domain/transparency-metrics.js';

/**
 * Governance's response schemas that presenters answer (presenters.ts): the answer types are their `Static`
 * types, so each field is listed once.
 */

const Str = Type.String();
const Count = Type.Integer({ minimum: 0 });
const Open = Type.Object({}, { additionalProperties: true });

export const RetentionTableSchema = Type.Object({
  version: Type.Integer(),
  table: Type.Object(
    { rules: Type.Record(Str, Open) },
    { description: 'one rule per data class: { keep, reason } or { expire: [{ after, days }] }' },
  ),
  note: Nullable(Str),
  createdBy: Str,
  createdAt: InstantSchema,
});

export const HoldSchema = Type.Object({
  id: Str,
  scope: StringEnum(HOLD_SCOPE_KEYS),
  targetId: Str,
  reason: Str,
  placedBy: Str,
  placedAt: InstantSchema,
  releasedBy: Nullable(Str),
  releasedAt: Nullable(InstantSchema),
  releaseNote: Nullable(Str),
});

export const REMOVAL_STATUSES = ['queued', 'running', 'completed'] as const;

export const RemovalSchema = Type.Object({
  id: Str,
  orgId: Str,
  status: StringEnum(REMOVAL_STATUSES),
  requestedAt: InstantSchema,
  requestedBy: Str,
  reason: Nullable(Str),
  completedAt: Nullable(InstantSchema),
  removed: Type.Record(Str, Count, { description: 'records deleted so far, per data class' }),
  held: Nullable(Type.Integer({ minimum: 0, description: 'records a legal hold kept, once the removal completed' })),
  work: Nullable(
    Type.Object({
      id: Type.String({ description: 'follow it with GET /api/v1/jobs/status?work= or GET /api/v1/governance/removals/{id}' }),
      state: StringEnum(['pending', 'running', 'failed', 'done'] as const),
      jobs: Nullable(
        Type.Object({ pending: Count, running: Count, failed: Count, done: Count }, { description: 'coordinator staff only' }),
      ),
    }),
  ),
});

export const RemovalRequestSchema = Type.Object({ removal: RemovalSchema, created: Type.Boolean() });

/** A tombstone, as an organisation's export answers it: what went, when and why; never what it held. */
export const TombstoneSchema = Type.Object({
  recordId: Str,
  dataClass: Str,
  module: Str,
  ownerOrgId: Nullable(Str),
  createdAt: Nullable(InstantSchema),
  expiredAt: Nullable(InstantSchema),
  purgedAt: InstantSchema,
  cause: Str,
  reason: Str,
  policyVersion: Nullable(Type.Integer()),
});

const DataClassSchema = StringEnum(DATA_CLASS_KEYS);

/** What the purge would do at an instant, and why, deleting nothing. */
export const RetentionPlanSchema = Type.Object({
  at: InstantSchema,
  policyVersion: Type.Integer(),
  classes: Type.Array(
    Type.Object({
      dataClass: DataClassSchema,
      rule: Str,
      kept: Type.Boolean(),
      purge: Type.Integer(),
      held: Type.Integer(),
      retained: Type.Integer(),
    }),
  ),
  records: Type.Array(
    Type.Object({
      recordId: Str,
      dataClass: DataClassSchema,
      module: Str,
      ownerOrgId: Nullable(Str),
      outcome: StringEnum(['purge', 'held'] as const),
      expiresAt: InstantSchema,
      reason: Str,
      holdIds: Type.Array(Str),
    }),
  ),
  truncated: Type.Boolean(),
});

/** What one purge run (retention or removal) deleted and found held. */
export const PurgeResultSchema = Type.Object({
  runId: Str,
  cause: StringEnum(['retention', 'removal'] as const),
  policyVersion: Type.Integer(),
  purged: Type.Integer(),
  held: Type.Integer(),
  blobsDeleted: Type.Integer(),
  byClass: Type.Record(Str, Type.Integer()),
});

/** Everything the clearinghouse holds about an organisation, and the tombstones of what was purged. */
export const OrgExportSchema = Type.Object({
  orgId: Str,
  orgName: Str,
  generatedAt: InstantSchema,
  classes: Type.Array(Type.Object({ dataClass: DataClassSchema, description: Str, module: Str, records: Type.Array(Open) })),
  tombstones: Type.Array(TombstoneSchema),
  truncated: Type.Boolean(),
});

const FigureSeriesSchema = Type.Object({
  key: Type.String({ description: 'the JSON key of the figure in each month, and its CSV column' }),
  title: Str,
  unit: StringEnum(FIGURE_UNITS, { description: 'a count of records, a share from 0 to 1, or a median number of days' }),
  note: Type.String({ description: 'what it measures and from which records' }),
});

const MonthMetricsSchema = Type.Object({
  month: Type.String({ description: 'YYYY-MM, UTC' }),
  figures: Type.Record(Str, Nullable(Type.Number()), {
    description: 'every series’ figure this month, by key; null when withheld or when no record stands behind it',
  }),
  suppressed: ReadonlyList(Str, { description: 'the keys of the figures withheld because too few records stand behind them' }),
});

/** The program's transparency figures by month, with the frontier program's metrics joined (public; aggregates only). */
export const TransparencyReportSchema = Type.Object({
  generatedAt: InstantSchema,
  metrics: Type.Object({
    series: ReadonlyList(FigureSeriesSchema),
    months: ReadonlyList(MonthMetricsSchema),
    minGroup: Type.Integer({ description: 'a figure drawn from fewer records than this is withheld' }),
  }),
  frontier: FrontierTransparencySchema,
  retention: Type.Object({ version: Type.Integer({ description: 'the retention table in force' }) }),
});

// The domain's types stay the source of truth; a schema that drifts from them, either way, fails to compile.
const SCHEMAS_AGREE_WITH_DOMAIN: [SchemaAgrees<Static<typeof TransparencyReportSchema>['metrics'], TransparencyMetrics>] = [true];
void SCHEMAS_AGREE_WITH_DOMAIN;
