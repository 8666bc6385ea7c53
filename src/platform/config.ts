import path from 'node:path';
import { ConfigError } from './errors.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type DatabaseConfig =
  { readonly dialect: 'sqlite'; readonly file: string } | { readonly dialect: 'postgres'; readonly url: string; readonly poolSize: number };

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly database: DatabaseConfig;
  readonly blobs: 'fs' | 'db';
  readonly adminToken: string | null;
  readonly logLevel: LogLevel;
  readonly bodyLimitBytes: number;
  /** Requests per minute per API token (or per address when anonymous). */
  readonly rateLimitPerMinute: number;
  /** Failed authentications per client address per window before its credentials are refused for the rest of it. */
  readonly authFailureLimit: number;
  readonly authFailureWindowSeconds: number;
  /**
   * Background jobs due or running (across every server on the database) past which requests that queue more
   * background work are refused with 503 and Retry-After before anything is accepted; 0 turns the check off.
   */
  readonly backlogLimit: number;
  /** How old the backlog figure that check reads may be, in milliseconds. */
  readonly backlogCheckMs: number;
  /** Background jobs a server process runs at once (the job runner's lanes). */
  readonly jobLanes: number;
  /** Jobs each lane claims at once. */
  readonly jobBatch: number;
  /** The most jobs of a kind that takes several at once a lane runs together (the claim tops its group up to it). */
  readonly jobGroup: number;
  /** Proxies (addresses or CIDRs) whose X-Forwarded-For names the client; false: the connection's address. */
  readonly trustProxy: false | readonly string[];
  /** The Ed25519 key audit checkpoints are signed with (PKCS#8 PEM), created on first start when absent. */
  readonly auditKeyFile: string;
  /** How old an unreferenced blob or a leftover temporary file must be before the sweeper removes it. */
  readonly blobSweepGraceHours: number;
  /**
   * The housekeeping sweep (platform/housekeeping.ts): how long done jobs are kept after they finished (a work's
   * status is read from its jobs; scheduled runs' jobs stay a day at least whatever this says), failed jobs
   * (kept longer, for an operator to read why), and events no unfinished job names; and how often it runs.
   */
  readonly doneJobsKeepMinutes: number;
  readonly failedJobsKeepDays: number;
  readonly eventsKeepMinutes: number;
  readonly housekeepingEveryMinutes: number;
  /**
   * Where parties outside reach this server (`https://clearinghouse.example.gov`, no trailing slash): the
   * base of links the server writes into what it sends out (webhooks' remediation links).
   */
  readonly publicUrl: string;
  /**
   * Whether `serve` loads the CSAF validator (seconds of CPU, in its own thread) as soon as it listens, so that
   * the first advisory draft does not wait for it; false: on the first draft that needs it.
   */
  readonly warmCsafValidator: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

function read(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`, name);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`, name);
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  throw new ConfigError(`${name} must be 1, 0, true or false, got "${raw}"`, name);
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

/** Parses `10485760`, `512k`, `10MiB`, `1g`. */
export function parseByteSize(raw: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(raw.trim());
  if (!match) return undefined;
  const unit = SIZE_UNITS[(match[2] ?? '').toLowerCase()];
  if (unit === undefined) return undefined;
  return Math.floor(Number(match[1]) * unit);
}

function byteSize(env: Env, name: string, fallback: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const value = parseByteSize(raw);
  if (value === undefined || value < 1024) {
    throw new ConfigError(`${name} must be a size of at least 1 KiB such as 10MiB or 512k, got "${raw}"`, name);
  }
  return value;
}

const PROXY_ENTRY = /^[0-9A-Fa-f:.]+(\/\d{1,3})?$/;

function trustProxy(env: Env): false | readonly string[] {
  const raw = read(env, 'CLEARINGHOUSE_TRUST_PROXY');
  if (raw === undefined) return false;
  const entries = raw.split(',').map((e) => e.trim());
  const bad = entries.find((e) => !PROXY_ENTRY.test(e));
  if (bad !== undefined) {
    throw new ConfigError(
      `CLEARINGHOUSE_TRUST_PROXY must list proxy addresses or CIDRs separated by commas, such as 10.0.0.0/8,127.0.0.1; got "${bad}"`,
      'CLEARINGHOUSE_TRUST_PROXY',
    );
  }
  return Object.freeze(entries);
}

function databaseConfig(env: Env, dataDir: string): DatabaseConfig {
  const url = read(env, 'DATABASE_URL');
  if (url === undefined) return { dialect: 'sqlite', file: path.join(dataDir, 'clearinghouse.sqlite') };
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (file === '') throw new ConfigError('DATABASE_URL sqlite: needs a file path, e.g. sqlite:./data/ch.sqlite', 'DATABASE_URL');
    return { dialect: 'sqlite', file };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      new URL(url);
    } catch {
      throw new ConfigError('DATABASE_URL is not a valid postgres:// URL', 'DATABASE_URL');
    }
    return { dialect: 'postgres', url, poolSize: integer(env, 'CLEARINGHOUSE_DB_POOL_SIZE', 10, 1, 200) };
  }
  throw new ConfigError('DATABASE_URL must start with postgres://, postgresql:// or sqlite:', 'DATABASE_URL');
}

