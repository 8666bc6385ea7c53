import type { ServiceContext } from '../../platform/context.js';
import { defineExtensionPoint } from '../../platform/module-wiring.js';

/**
 * Runs before a submission over the API is read, e.g. a reporter's daily quota (the validation module);
 * throws RateLimitedError (429) to refuse. Other modules contribute gates in their wiring; none means none.
 */
export type SubmissionGate = (ctx: ServiceContext) => Promise<void>;

export const SUBMISSION_GATES = defineExtensionPoint<SubmissionGate>('intake.submission-gates');
