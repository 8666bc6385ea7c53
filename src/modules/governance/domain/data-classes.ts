/**
 * What the clearinghouse keeps, named once: every stored record belongs to one data class, and every
 * retention rule counts its duration from a named event in the life of the record (DESIGN §5, issue 18).
 */

export const DATA_CLASSES = {
  raw_submission: 'raw submitted documents, byte for byte as received, and their submission records',
  poc_evidence: 'proof-of-concept exploits and reproduction evidence attached to reports',
  finding: 'normalized findings read from submissions',
  cluster: 'deduplicated vulnerability clusters',
  case: 'coordinated-disclosure cases: participants, statements, timeline',
  advisory: 'advisories (CSAF documents and VEX)',
  sbom: 'SBOMs uploaded by operators, and the components read from them',
  model_review_material: 'frontier review material: uploaded files and evaluation logs',
  access_log: 'logs of access to review material and of reported grant uses',
  audit_event: 'the hash-chained audit log',
} as const;
export type DataClass = keyof typeof DATA_CLASSES;
export const DATA_CLASS_KEYS = Object.keys(DATA_CLASSES) as DataClass[];

/** The events a retention duration may be counted from. */
export const ANCHOR_EVENTS = {
  created: 'the record was received or created',
  superseded: 'a newer version replaced the record (an SBOM re-uploaded for the same asset)',
  invalidated: 'validation found the report invalid',
  cluster_closed: 'the cluster was closed in validation',
  case_published: 'the case covering the record was published',
  case_closed: 'the case covering the record was closed',
  published: 'the record itself was published',
  review_closed: 'the frontier review the record belongs to closed (ended, withdrawn or completed)',
} as const;
export type AnchorEvent = keyof typeof ANCHOR_EVENTS;
export const ANCHOR_EVENT_KEYS = Object.keys(ANCHOR_EVENTS) as AnchorEvent[];

/**
 * The events that can happen to records of each class. A rule counting from any other event would never
 * fire, so the retention table refuses it.
 */
export const CLASS_ANCHORS: Readonly<Record<DataClass, readonly AnchorEvent[]>> = Object.freeze({
  raw_submission: ['created', 'invalidated', 'case_published'],
  poc_evidence: ['created', 'invalidated', 'case_published', 'case_closed'],
  finding: ['created', 'invalidated', 'case_published', 'case_closed'],
  cluster: ['created', 'invalidated', 'cluster_closed', 'case_published', 'case_closed'],
  case: ['created', 'case_published', 'case_closed'],
  advisory: ['created', 'published'],
  sbom: ['created', 'superseded'],
  model_review_material: ['created', 'review_closed'],
  access_log: ['created', 'review_closed'],
  audit_event: ['created'],
});

export function isDataClass(value: unknown): value is DataClass {
  return typeof value === 'string' && Object.hasOwn(DATA_CLASSES, value);
}
