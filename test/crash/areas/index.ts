import type { CrashArea } from '../harness.js';
import { intakeArea } from './intake.js';
import { matchingArea } from './matching.js';
import { notifyArea } from './notify.js';
import { purgeArea } from './purge.js';
import { sbomArea } from './sbom.js';

/** Every area the crash harness drives, by the name `npm run crash -- --area NAME` takes. */
export const CRASH_AREAS: Readonly<Record<string, () => CrashArea>> = {
  intake: intakeArea,
  sbom: sbomArea,
  matching: matchingArea,
  notify: notifyArea,
  purge: purgeArea,
};
