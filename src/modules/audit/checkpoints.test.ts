import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { cli } from '#test-support/cli.js';
import { createTestDatabaseUrl, describeEachDatabase, type TestDatabaseUrl } from '#test-support/databases.js';
import { openRuntime, type Runtime } from '../../app/runtime.js';
import { MINUTE, ManualClock } from '../../platform/clock.js';
import { loadConfig } from '../../platform/config.js';
import { testLogger } from '#test-support/run-logs.js';
import { hashAuditEvent } from './domain/chain.js';
import { latestCheckpoint } from './checkpoints.js';
import { eventsAfter, toEvent } from './store.js';

/**
 * The two attacks of issue 10 (finding 5) pass a hash chain alone: remove the newest events and move the
 * head back, or edit an event and re-hash everything after it. A checkpoint of the head, signed with a key
 * the database does not hold and published elsewhere, catches both.
 */
describeEachDatabase('signed audit checkpoints', (dialect) => {
  let target: TestDatabaseUrl;
  let env: Record<string, string>;
  let runtime: Runtime;

  beforeEach(async () => {
    target = await createTestDatabaseUrl(dialect, { migrated: true });
    env = { DATABASE_URL: target.url, CLEARINGHOUSE_DATA_DIR: target.dir };
    expect((await cli(env, 'init')).code).toBe(0);
    runtime = await openRuntime(loadConfig(env), testLogger());
  });
  afterEach(async () => {
    await runtime.close();
    await target.drop();
  });

  const db = () => runtime.db.kysely;

  async function createOrgs(...names: string[]) {
    for (const name of names) expect((await cli(env, 'org', 'create', '--name', name, '--kind', 'vendor')).code).toBe(0);
  }

  /** `clearinghouse audit checkpoint`, saved where a verifier would keep the published copy. */
  async function publishCheckpoint(): Promise<string> {
    const result = await cli(env, 'audit', 'checkpoint');
    expect(result.code).toBe(0);
    const file = path.join(target.dir, `published-${Date.now()}-${Math.random()}.json`);
    writeFileSync(file, result.stdout);
    return file;
  }

  /** The attacker has the database, not the key: stored checkpoints that would betray the edit go too. */
  async function dropStoredCheckpoints() {
    await sql`delete from audit_checkpoint`.execute(db());
  }

  async function rewriteFrom(seq: number, diff: string) {
    const rows = (await eventsAfter(db(), seq - 1, 1000)).map(toEvent);
    let prevHash = rows[0]!.prevHash;
    for (const event of rows) {
      const forged = { ...event, prevHash, diff: event.seq === seq ? diff : event.diff };
      const hash = hashAuditEvent(forged);
      await sql`update audit_event set diff = ${forged.diff}, prev_hash = ${prevHash}, hash = ${hash} where seq = ${event.seq}`.execute(
        db(),
      );
      prevHash = hash;
    }
    await sql`update audit_head set last_hash = ${prevHash} where id = 1`.execute(db());
  }

  it('prints a checkpoint signed by the key kept outside the database', async () => {
    await createOrgs('Openwire Foundation');
    const file = await publishCheckpoint();
    const checkpoint = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(checkpoint).toMatchObject({ format: 'clearinghouse-audit-checkpoint/1', seq: 3 });
    expect(readFileSync(path.join(target.dir, 'audit-checkpoint-key.pem'), 'utf8')).toContain('BEGIN PRIVATE KEY');
    const verified = await cli(env, 'audit', 'verify', '--checkpoint', file, '--key-id', String(checkpoint.keyId), '--json');
    expect(verified.code).toBe(0);
    expect(verified.json()).toMatchObject({ ok: true, count: 3, checkpoints: 2 });
    // Asking again without new events prints the same checkpoint; after one, a new one.
    expect(JSON.parse((await cli(env, 'audit', 'checkpoint')).stdout)).toEqual(checkpoint);
    await createOrgs('Gridworks Controls');
    expect(JSON.parse((await cli(env, 'audit', 'checkpoint')).stdout)).toMatchObject({ seq: 4, keyId: checkpoint.keyId });
  });

  it('detects the newest events removed and the head moved back, which the chain alone does not', async () => {
    await createOrgs('A Vendor', 'B Vendor', 'C Vendor');
    const published = await publishCheckpoint();
    const [third] = (await eventsAfter(db(), 2, 1)).map(toEvent);
    await sql`delete from audit_event where seq > 3`.execute(db());
    await sql`update audit_head set last_seq = 3, last_hash = ${third!.hash} where id = 1`.execute(db());

    // The checkpoint stored in the database still betrays it…
    const stored = await cli(env, 'audit', 'verify');
    expect(stored.code).toBe(1);
    expect(stored.stdout).toContain('BROKEN at sequence 4');
    // …and once those are gone too, the chain alone looks intact; the published checkpoint does not.
    await dropStoredCheckpoints();
    expect((await cli(env, 'audit', 'verify')).code).toBe(0);
    const checked = await cli(env, 'audit', 'verify', '--checkpoint', published);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain('BROKEN at sequence 4');
    expect(checked.stdout).toContain('the newest events were removed');
  });

  it('detects an edit hidden by re-hashing every event after it, behind a published checkpoint', async () => {
    await createOrgs('A Vendor', 'B Vendor');
    const published = await publishCheckpoint();
    await createOrgs('C Vendor', 'D Vendor');
    await rewriteFrom(3, '{"kind":"vendor","name":"Evil Corp","sectors":[]}');
    await dropStoredCheckpoints();

    expect((await cli(env, 'audit', 'verify')).code).toBe(0);
    const checked = await cli(env, 'audit', 'verify', '--checkpoint', published, '--json');
    expect(checked.code).toBe(1);
    expect(checked.json()).toMatchObject({ ok: false, broken: { seq: 4, reason: expect.stringContaining('rewritten at or before it') } });
  });

  it('refuses a checkpoint file that is not genuine with exit code 2, naming what is wrong', async () => {
    await createOrgs('A Vendor');
    const published = await publishCheckpoint();
    const genuine = JSON.parse(readFileSync(published, 'utf8')) as Record<string, unknown>;
    const forged = path.join(target.dir, 'forged.json');
    writeFileSync(forged, JSON.stringify({ ...genuine, seq: 2 }));
    const refused = await cli(env, 'audit', 'verify', '--checkpoint', forged);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not signed by the key it names');
    writeFileSync(forged, JSON.stringify({ ...genuine, hash: 'abc' }));
    const malformed = await cli(env, 'audit', 'verify', '--checkpoint', forged);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('/hash');
    const otherKey = await cli(env, 'audit', 'verify', '--checkpoint', published, '--key-id', '0'.repeat(64));
    expect(otherKey.code).toBe(2);
    expect(otherKey.stderr).toContain('/keyId');
  });

  it('signs a checkpoint on schedule when the head moved, and only then', async () => {
    const clock = new ManualClock('2026-06-02T12:00:00.000Z');
    const scheduled = await openRuntime(loadConfig(env), testLogger(), { clock });
    try {
      await scheduled.jobs.drain();
      const first = await latestCheckpoint(scheduled.db);
      expect(first).toMatchObject({ seq: 2, at: '2026-06-02T12:00:00.000Z' });
      clock.advance(15 * MINUTE);
      await scheduled.jobs.drain();
      expect(await latestCheckpoint(scheduled.db)).toEqual(first);
      await createOrgs('A Vendor');
      clock.advance(15 * MINUTE);
      await scheduled.jobs.drain();
      expect(await latestCheckpoint(scheduled.db)).toMatchObject({ seq: 3, at: '2026-06-02T12:30:00.000Z', keyId: first?.keyId });
    } finally {
      await scheduled.close();
    }
  });
});
