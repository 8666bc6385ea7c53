/**
 * Intake's light entry point: its events and their payload types, the CSAF product tree reader, and the extension points other modules
 * contribute to, loading no database, no HTTP and no other module's routes, so that a consumer may import them
 * without loading intake.
 */
export * from './events.js';
export { CsafProductTree } from './domain/csaf-product-tree.js';
export type { ResolvedProduct } from './domain/finding.js';
export { SUBMISSION_GATES, type SubmissionGate } from './extension-points.js';
export { checkOsvRecord } from './domain/osv-parser.js';
