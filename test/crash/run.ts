import pg from 'pg';
import type { Dialect } from '#test-support/databases.js';
import { harnessArgs, harnessUsage } from '#test-support/harness-args.js';
import { CRASH_AREAS } from './areas/index.js';
import { runCrashAreas } from './harness.js';

/**
 * `npm run crash -- --area NAME --kills 50 --db sqlite|pg --seed N`: the long crash-injection run. Prints
 * one JSON line per area (kills, whether the pending work settled, each invariant, where the time went);
 * exit 1 when one fails. `--area all` (or a list, `intake,sbom`) runs every area, one after the other; with
 * `--together` the areas run at once on one server, each kill in the middle of every area's work (one
 * server start per kill for all of them: the start is most of a round's time). PostgreSQL: CLEARINGHOUSE_TEST_PG (default postgres@127.0.0.1:5432), in a
 * database `crash_…` of its own (prefix: CLEARINGHOUSE_CRASH_DB_PREFIX), dropped at the end.
 */
const USAGE = `usage: npm run crash -- [--area all|NAME[,NAME…]] [--kills N] [--db sqlite|pg] [--seed N] [--together]
areas: ${Object.keys(CRASH_AREAS).join(', ')}`;
const values = harnessArgs(USAGE, {
  area: { type: 'string', default: 'all' },
  kills: { type: 'string', default: '50' },
  db: { type: 'string', default: 'sqlite' },
  seed: { type: 'string', default: '1' },
  together: { type: 'boolean', default: false },
});
const names = values.area === 'all' ? Object.keys(CRASH_AREAS) : values.area.split(',');
for (const name of names) if (!(name in CRASH_AREAS)) usage(`unknown area ${name} (one of ${Object.keys(CRASH_AREAS).join(', ')}, all)`);
if (values.db !== 'sqlite' && values.db !== 'pg') usage('--db is sqlite or pg');
const kills = Number(values.kills);
const seed = Number(values.seed);
if (!Number.isInteger(kills) || kills < 0) usage('--kills is a whole number');
if (!Number.isInteger(seed)) usage('--seed is a whole number');

function usage(message: string): never {
  return harnessUsage(USAGE, `crash: ${message}`);
}

const dialect: Dialect = values.db === 'pg' ? 'postgres' : 'sqlite';
let pgBase: string | undefined;
let dropDatabase = async () => undefined as void;
if (dialect === 'postgres') {
  const admin = process.env.CLEARINGHOUSE_TEST_PG || 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `${process.env.CLEARINGHOUSE_CRASH_DB_PREFIX || 'crash'}_${Date.now()}_${process.pid}`;
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
  const groups = values.together ? [names] : names.map((name) => [name]);
  for (const group of groups) {
    const started = Date.now();
    const label = group.join('+');
    const reports = await runCrashAreas(
      group.map((name) => CRASH_AREAS[name]!()),
      {
        dialect,
        kills,
        seed,
        pgBase,
        onKill: (done) => process.stderr.write(`\r${label} [${values.db}]: ${done}/${kills} kills`),
      },
    );
    process.stderr.write('\n');
    for (const report of reports) {
      failed ||= !report.ok;
      const together = group.length > 1 ? { killedTogetherWith: group.filter((n) => n !== report.area) } : {};
      console.log(JSON.stringify({ ...report, ...together, totalSeconds: Math.round((Date.now() - started) / 1000) }));
    }
  }
} finally {
  await dropDatabase();
}
process.exit(failed ? 1 : 0);
