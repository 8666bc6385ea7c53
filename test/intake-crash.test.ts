import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { cliActor, openRuntime } from '../src/app/runtime.js';
import { adminActorOf } from '../src/modules/identity/index.js';
import { submitDocument } from '../src/modules/intake/index.js';
import { nativeDocument, nativeFinding } from '../src/modules/intake/test-support/native.js';
import { loadConfig } from '../src/platform/config.js';
import { asActor } from '../src/platform/context.js';
import { testLogger } from '#test-support/run-logs.js';
import { clustersMiscounted } from './crash/areas/intake.js';
import { cli } from '#test-support/cli.js';
import { createTestDatabaseUrl, describeEachDatabase } from '#test-support/databases.js';
import { killed, spawnTs } from '#test-support/spawn.js';

/**
 * "Nothing lost": a `clearinghouse submit` of many files is killed (SIGKILL) while it works. Whatever it
 * had committed must be whole — every stored submission either processed with all its findings, or
 * waiting with its processing job — and after the jobs run, everything accepted is processed exactly once.
 */
describeEachDatabase('a submitting process killed mid-way', (dialect) => {
  it('leaves no half state, and the jobs finish what was accepted', async () => {
    const target = await createTestDatabaseUrl(dialect, { migrated: true });
    const env = { DATABASE_URL: target.url, CLEARINGHOUSE_DATA_DIR: target.dir, LOG_LEVEL: 'silent' };
    try {
      await cli(env, 'init');
      const files: string[] = [];
      for (let i = 0; i < 120; i++) {
        const file = path.join(target.dir, `scan-${i}.json`);
        const findings = Array.from({ length: 40 }, (_, j) =>
          nativeFinding({
            title: `bug ${i}-${j}`,
            location: { path: `src/m${(i * 7 + j) % 300}.py`, function: `f${j % 50}` },
            aliases: j % 10 === 0 ? [`CVE-2026-${10000 + ((i * 3 + j) % 400)}`] : [],
          }),
        );
        writeFileSync(file, nativeDocument(findings));
        files.push(file);
      }
      const runtime = await openRuntime(loadConfig(env), testLogger());
      try {
        const child = spawnTs('src/app/main.ts', ['submit', ...files], env);
        const count = async () =>
          Number(
            (
              await runtime.db.kysely
                .selectFrom('intake_submission')
                .select((eb) => eb.fn.countAll().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          );
        for (let i = 0; i < 6000 && (await count()) < 15; i++) await new Promise((r) => setTimeout(r, 20));
        await killed(child);

        const db = runtime.db.kysely;
        const stored = await db.selectFrom('intake_submission').selectAll().execute();
        expect(stored.length).toBeGreaterThanOrEqual(15);
        expect(stored.length).toBeLessThan(files.length);
        const jobs = await db.selectFrom('platform_job').selectAll().where('kind', '=', 'intake.submission.process').execute();
        for (const s of stored) {
          const findings = Number(
            (
              await db
                .selectFrom('intake_finding')
                .select((eb) => eb.fn.countAll().as('n'))
                .where('submission_id', '=', s.id)
                .executeTakeFirstOrThrow()
            ).n,
          );
          if (s.status === 'processed') expect(findings).toBe(s.finding_count);
          else {
            expect(findings).toBe(0);
            expect(jobs.find((j) => JSON.parse(j.payload as string).submissionId === s.id)?.status).toMatch(/queued|running/);
          }
        }

        await runtime.jobs.drain();
        const after = await db.selectFrom('intake_submission').select(['status']).execute();
        expect(after.every((s) => s.status === 'processed')).toBe(true);
        const totals = await db
          .selectFrom('intake_finding')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(totals.n)).toBe(stored.length * 40);
        const inconsistent = await clustersMiscounted(db);
        expect(inconsistent).toEqual([]);

        // Submitting everything again: what was stored answers as a repeat, the rest is new; nothing twice.
        const system = runtime.contextFor(cliActor);
        const ctx = asActor(system, await adminActorOf(system));
        let repeats = 0;
        for (const file of files)
          if ((await submitDocument(ctx, { bytes: (await import('node:fs')).readFileSync(file) })).repeated) repeats += 1;
        expect(repeats).toBe(stored.length);
        const final = await db
          .selectFrom('intake_finding')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow();
        expect(Number(final.n)).toBe(files.length * 40);
      } finally {
        await runtime.close();
      }
    } finally {
      await target.drop();
    }
  }, 180_000);
});
