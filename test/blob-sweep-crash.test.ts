import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { nativeDocument, nativeFinding } from '../src/modules/intake/test-support/native.js';
import type { SweepReport } from '../src/platform/blobs/index.js';
import { loadConfig } from '../src/platform/config.js';
import { openDatabase } from '../src/platform/db/index.js';
import { cli } from '#test-support/cli.js';
import { filesBelow } from '#test-support/files.js';
import { createTestDatabaseUrl, describeEachDatabase } from '#test-support/databases.js';
import { killed, spawnTs, waitForLine } from '#test-support/spawn.js';

/**
 * Issue 10, recovery: an upload killed (SIGKILL) in the middle leaves a temporary file and bytes whose
 * record never committed. A day later `clearinghouse blobs sweep` removes both, keeps every blob a record
 * refers to, and audits what it did.
 */
describeEachDatabase('an upload killed in the middle, swept a day later', (dialect) => {
  it('leaves no temporary file and no unreferenced blob, and keeps the referenced ones', async () => {
    const target = await createTestDatabaseUrl(dialect, { migrated: true });
    const env = { DATABASE_URL: target.url, CLEARINGHOUSE_DATA_DIR: target.dir, LOG_LEVEL: 'silent' };
    const root = path.join(target.dir, 'blobs');
    try {
      expect((await cli(env, 'init')).code).toBe(0);
      const file = path.join(target.dir, 'scan.json');
      writeFileSync(file, nativeDocument([nativeFinding({ title: 'kept: a record refers to it' })]));
      expect((await cli(env, 'submit', file)).code).toBe(0);
      const [kept] = filesBelow(root);

      const upload = spawnTs('test/fixtures/upload-and-die.ts', [], env);
      const orphan = (await waitForLine(upload, /stored ([0-9a-f]{64})/))[1] as string;
      const dir = (await waitForLine(upload, /writing (\S+)/))[1] as string;
      let temporary: string[] = [];
      for (let i = 0; i < 5000 && temporary.length === 0; i++) {
        temporary = existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.tmp')) : [];
        if (temporary.length === 0) await new Promise((r) => setTimeout(r, 1));
      }
      await killed(upload);
      expect(temporary).toHaveLength(1);
      expect(readdirSync(dir).filter((n) => !n.endsWith('.tmp'))).toEqual([]);

      // A day passes.
      const dayAgo = new Date(Date.now() - 25 * 3600_000);
      for (const f of filesBelow(root)) utimesSync(f, dayAgo, dayAgo);

      const dry = await cli(env, 'blobs', 'sweep', '--dry-run', '--json');
      expect(dry.code).toBe(0);
      expect(dry.json<SweepReport>()).toMatchObject({ dryRun: true, temporaryFiles: { removed: 1 }, blobs: { removed: 1, referenced: 1 } });
      expect(filesBelow(root)).toHaveLength(3);

      const swept = await cli(env, 'blobs', 'sweep', '--json');
      expect(swept.json<SweepReport>()).toMatchObject({ temporaryFiles: { removed: 1 }, blobs: { removed: 1, referenced: 1 } });
      expect(filesBelow(root)).toEqual([kept]);
      expect(path.basename(kept!)).not.toBe(orphan);

      const human = await cli(env, 'blobs', 'sweep');
      expect(human.stdout).toMatch(/removed 0 temporary files .* and 0 unreferenced blobs/);
      const db = openDatabase(loadConfig(env).database);
      try {
        const audited = await db.kysely.selectFrom('audit_event').select('diff').where('action', '=', 'platform.blobs.sweep').execute();
        expect(audited.map((a) => JSON.parse(a.diff as string).blobs.removed)).toEqual([1]);
      } finally {
        await db.close();
      }
      expect((await cli(env, 'audit', 'verify')).code).toBe(0);
    } finally {
      await target.drop();
    }
  });
});
