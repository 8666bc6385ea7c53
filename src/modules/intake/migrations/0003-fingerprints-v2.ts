import { sql } from 'kysely';
import type { Migration } from '../../../platform/db/index.js';
import { newId } from '../../../platform/ids.js';

/**
 * The job kind as it was named when this migration was written. Frozen here, not imported from the service:
 * a migration must do the same thing forever, whatever later versions of the code are called or need, and
 * loading it must not load the service (`intake-migrations.test.ts` holds the copy equal to today's name).
 */
const REDERIVE_JOB = 'intake.fingerprints.rederive';

/**
 * Fingerprint version 2 (FINGERPRINTS.md): paths under CI checkout folders and bare absolute paths under a
 * file base are read relative to the repository, and the version is part of every hash. Stored findings are
 * re-derived by a background job in committed batches (`intake.fingerprints.rederive`), not here: a
 * migration runs in one transaction, and a large database would hold it for long. Queued only when there is
 * something to re-derive, once (its dedup key).
 *
 * The job row is written with plain SQL naming the columns `platform_job` had when this was written (later
 * platform migrations add only nullable columns), rather than through the jobs kit, for the same reason.
 */
export const fingerprintsV2: Migration = {
  name: '0003_fingerprints_v2',
  async up(db) {
    const { rows } = await sql<{ id: string }>`select id from intake_finding where fingerprint like 'fp1:%' limit 1`.execute(db);
    if (rows.length === 0) return;
    const now = new Date().toISOString();
    await sql`insert into platform_job (id, kind, payload, status, dedup_key, run_at, attempts, max_attempts, created_at, updated_at)
      values (${newId('job')}, ${REDERIVE_JOB}, ${'null'}, ${'queued'}, ${`${REDERIVE_JOB}:fp2`}, ${now}, ${0}, ${100}, ${now}, ${now})
      on conflict (dedup_key) do nothing`.execute(db);
  },
};
