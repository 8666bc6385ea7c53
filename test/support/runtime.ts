import type pino from 'pino';
import { afterEach, beforeEach } from 'vitest';
import { cliActor, openRuntime, type Runtime } from '../../src/app/runtime.js';
import { bootstrap, createOrg, createUser, type OrgKind, type Sector } from '../../src/modules/identity/index.js';
import type { UserActor } from '../../src/platform/actor.js';
import { ManualClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import type { ServiceContext } from '../../src/platform/context.js';
import { testLogger } from './run-logs.js';
import { createTestDatabaseUrl, type Dialect, type TestDatabaseUrl } from './databases.js';

export interface TestRuntime {
  readonly runtime: Runtime;
  readonly clock: ManualClock;
  readonly database: TestDatabaseUrl;
  /** The local operator: sees and may do everything. */
  readonly system: ServiceContext;
  /** The coordinator's bootstrap admin. */
  readonly coordinatorAdmin: TestUser;
  as(user: TestUser | UserActor): ServiceContext;
  /** A new organisation with one user of the given role (admin by default), through the real services. */
  org(kind: OrgKind, options?: { role?: 'admin' | 'analyst' | 'viewer'; sectors?: Sector[]; name?: string }): Promise<TestUser>;
  /** Another user in an existing organisation. */
  user(orgId: string, role: 'admin' | 'analyst' | 'viewer'): Promise<TestUser>;
}

export interface TestUser {
  readonly actor: UserActor;
  readonly token: string;
  readonly orgId: string;
  readonly userId: string;
}

/**
 * Tests read the events and jobs of changes they made days ago by their manual clock (`eventsAbout`, a work's
 * state): the scheduled housekeeping sweep would have deleted them. Its own tests set these times.
 */
const KEEP_HOUSEKEEPING = {
  CLEARINGHOUSE_EVENTS_KEEP_MINUTES: '5256000',
  CLEARINGHOUSE_DONE_JOBS_KEEP_MINUTES: '5256000',
  CLEARINGHOUSE_FAILED_JOBS_KEEP_DAYS: '3650',
};

let counter = 0;
const unique = (label: string) => `${label} ${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;

/**
 * A migrated runtime on a fresh database of the given dialect, with a manual clock and factories.
 * `pgBase`: see {@link createTestDatabaseUrl}.
 */
export async function createTestRuntime(
  dialect: Dialect,
  env: Record<string, string> = {},
  options: { readonly logger?: pino.Logger; readonly pgBase?: string } = {},
): Promise<TestRuntime> {
  const database = await createTestDatabaseUrl(dialect, { pgBase: options.pgBase, migrated: true });
  const clock = new ManualClock('2026-06-02T12:00:00.000Z');
  const config = loadConfig({
    CLEARINGHOUSE_DATA_DIR: database.dir,
    DATABASE_URL: database.url,
    LOG_LEVEL: 'silent',
    ...KEEP_HOUSEKEEPING,
    ...env,
  });
  const runtime = await openRuntime(config, options.logger ?? testLogger(), { clock });
  const system = runtime.contextFor(cliActor);
  const boot = await bootstrap(system, { adminToken: null });
  const toUser = (actor: UserActor, token: string): TestUser => ({ actor, token, orgId: actor.orgId, userId: actor.userId });
  const coordinatorAdmin = toUser(
    { kind: 'user', userId: boot.admin.id, orgId: boot.org.id, orgKind: 'coordinator', role: 'admin', tokenId: null },
    boot.token ?? '',
  );

  const user = async (orgId: string, role: 'admin' | 'analyst' | 'viewer', orgKind?: string): Promise<TestUser> => {
    const created = await createUser(system, orgId, {
      email: `${unique('u').replace(/\W+/g, '.')}@test.example`,
      name: unique('user'),
      role,
    });
    const kind =
      orgKind ??
      ((await runtime.db.kysely.selectFrom('identity_org').select('kind').where('id', '=', orgId).executeTakeFirstOrThrow())
        .kind as string);
    return toUser({ kind: 'user', userId: created.user.id, orgId, orgKind: kind, role, tokenId: created.token.id }, created.token.token);
  };

  return {
    runtime,
    clock,
    database,
    system,
    coordinatorAdmin,
    as: (who) => runtime.contextFor('actor' in who ? who.actor : who),
    org: async (kind, options = {}) => {
      const org = await createOrg(system, { name: options.name ?? unique(kind), kind, sectors: options.sectors ?? [] });
      return user(org.id, options.role ?? 'admin', kind);
    },
    user: (orgId, role) => user(orgId, role),
  };
}

/** beforeEach/afterEach wiring: a fresh runtime per test, closed and dropped afterwards. */
export function useTestRuntime(dialect: Dialect, env: Record<string, string> = {}): () => TestRuntime {
  let current: TestRuntime | undefined;
  beforeEach(async () => {
    current = await createTestRuntime(dialect, env);
  });
  afterEach(async () => {
    if (current) {
      await current.runtime.close();
      await current.database.drop();
      current = undefined;
    }
  });
  return () => {
    if (!current) throw new Error('the test runtime exists only inside a test');
    return current;
  };
}

/**
 * Another runtime on the test runtime's database and clock, standing for a second server process (its own
 * caches, pool and in-process queues); closed after the test.
 */
export function useAnotherProcess(get: () => TestRuntime): () => Promise<Runtime> {
  const others: Runtime[] = [];
  afterEach(async () => {
    for (const r of others.splice(0)) await r.close();
  });
  return async () => {
    const { database, clock } = get();
    const runtime = await openRuntime(
      loadConfig({ DATABASE_URL: database.url, CLEARINGHOUSE_DATA_DIR: database.dir, LOG_LEVEL: 'silent', ...KEEP_HOUSEKEEPING }),
      testLogger(),
      { clock },
    );
    others.push(runtime);
    return runtime;
  };
}
