import type { FieldIssue } from '../../../platform/errors.js';
import { ANCHOR_EVENT_KEYS, ANCHOR_EVENTS, CLASS_ANCHORS, DATA_CLASS_KEYS, type AnchorEvent, type DataClass } from './data-classes.js';

/**
 * The retention table: for each data class, either "kept" (with the reason) or a list of clauses
 * "expires N days after EVENT". A record expires at the earliest instant any of its clauses gives; a clause
 * whose event has not happened to the record gives none. Versioned policy data, changed by a coordinator
 * admin and audited (DESIGN §5).
 */

export interface RetentionClause {
  readonly after: AnchorEvent;
  readonly days: number;
}

export type RetentionRule =
  | { readonly keep: true; readonly reason: string }
  | { readonly keep?: false; readonly expire: readonly RetentionClause[]; readonly note?: string };

export interface RetentionTable {
  readonly rules: Readonly<Record<DataClass, RetentionRule>>;
}

/** Longest duration a clause may name: 100 years is "kept", and should say so. */
export const MAX_RETENTION_DAYS = 36_500;

/**
 * The default table (version 1). Evidence goes 90 days after the case is published (the issue's example),
 * sooner when the report was invalid; audit events and advisories are kept — published advisories are the
 * public record and the audit log is what proves everything else.
 */
export const DEFAULT_RETENTION_TABLE: RetentionTable = Object.freeze({
  rules: Object.freeze<RetentionTable['rules']>({
    raw_submission: {
      expire: [
        { after: 'invalidated', days: 90 },
        { after: 'case_published', days: 365 },
        { after: 'created', days: 730 },
      ],
      note: 'the raw bytes back a report until its case is long published; invalid reports go sooner',
    },
    poc_evidence: {
      expire: [
        { after: 'invalidated', days: 30 },
        { after: 'case_published', days: 90 },
      ],
      note: 'working exploits are the most dangerous material held; kept only while a fix is not yet public',
    },
    finding: {
      expire: [
        { after: 'invalidated', days: 180 },
        { after: 'case_published', days: 730 },
      ],
    },
    cluster: {
      expire: [
        { after: 'invalidated', days: 365 },
        { after: 'case_closed', days: 1825 },
      ],
      note: 'clusters are the memory that answers duplicates, so they outlive the findings in them',
    },
    case: { expire: [{ after: 'case_closed', days: 1825 }] },
    advisory: { keep: true, reason: 'published advisories are the public record' },
    sbom: { expire: [{ after: 'superseded', days: 90 }], note: "an operator's current SBOM is kept while it is current" },
    model_review_material: {
      expire: [{ after: 'review_closed', days: 365 }],
      note: 'a voluntary testing agreement may shorten this for its reviews, never lengthen it',
    },
    access_log: { expire: [{ after: 'created', days: 1095 }] },
    audit_event: { keep: true, reason: 'the audit log proves every change, purges included' },
  }),
});

/** JSON Schema (draft-07) of a retention table document, for the API's request schema and its docs. */
export const RETENTION_TABLE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Retention table',
  type: 'object',
  required: ['rules'],
  additionalProperties: false,
  properties: {
    rules: {
      type: 'object',
      description: 'one rule per data class',
      required: [...DATA_CLASS_KEYS],
      additionalProperties: false,
      properties: Object.fromEntries(
        DATA_CLASS_KEYS.map((key) => [
          key,
          {
            type: 'object',
            oneOf: [
              {
                required: ['keep', 'reason'],
                additionalProperties: false,
                properties: { keep: { const: true }, reason: { type: 'string', minLength: 1, maxLength: 500 } },
              },
              {
                required: ['expire'],
                additionalProperties: false,
                properties: {
                  keep: { const: false },
                  expire: {
                    type: 'array',
                    minItems: 1,
                    maxItems: ANCHOR_EVENT_KEYS.length,
                    items: {
                      type: 'object',
                      required: ['after', 'days'],
                      additionalProperties: false,
                      properties: {
                        after: { enum: [...CLASS_ANCHORS[key]], description: 'the event the duration counts from' },
                        days: { type: 'integer', minimum: 0, maximum: MAX_RETENTION_DAYS },
                      },
                    },
                  },
                  note: { type: 'string', maxLength: 500 },
                },
              },
            ],
          },
        ]),
      ),
    },
  },
} as const;

/**
 * The rules a table schema cannot state: each clause counts from an event records of its class can have,
 * and names that event once. Returns the issues found (empty when the table holds).
 */
export function checkRetentionTable(table: RetentionTable): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const dataClass of DATA_CLASS_KEYS) {
    const rule = table.rules[dataClass];
    const at = `/rules/${dataClass}`;
    if (rule === undefined) {
      issues.push({ pointer: at, detail: 'is required: every data class needs a rule' });
      continue;
    }
    if (rule.keep === true) continue;
    if (rule.expire.length === 0) issues.push({ pointer: `${at}/expire`, detail: 'must name at least one clause, or keep the class' });
    const seen = new Set<AnchorEvent>();
    rule.expire.forEach((clause, i) => {
      if (!CLASS_ANCHORS[dataClass].includes(clause.after)) {
        issues.push({
          pointer: `${at}/expire/${i}/after`,
          detail: `must be one of ${CLASS_ANCHORS[dataClass].join(', ')}: records of this class never see "${clause.after}"`,
        });
      }
      if (seen.has(clause.after)) issues.push({ pointer: `${at}/expire/${i}/after`, detail: `names "${clause.after}" twice` });
      seen.add(clause.after);
      if (!Number.isInteger(clause.days) || clause.days < 0 || clause.days > MAX_RETENTION_DAYS) {
        issues.push({ pointer: `${at}/expire/${i}/days`, detail: `must be a whole number of days from 0 to ${MAX_RETENTION_DAYS}` });
      }
    });
  }
  for (const key of Object.keys(table.rules)) {
    if (!(DATA_CLASS_KEYS as readonly string[]).includes(key)) {
      issues.push({ pointer: `/rules/${key}`, detail: `is not a data class; classes are ${DATA_CLASS_KEYS.join(', ')}` });
    }
  }
  return issues;
}

/** One rule in words, for plans, tombstones and the public policy page. */
export function describeRule(dataClass: DataClass, rule: RetentionRule): string {
  if (rule.keep === true) return `${dataClass}: kept (${rule.reason})`;
  const clauses = rule.expire.map((c) => `${c.days} days after ${ANCHOR_EVENTS[c.after]}`);
  return `${dataClass}: deleted ${clauses.join(', or ')} — whichever comes first`;
}
