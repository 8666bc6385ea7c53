import { sql } from 'kysely';
import { systemClock } from '../../../platform/clock.js';
import type { Migration } from '../../../platform/db/index.js';
import { enqueueJob } from '../../../platform/jobs/index.js';
import { REDERIVE_JOB } from '../service/rederive.js';

/**
 * Fingerprint version 2 (FINGERPRINTS.md): paths under CI checkout folders and bare absolute paths under a
 * file base are read relative to the repository, and the version is part of every hash. Stored findings are
 * re-derived by a background job in committed batches (`intake.fingerprints.rederive`), not here: a
 * migration runs in one transaction, and a large database would hold it for long. Queued only when there is
 * something to re-derive.
 */
export const fingerprintsV2: Migration = {
  name: '0003_fingerprints_v2',
  async up(db) {
    const { rows } = await sql<{ id: string }>`select id from intake_finding where fingerprint like 'fp1:%' limit 1`.execute(db);
    if (rows.length === 0) return;
    await enqueueJob(db, systemClock, {
      kind: REDERIVE_JOB,
      dedupKey: `${REDERIVE_JOB}:fp2`,
      maxAttempts: 100,
    });
  },
};
