/**
 * Intake's light entry point: its events and their payload types, the CSAF product tree reader, and the extension points other modules
 * contribute to (declared here), loading no database, no HTTP and no other module's routes, so that a consumer may import them
 * without loading intake.
 */
import type { ServiceContext } from '../../platform/context.js';
import { defineExtensionPoint } from '../../platform/module-wiring.js';
export * from './events.js';
export { CsafProductTree } from './domain/csaf-product-tree.js';
export type { ResolvedProduct } from './domain/finding.js';
export { checkOsvRecord } from './domain/osv-parser.js';

/**
 * Runs before a submission over the API is read, e.g. a reporter's daily quota (the validation module);
 * throws RateLimitedError (429) to refuse. Other modules contribute gates in their wiring; none means none.
 */
export type SubmissionGate = (ctx: ServiceContext) => Promise<void>;

export const SUBMISSION_GATES = defineExtensionPoint<SubmissionGate>('intake.submission-gates');
