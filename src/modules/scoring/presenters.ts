import type { Static } from '@sinclair/typebox';
import { policyDocument } from '../../platform/db/index.js';
import { type CvssScores, scoreCvss } from '../../platform/cvss/index.js';
import type { PrioritizationPolicy } from './domain/prioritization-policy.js';
import type { PriorityExplanation } from './domain/priority-decision.js';
import type { CisaLevel } from './domain/ssvc-decision-points.js';
import type { SupplierPriorityDecision } from './domain/supplier-priority.js';
import type {
  CvssScoreRow,
  DecisionDetailRow,
  DecisionHistoryRow,
  DecisionRow,
  EpssImportRow,
  FeedSourceRow,
  KevImportRow,
  PolicyRow,
} from './store/tables.js';
import type {
  CvssScoreRecordSchema,
  DecisionChangeSchema,
  DecisionSchema,
  EpssImportSchema,
  FeedSourceSchema,
  FeedStatusSchema,
  KevImportSchema,
  PolicyVersionSchema,
} from './route-schemas.js';
import type { OperatorPrioritiesSchema, OperatorPrioritySchema } from './priority-schemas.js';

/**
 * Output shapes of the API and CLI. Every field is listed, so nothing else leaks; where a shape is the
 * response schema's type (route-schemas.ts) it is declared there once. Stored JSON is read as the domain's
 * type that wrote it, so handing it over checks the domain against the schema.
 */

/** One revision of the prioritization policy: `revision` is the policy table's number, `version` the policy's own label. */
export type PolicyVersion = Static<typeof PolicyVersionSchema>;

export function presentPolicy(row: PolicyRow): PolicyVersion {
  return {
    revision: row.revision,
    version: row.version,
    policy: policyDocument<PrioritizationPolicy>(row),
    note: row.note,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

export type KevImport = Static<typeof KevImportSchema>;

export function presentKevImport(row: KevImportRow): KevImport {
  return {
    id: row.id,
    catalogVersion: row.catalog_version,
    dateReleased: row.date_released,
    previousCatalogVersion: row.previous_catalog_version,
    importedAt: row.imported_at,
    importedBy: row.imported_by,
    source: row.source,
    sha256: row.sha256,
    entries: row.entry_count,
    added: JSON.parse(row.added) as string[],
    removed: JSON.parse(row.removed) as string[],
    changed: JSON.parse(row.changed) as { cveId: string; fields: string[] }[],
  };
}

export type EpssImport = Static<typeof EpssImportSchema>;

export function presentEpssImport(row: EpssImportRow): EpssImport {
  return {
    id: row.id,
    importedAt: row.imported_at,
    importedBy: row.imported_by,
    source: row.source,
    sha256: row.sha256,
    format: row.format as EpssImport['format'],
    modelVersion: row.model_version,
    scoreDates: JSON.parse(row.score_dates) as string[],
    rows: row.row_count,
    stored: row.stored_count,
    latestChanged: row.latest_changed_count,
  };
}

export type FeedSource = Static<typeof FeedSourceSchema>;

export function presentFeedSource(row: FeedSourceRow): FeedSource {
  return {
    url: row.url,
    enabled: row.enabled === 1,
    everyHours: row.every_hours,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
    lastAttemptAt: row.last_attempt_at,
    lastSuccessAt: row.last_success_at,
    lastError: row.last_error,
  };
}

/** What the feeds hold: the KEV release and its size, the EPSS days, the last imports and the refresh sources. */
export type FeedStatus = Static<typeof FeedStatusSchema>;

export type CvssScoreRecord = Static<typeof CvssScoreRecordSchema>;

export function presentCvssScore(row: CvssScoreRow): CvssScoreRecord {
  return {
    vector: row.vector,
    version: row.version,
    base: row.base,
    overall: row.overall,
    severity: row.severity,
    scores: JSON.parse(row.scores) as CvssScores,
    scoredAt: row.scored_at,
  };
}

/** A subject's current priority, with everything it was decided from. */
export type Decision = Static<typeof DecisionSchema>;

/**
 * Assembles a decision from its rows. The stored explanation leaves out EPSS and CVSS, which move more
 * often than the rest and are kept in columns; they are put back here.
 */
export function presentDecision(row: DecisionRow, detail: Omit<DecisionDetailRow, 'subject_id'>, cvss: readonly CvssScoreRow[]): Decision {
  const explanation = JSON.parse(detail.explanation) as PriorityExplanation;
  const inputs = JSON.parse(detail.inputs) as { cveIds?: string[] };
  const primary = row.cvss_vector === null ? null : scoreCvss(row.cvss_vector);
  return {
    subjectId: row.subject_id,
    orgId: row.org_id,
    revision: row.revision,
    outcome: row.outcome as CisaLevel,
    outcomeSince: row.outcome_since,
    vendorFixDueAt: row.vendor_fix_due_at,
    policyVersion: row.policy_version,
    tieBreak: { epss: row.epss, exposureCount: row.exposure_count },
    explanation: {
      ...explanation,
      epss:
        row.epss === null || row.epss_cve_id === null || row.epss_date === null
          ? null
          : { cveId: row.epss_cve_id, epss: row.epss, percentile: row.epss_percentile ?? 0, date: row.epss_date },
      cvss:
        primary === null
          ? null
          : {
              version: primary.version,
              vector: primary.vector,
              base: primary.base.score,
              overall: primary.overall.score,
              severity: primary.overall.severity,
            },
    },
    supplier: JSON.parse(detail.supplier) as SupplierPriorityDecision,
    cveIds: inputs.cveIds ?? [],
    cvss: cvss.map(presentCvssScore),
    evaluatedAt: row.evaluated_at,
    createdAt: row.created_at,
  };
}

export type DecisionChange = Static<typeof DecisionChangeSchema>;

export function presentDecisionChange(row: DecisionHistoryRow): DecisionChange {
  return {
    revision: row.revision,
    at: row.at,
    reason: row.reason,
    outcome: row.outcome as CisaLevel,
    previousOutcome: row.previous_outcome as CisaLevel | null,
    changes: JSON.parse(row.changes) as Record<string, unknown>,
    explanation: row.explanation === null ? null : (JSON.parse(row.explanation) as PriorityExplanation),
  };
}

/** One asset × one advisory of an operator, with its deployer decision (service/operator-priorities.ts). */
export type OperatorPriority = Static<typeof OperatorPrioritySchema>;

/** An operator's ranked priorities, a page at a time; the totals count the whole filtered list. */
export type OperatorPriorities = Static<typeof OperatorPrioritiesSchema>;
