import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '#test-support/spawn.js';

// A module-resolution hook that writes every URL the process loads through `import` to LOADS_FILE.
const HOOKS = `
import { appendFileSync } from 'node:fs';
let file;
export function initialize(data) { file = data.file; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(file, result.url + '\\n');
  return result;
}`;
const REGISTER = `import { register } from 'node:module';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)}, { data: { file: process.env.LOADS_FILE } });`;

/** The heavy packages a command that needs neither the database nor the HTTP server must not load. */
const HEAVY = ['fastify', '@fastify', 'kysely', 'better-sqlite3', 'pg', 'ajv', 'openpgp', '@secvisogram', 'pino'];

const dir = mkdtempSync(path.join(tmpdir(), 'cli-loads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let runs = 0;

/** Runs `clearinghouse ...argv` from the sources in a child process; the npm packages it loaded. */
function packagesLoadedBy(...argv: string[]): { code: number | null; stdout: string; packages: Set<string> } {
  const file = path.join(dir, `loads-${++runs}.txt`);
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, path.join(ROOT, 'src/app/main.ts'), ...argv],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        LOADS_FILE: file,
        LOG_LEVEL: 'silent',
        DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}`,
        CLEARINGHOUSE_DATA_DIR: dir,
        // `match` keeps its advisory snapshot here, not in the user's cache.
        XDG_CACHE_HOME: dir,
      },
    },
  );
  const urls = readFileSync(file, 'utf8').split('\n');
  const packages = new Set(urls.map((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1]).filter((p) => p !== undefined));
  return { code: child.status, stdout: child.stdout, packages };
}

const heavyIn = (packages: Set<string>) => [...packages].filter((p) => HEAVY.some((h) => p === h || p.startsWith(`${h}/`)));

describe('the CLI loads only what a command needs', () => {
  const lines = [['--help'], ['--version'], ['help', 'submit'], ['triage', 'list', '--help'], ['cases', 'open', '--help'], ['nonsense']];
  it.each(lines.map((argv) => [argv.join(' '), argv] as const))(
    '`clearinghouse %s` loads neither the HTTP server nor the database',
    (_line, argv) => {
      const run = packagesLoadedBy(...argv);
      expect(run.packages.has('commander')).toBe(true);
      expect(heavyIn(run.packages)).toEqual([]);
    },
  );

  it('an offline command loads its own command file, not the server or the database', () => {
    const run = packagesLoadedBy('score', 'cvss', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ version: '3.1', base: { score: 9.8 } });
    expect(heavyIn(run.packages)).toEqual([]);
  });

  // dedup and match read schemas (Ajv) but never the database or the server: each has its own command unit and
  // reaches other modules only through their light entries (pure.ts).
  const SERVER_AND_DATABASE = ['fastify', '@fastify', 'kysely', 'better-sqlite3', 'pg', 'pino'];
  it.each([
    ['dedup', (file: string) => ['dedup', file, '--json']],
    ['match', (file: string) => ['match', '--sbom', path.join(dir, 'sbom.json'), '--osv', file, '--json']],
  ] as const)('`clearinghouse %s` (offline) loads neither the server nor the database', (_name, argv) => {
    const osv = path.join(dir, 'PYSEC-2026-1.json');
    writeFileSync(
      osv,
      JSON.stringify({
        schema_version: '1.6.0',
        id: 'PYSEC-2026-1',
        modified: '2026-01-01T00:00:00Z',
        affected: [
          {
            package: { ecosystem: 'PyPI', name: 'django' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.2.1' }] }],
          },
        ],
      }),
    );
    writeFileSync(
      path.join(dir, 'sbom.json'),
      JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: '1.5',
        components: [{ type: 'library', name: 'django', version: '3.2.0', purl: 'pkg:pypi/django@3.2.0' }],
      }),
    );
    const run = packagesLoadedBy(...argv(osv));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('PYSEC-2026-1');
    expect([...run.packages].filter((p) => SERVER_AND_DATABASE.some((h) => p === h || p.startsWith(`${h}/`)))).toEqual([]);
  });

  it('a command on the database loads the database (the recorder sees what is loaded)', () => {
    const run = packagesLoadedBy('migrate', '--json');
    expect(run.code).toBe(0);
    expect(heavyIn(run.packages)).toEqual(expect.arrayContaining(['kysely', 'better-sqlite3', 'fastify']));
  });
});
