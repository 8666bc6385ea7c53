/** Re-places queued clusters after a verdict changed their reporters' precision, or the policy changed (see rescore.ts). */
export const RESCORE_JOB = 'validation.rescore';
