import { parseArgs } from 'node:util';
import pg from 'pg';
import type { Dialect } from '../support/databases.js';
import { CRASH_AREAS } from './areas/index.js';
import { runCrashArea } from './harness.js';

/**
 * `npm run crash -- --area NAME --kills 50 --db sqlite|pg --seed N`: the long crash-injection run. Prints
 * one JSON line per area (kills, whether the pending work settled, each invariant); exit 1 when one fails.
 * `--area all` runs every area. PostgreSQL: CLEARINGHOUSE_TEST_PG (default postgres@127.0.0.1:5432), in a
 * database `crash_…` of its own, dropped at the end.
 */
const { values } = parseArgs({
  options: {
    area: { type: 'string', default: 'all' },
    kills: { type: 'string', default: '50' },
    db: { type: 'string', default: 'sqlite' },
    seed: { type: 'string', default: '1' },
  },
});
const names = values.area === 'all' ? Object.keys(CRASH_AREAS) : values.area.split(',');
for (const name of names) if (!(name in CRASH_AREAS)) usage(`unknown area ${name} (one of ${Object.keys(CRASH_AREAS).join(', ')}, all)`);
if (values.db !== 'sqlite' && values.db !== 'pg') usage('--db is sqlite or pg');
const kills = Number(values.kills);
const seed = Number(values.seed);
if (!Number.isInteger(kills) || kills < 0) usage('--kills is a whole number');
if (!Number.isInteger(seed)) usage('--seed is a whole number');

function usage(message: string): never {
  console.error(`crash: ${message}`);
  process.exit(2);
}

const dialect: Dialect = values.db === 'pg' ? 'postgres' : 'sqlite';
let pgBase: string | undefined;
let dropDatabase = async () => undefined as void;
if (dialect === 'postgres') {
  const admin = process.env.CLEARINGHOUSE_TEST_PG || 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `crash_${Date.now()}_${process.pid}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  pgBase = url.toString();
  dropDatabase = async () => {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  };
}

let failed = false;
try {
  for (const name of names) {
    const started = Date.now();
    const report = await runCrashArea(CRASH_AREAS[name]!(), {
      dialect,
      kills,
      seed,
      pgBase,
      onKill: (done) => process.stderr.write(`\r${name} [${values.db}]: ${done}/${kills} kills`),
    });
    process.stderr.write('\n');
    failed ||= !report.ok;
    console.log(JSON.stringify({ ...report, seconds: Math.round((Date.now() - started) / 1000) }));
  }
} finally {
  await dropDatabase();
}
process.exit(failed ? 1 : 0);
