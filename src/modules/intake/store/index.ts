/**
 * Intake's store: every query the module makes, by what they read and write, and its row types. The query
 * builder itself (`t`) stays inside store/: a service that wants a query adds a named function here.
 */
export type {
  AnchorRow,
  CandidateRow,
  ClusterKeyRow,
  ClusterRow,
  FindingRow,
  IntakeTables,
  LshRow,
  RegroupRow,
  SubmissionRow,
  Visibility,
} from './tables.js';
export * from './submissions.js';
export * from './clusters.js';
export * from './findings.js';
export * from './outcomes.js';
export * from './candidates.js';
export * from './regroups.js';
export * from './near-duplicates.js';
export * from './anchors.js';
export * from './fingerprints.js';
export * from './summaries.js';
export * from './cluster-lists.js';
export * from './shared-clusters.js';
