import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { report } from './report.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin/clearinghouse.js');

// Preloaded into every measured process: on exit it writes the process's own CPU time (user + system) to BENCH_CPU_FILE.
const CPU_AT_EXIT = `data:text/javascript,${encodeURIComponent(
  "import { writeFileSync } from 'node:fs'; process.on('exit', () => { const u = process.cpuUsage(); writeFileSync(process.env.BENCH_CPU_FILE, String((u.user + u.system) / 1000)); });",
)}`;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

interface Case {
  readonly name: string;
  readonly what: string;
  readonly args: readonly string[];
}

/** Runs `node [args]` `runs` times (after one unmeasured run); median wall-clock and CPU milliseconds. */
function measure(c: Case, runs: number, env: Record<string, string>, dir: string): void {
  const cpuFile = path.join(dir, 'cpu');
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const start = performance.now();
    const child = spawnSync(process.execPath, ['--import', CPU_AT_EXIT, ...c.args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ...env, BENCH_CPU_FILE: cpuFile },
    });
    const wall = performance.now() - start;
    if (child.status !== 0) throw new Error(`${c.what} exited ${child.status}: ${child.stderr}`);
    if (i === 0) continue;
    walls.push(wall);
    cpus.push(Number(readFileSync(cpuFile, 'utf8')));
  }
  report(`cli.${c.name}_ms`, median(walls), {
    what: c.what,
    cpu_ms: Math.round(median(cpus)),
    min_ms: Math.round(Math.min(...walls)),
    runs,
  });
}

/**
 * Start-up of the `clearinghouse` CLI as installed (bin/clearinghouse.js on the compiled dist/, rebuilt
 * first): wall-clock and CPU time of whole processes, beside `node -e 0` and beside `--help` run the way the
 * CLI ran before it loaded commands on demand (every module imported first). Issue 11 asks for offline
 * commands under 300 ms of CPU.
 */
export function benchCli(options: { runs: number }): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  console.error('compiling dist/ (npm run build) ...');
  execFileSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  execFileSync(process.execPath, [path.join(ROOT, 'dist/app/write-validators.js')], { stdio: 'inherit' });

  const dir = mkdtempSync(path.join(tmpdir(), 'bench-cli-'));
  const env = { LOG_LEVEL: 'silent', CLEARINGHOUSE_DATA_DIR: dir, DATABASE_URL: `sqlite:${path.join(dir, 'ch.sqlite')}` };
  try {
    execFileSync(process.execPath, [BIN, 'init', '--json'], { cwd: dir, env: { ...process.env, ...env }, stdio: 'ignore' });
    // One OSV record and a one-component CycloneDX SBOM it matches, for the offline `dedup` and `match`.
    const osv = path.join(dir, 'PYSEC-2026-1.json');
    writeFileSync(
      osv,
      JSON.stringify({
        id: 'PYSEC-2026-1',
        modified: '2026-01-01T00:00:00Z',
        aliases: ['CVE-2026-0001'],
        affected: [
          {
            package: { ecosystem: 'PyPI', name: 'jinja2' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.1.3' }] }],
          },
        ],
      }),
    );
    const sbom = path.join(dir, 'sbom.json');
    writeFileSync(
      sbom,
      JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: '1.5',
        version: 1,
        components: [{ type: 'library', 'bom-ref': 'c0', name: 'jinja2', version: '3.1.2', purl: 'pkg:pypi/jinja2@3.1.2' }],
      }),
    );
    const dist = (file: string) => pathToFileURL(path.join(ROOT, 'dist', file)).href;
    // What `clearinghouse --help` did before: the CLI imported every module (and the server) before parsing.
    const eager = [
      `await import(${JSON.stringify(dist('app/serve.js'))});`,
      `await import(${JSON.stringify(dist('app/demo.js'))});`,
      `const { runCli } = await import(${JSON.stringify(dist('app/cli.js'))});`,
      `process.exitCode = await runCli(['--help'], { env: process.env, output: { out: () => {}, err: () => {}, isTTY: false } });`,
    ].join(' ');
    const cases: Case[] = [
      { name: 'node_baseline', what: 'node -e 0', args: ['-e', '0'] },
      { name: 'version', what: 'clearinghouse --version', args: [BIN, '--version'] },
      { name: 'help', what: 'clearinghouse --help', args: [BIN, '--help'] },
      { name: 'subcommand_help', what: 'clearinghouse triage list --help', args: [BIN, 'triage', 'list', '--help'] },
      {
        name: 'score_cvss',
        what: 'clearinghouse score cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H (offline)',
        args: [BIN, 'score', 'cvss', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'],
      },
      { name: 'dedup', what: 'clearinghouse dedup ONE-OSV-FILE (offline)', args: [BIN, 'dedup', osv] },
      {
        name: 'match',
        what: 'clearinghouse match --sbom ONE-COMPONENT --osv ONE-FILE (offline)',
        args: [BIN, 'match', '--sbom', sbom, '--osv', osv],
      },
      { name: 'org_list', what: 'clearinghouse org list (local SQLite database)', args: [BIN, 'org', 'list'] },
      {
        name: 'eager_help',
        what: 'before: --help with every module and the server imported first',
        args: ['--input-type=module', '-e', eager],
      },
    ];
    for (const c of cases) measure(c, options.runs, env, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
