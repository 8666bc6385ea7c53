import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where Debian/Ubuntu install PostgreSQL 15's server programs (or CLEARINGHOUSE_PG_BIN). */
const PG_BIN = process.env.CLEARINGHOUSE_PG_BIN || '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL cluster of the test's own, in a temporary directory on a free port, so that a test may stop
 * and restart it (an outage) without touching the shared server others use. initdb refuses to run as root:
 * as root the cluster belongs to the `postgres` system user.
 */
export class PrivatePostgres {
  #stopped = true;

  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly asUser: string | null,
  ) {}

  /** Why no private cluster can be made here, or null when it can. */
  static unavailable(): string | null {
    if (!existsSync(path.join(PG_BIN, 'initdb'))) return `no initdb in ${PG_BIN} (set CLEARINGHOUSE_PG_BIN)`;
    if (userInfo().uid === 0 && !existsSync('/usr/sbin/runuser')) return 'running as root without runuser to become postgres';
    return null;
  }

  /** initdb (trust authentication, no fsync: the test's data is thrown away) and a first start. */
  static async create(): Promise<PrivatePostgres> {
    const dir = mkdtempSync(path.join(tmpdir(), 'chpg-'));
    const asUser = userInfo().uid === 0 ? 'postgres' : null;
    if (asUser !== null) chownSync(dir, ...(await idsOf(asUser)));
    const cluster = new PrivatePostgres(dir, await freePort(), asUser);
    await cluster.pg('initdb', ['-D', cluster.data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
    await cluster.start();
    return cluster;
  }

  get data(): string {
    return path.join(this.dir, 'data');
  }

  /** The `postgres` database's URL on this cluster. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** True from a stop until the next start. */
  get stopped(): boolean {
    return this.#stopped;
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
    await this.pg('pg_ctl', ['-D', this.data, '-o', options, '-l', path.join(this.dir, 'log'), '-w', '-t', '60', 'start']);
    this.#stopped = false;
  }

  /** `immediate`: the postmaster and every backend end at once, as in a crash (recovery runs at the next start). */
  async stop(mode: 'immediate' | 'fast' = 'immediate'): Promise<void> {
    this.#stopped = true;
    await this.pg('pg_ctl', ['-D', this.data, '-m', mode, '-w', '-t', '60', 'stop']);
  }

  /** Stops the cluster (if it runs) and removes its directory. */
  async destroy(): Promise<void> {
    await this.stop('immediate').catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async pg(program: string, args: string[]): Promise<void> {
    const file = path.join(PG_BIN, program);
    if (this.asUser === null) await run(file, args, { cwd: this.dir });
    else await run('/usr/sbin/runuser', ['-u', this.asUser, '--', file, ...args], { cwd: this.dir });
  }
}

async function idsOf(user: string): Promise<[number, number]> {
  const [uid, gid] = await Promise.all([run('id', ['-u', user]), run('id', ['-g', user])]);
  return [Number(uid.stdout.trim()), Number(gid.stdout.trim())];
}

/** A port nothing listens on now (the OS's choice of an ephemeral one). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}