/**
 * Reads the configuration from the environment. Throws {@link ConfigError} naming the first bad variable.
 * Defaults: PORT 8080, HOST 127.0.0.1, data dir ./data, SQLite in the data dir, file blobs, LOG_LEVEL info,
 * 10 MiB bodies, 600 requests per minute per token, 20 failed authentications per address per 15 minutes,
 * unreferenced blobs swept after 24 hours; every 10 minutes, done jobs deleted a day after they finished, failed
 * jobs after 30 days, and events no unfinished job names after an hour.
 */
export function loadConfig(env: Env = process.env): Config {
  const dataDir = path.resolve(read(env, 'CLEARINGHOUSE_DATA_DIR') ?? './data');
  const database = databaseConfig(env, dataDir);

  const blobs = read(env, 'CLEARINGHOUSE_BLOBS') ?? 'fs';
  if (blobs !== 'fs' && blobs !== 'db')
    throw new ConfigError(`CLEARINGHOUSE_BLOBS must be "fs" or "db", got "${blobs}"`, 'CLEARINGHOUSE_BLOBS');
  if (blobs === 'db' && database.dialect !== 'postgres') {
    throw new ConfigError('CLEARINGHOUSE_BLOBS=db needs DATABASE_URL to be a postgres:// URL', 'CLEARINGHOUSE_BLOBS');
  }

  const adminToken = read(env, 'CLEARINGHOUSE_ADMIN_TOKEN') ?? null;
  if (adminToken !== null && !/^[A-Za-z0-9_-]{32,256}$/.test(adminToken)) {
    throw new ConfigError(
      'CLEARINGHOUSE_ADMIN_TOKEN must be 32 to 256 characters of A-Z, a-z, 0-9, "_" or "-"',
      'CLEARINGHOUSE_ADMIN_TOKEN',
    );
  }

  const logLevel = (read(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`, 'LOG_LEVEL');
  }

  const host = read(env, 'HOST') ?? '127.0.0.1';
  if (/\s/.test(host)) throw new ConfigError(`HOST must be a host name or address, got "${host}"`, 'HOST');

  const port = integer(env, 'PORT', 8080, 0, 65535);
  const publicUrl = read(env, 'CLEARINGHOUSE_PUBLIC_URL') ?? `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`;
  let parsedPublicUrl: URL | undefined;
  try {
    parsedPublicUrl = new URL(publicUrl);
  } catch {
    parsedPublicUrl = undefined;
  }
  if (
    parsedPublicUrl === undefined ||
    !['http:', 'https:'].includes(parsedPublicUrl.protocol) ||
    parsedPublicUrl.search !== '' ||
    parsedPublicUrl.hash !== ''
  ) {
    throw new ConfigError(
      `CLEARINGHOUSE_PUBLIC_URL must be an http(s) URL without query or fragment, got "${publicUrl}"`,
      'CLEARINGHOUSE_PUBLIC_URL',
    );
  }

  return Object.freeze({
    port,
    host,
    dataDir,
    database: Object.freeze(database),
    blobs,
    adminToken,
    logLevel: logLevel as LogLevel,
    bodyLimitBytes: byteSize(env, 'CLEARINGHOUSE_BODY_LIMIT', 10 * 1024 * 1024),
    rateLimitPerMinute: integer(env, 'CLEARINGHOUSE_RATE_LIMIT', 600, 1, 10_000_000),
    authFailureLimit: integer(env, 'CLEARINGHOUSE_AUTH_FAILURE_LIMIT', 20, 1, 1_000_000),
    backlogLimit: integer(env, 'CLEARINGHOUSE_BACKLOG_LIMIT', 20_000, 0, 100_000_000),
    backlogCheckMs: integer(env, 'CLEARINGHOUSE_BACKLOG_CHECK_MS', 1000, 0, 60_000),
    jobLanes: integer(env, 'CLEARINGHOUSE_JOB_LANES', 4, 1, 64),
    jobBatch: integer(env, 'CLEARINGHOUSE_JOB_BATCH', 4, 1, 1000),
    jobGroup: integer(env, 'CLEARINGHOUSE_JOB_GROUP', 8, 1, 1000),
    authFailureWindowSeconds: integer(env, 'CLEARINGHOUSE_AUTH_FAILURE_WINDOW', 900, 1, 86_400),
    trustProxy: trustProxy(env),
    blobSweepGraceHours: integer(env, 'CLEARINGHOUSE_BLOB_SWEEP_GRACE_HOURS', 24, 1, 8760),
    doneJobsKeepMinutes: integer(env, 'CLEARINGHOUSE_DONE_JOBS_KEEP_MINUTES', 1440, 1, 5_256_000),
    failedJobsKeepDays: integer(env, 'CLEARINGHOUSE_FAILED_JOBS_KEEP_DAYS', 30, 1, 3650),
    eventsKeepMinutes: integer(env, 'CLEARINGHOUSE_EVENTS_KEEP_MINUTES', 60, 1, 5_256_000),
    housekeepingEveryMinutes: integer(env, 'CLEARINGHOUSE_HOUSEKEEPING_EVERY_MINUTES', 10, 1, 1440),
    auditKeyFile: path.resolve(read(env, 'CLEARINGHOUSE_AUDIT_KEY_FILE') ?? path.join(dataDir, 'audit-checkpoint-key.pem')),
    publicUrl: parsedPublicUrl.href.replace(/\/$/, ''),
    warmCsafValidator: flag(env, 'CLEARINGHOUSE_CSAF_WARM', true),
  });
}
