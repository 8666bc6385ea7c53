import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import { openRuntime } from '../../../app/runtime.js';
import { buildServer } from '../../../app/server.js';
import { loadConfig } from '../../../platform/config.js';
import { testLogger } from '#test-support/run-logs.js';
import { cli, useCliDatabase } from '#test-support/cli.js';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import type { OsvRecord } from '../domain/osv-record.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { cycloneDx, osvRecord, pypi, zipOf } from '../test-support/fixtures.js';
import type { MatchOutput } from './match-command.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'inv-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** An SBOM and an advisory tree: a JSON file, a YAML file, a note that is not OSV, and a ZIP. */
function fixtures(): { sbom: string; tree: string; zip: string } {
  const sbom = path.join(dir, 'bom.json');
  writeFileSync(
    sbom,
    cycloneDx([pypi('Django', '3.2.0'), pypi('requests', '2.19.0'), pypi('jinja2'), { name: 'vendored', purl: 'pkg:generic/vendored@1' }]),
  );
  const tree = path.join(dir, 'osv');
  mkdirSync(path.join(tree, 'django'), { recursive: true });
  writeFileSync(
    path.join(tree, 'django', 'PYSEC-1.json'),
    JSON.stringify(osvRecord('PYSEC-1', 'PyPI', 'django', [{ introduced: '3.0' }, { fixed: '3.2.1' }], { aliases: ['CVE-2021-0001'] })),
  );
  writeFileSync(path.join(tree, 'PYSEC-2.yaml'), toYaml(osvRecord('PYSEC-2', 'PyPI', 'Django', [{ introduced: '0' }, { fixed: '3.1' }])));
  writeFileSync(
    path.join(tree, 'jinja.json'),
    JSON.stringify(osvRecord('PYSEC-3', 'PyPI', 'jinja2', [{ introduced: '0' }, { fixed: '2.11.3' }])),
  );
  writeFileSync(path.join(tree, 'notes.json'), '{"title": "not an advisory"}');
  const zip = path.join(dir, 'all.zip');
  writeFileSync(
    zip,
    zipOf({
      'GHSA-x.json': JSON.stringify(
        osvRecord('GHSA-x', 'PyPI', 'requests', [{ introduced: '2.0' }, { fixed: '2.20.0' }], { aliases: ['CVE-2018-0002'] }),
      ),
    }),
  );
  return { sbom, tree, zip };
}

describe('clearinghouse match (offline)', () => {
  // A database that does not exist: the command must never open one.
  const env = () => ({
    DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    CLEARINGHOUSE_DATA_DIR: path.join(dir, 'data'),
    XDG_CACHE_HOME: path.join(dir, 'cache'),
  });

  it('prints exactly the issue’s JSON: one entry per affected component × advisory, purl as written', async () => {
    const { sbom, tree, zip } = fixtures();
    const result = await cli(env(), 'match', '--sbom', sbom, '--osv', tree, zip, '--json');
    expect(result.code).toBe(0);
    expect(result.json<MatchOutput>()).toEqual({
      components: 5,
      matches: [
        { purl: 'pkg:pypi/Django@3.2.0', advisory: 'PYSEC-1', aliases: ['CVE-2021-0001'], fixed: ['3.2.1'], confidence: 'exact' },
        { purl: 'pkg:pypi/requests@2.19.0', advisory: 'GHSA-x', aliases: ['CVE-2018-0002'], fixed: ['2.20.0'], confidence: 'exact' },
      ],
    });
    expect(result.stderr).toMatch(/skipped 1 file\(s\) under --osv are not OSV records:\n {2}.*notes.json/);
    expect(existsSync(path.join(dir, 'data'))).toBe(false);
  });

  it('explains undecidable and unmatched components in its human output', async () => {
    const { sbom, tree } = fixtures();
    const result = await cli(env(), 'match', '--sbom', sbom, '--osv', path.join(tree, 'jinja.json'), path.join(tree, 'django'));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/5 components against 2 advisories: 1 affected/);
    expect(result.stdout).toMatch(/pkg:pypi\/jinja2\s+PYSEC-3\s+version unknown/);
    expect(result.stdout).toMatch(/2 components cannot be matched/);
  });

  it('exits 2 for a bad SBOM, a missing path, or a non-OSV file under --strict', async () => {
    const { sbom, tree } = fixtures();
    writeFileSync(path.join(dir, 'vex.json'), '{"bomFormat": "CycloneDX", "specVersion": "1.5", "vulnerabilities": [{"id": "CVE-1"}]}');
    const vex = await cli(env(), 'match', '--sbom', path.join(dir, 'vex.json'), '--osv', tree);
    expect(vex.code).toBe(2);
    expect(vex.stderr).toMatch(/VEX/);
    expect((await cli(env(), 'match', '--sbom', sbom, '--osv', path.join(dir, 'nowhere'))).code).toBe(2);
    const strict = await cli(env(), 'match', '--sbom', sbom, '--osv', tree, '--strict');
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/notes.json/);
  });

  it('never matches a truncated or schema-invalid advisory: skipped with its file and pointer, exit 2 under --strict', async () => {
    const { sbom } = fixtures();
    const broken = path.join(dir, 'broken');
    mkdirSync(broken);
    // No "modified" (the schema requires it), and a YAML file cut short in the middle of its events.
    const { modified: _, ...noModified } = osvRecord('PYSEC-9', 'PyPI', 'django', [{ introduced: '0' }, { fixed: '9.0' }]);
    writeFileSync(path.join(broken, 'PYSEC-9.json'), JSON.stringify(noModified));
    const whole = toYaml(osvRecord('PYSEC-8', 'PyPI', 'django', [{ introduced: '0' }, { fixed: '9.0' }]));
    writeFileSync(path.join(broken, 'PYSEC-8.yaml'), whole.slice(0, whole.indexOf('fixed')));
    writeFileSync(
      path.join(broken, 'PYSEC-1.json'),
      JSON.stringify(osvRecord('PYSEC-1', 'PyPI', 'django', [{ introduced: '3.0' }, { fixed: '3.2.1' }])),
    );
    const lenient = await cli(env(), 'match', '--sbom', sbom, '--osv', broken, '--json');
    expect(lenient.code).toBe(0);
    expect(lenient.json<MatchOutput>().matches.map((m) => m.advisory)).toEqual(['PYSEC-1']);
    expect(lenient.stderr).toMatch(/PYSEC-8\.yaml: .*\(at \/affected\/0\/ranges\/0/);
    expect(lenient.stderr).toMatch(/PYSEC-9\.json: .*required property 'modified'.*\(at \/\)/);
    const strict = await cli(env(), 'match', '--sbom', sbom, '--osv', broken, '--strict', '--json');
    expect(strict.code).toBe(2);
    expect(strict.stdout).toBe('');
    expect(strict.stderr).toMatch(/PYSEC-9\.json/);
  });

  it('keeps a snapshot of what it read, and prints the same cold, warm, elsewhere and without one', async () => {
    const { sbom, tree, zip } = fixtures();
    // Written a while ago: a snapshot trusts only files not modified just before it read them.
    const then = new Date(Date.now() - 3_600_000);
    for (const f of readdirSync(dir, { recursive: true })) utimesSync(path.join(dir, String(f)), then, then);
    const run = (...extra: string[]) => cli(env(), 'match', '--sbom', sbom, '--osv', tree, zip, '--json', '--timings', ...extra);
    const cold = await run();
    const warm = await run();
    const off = await run('--no-cache');
    const elsewhere = await run('--cache', path.join(dir, 'mine'));
    expect(cold.code).toBe(0);
    for (const r of [warm, off, elsewhere]) expect(r.stdout).toBe(cold.stdout);
    expect(readdirSync(path.join(dir, 'cache', 'clearinghouse', 'osv'))).toHaveLength(1);
    expect(readdirSync(path.join(dir, 'mine'))).toHaveLength(1);
    const stagesOf = (stderr: string) =>
      (JSON.parse(stderr.trim().split('\n').at(-1) ?? '') as { timings: { stages: { stage: string; note?: string }[]; totalMs: number } })
        .timings;
    const coldStages = stagesOf(cold.stderr).stages;
    expect(coldStages.map((s) => s.stage)).toEqual(
      expect.arrayContaining([
        'start-up',
        'sbom-parse',
        'sbom-schema',
        'sources',
        'snapshot-read',
        'osv-parse',
        'osv-check',
        'snapshot-write',
        'index',
        'match',
        'output',
      ]),
    );
    const note = (stages: { stage: string; note?: string }[]) => stages.find((s) => s.stage === 'snapshot-read')?.note;
    expect(note(coldStages)).toMatch(/^miss: 0 files reused, 5 read/);
    const warmStages = stagesOf(warm.stderr).stages;
    expect(note(warmStages)).toMatch(/^hit: 5 files reused, 0 read/);
    expect(warmStages.map((s) => s.stage)).not.toContain('osv-parse');
    expect(note(stagesOf(off.stderr).stages)).toMatch(/no snapshot/);
  });

  it('prints its timings as a table on stderr without --json, leaving the results alone', async () => {
    const { sbom, tree } = fixtures();
    const plain = await cli(env(), 'match', '--sbom', sbom, '--osv', tree);
    const timed = await cli(env(), 'match', '--sbom', sbom, '--osv', tree, '--timings');
    expect(timed.stdout).toBe(plain.stdout);
    expect(timed.stderr).toMatch(/timings \(wall clock\):\nSTAGE +MS +SHARE/);
    expect(timed.stderr).toMatch(/\nsnapshot-read +\d+\.\d +\d+ % +(miss|partial|hit): /);
    expect(timed.stderr).toMatch(/\ntotal +\d+\.\d +100 %/);
    expect(plain.stderr).not.toMatch(/timings/);
  });
});

describeWithData('clearinghouse match on a slice of the real corpora', 'osv', () => {
  const env = () => ({ XDG_CACHE_HOME: path.join(dir, 'cache') });

  it('prints byte for byte the same cold, warm and without a snapshot', async () => {
    const pypi = readdirSync(sharedData('osv/pypi/vulns'))
      .slice(0, 60)
      .map((p) => sharedData('osv/pypi/vulns', p));
    const crates = readdirSync(sharedData('osv/crates-io/crates'))
      .slice(0, 150)
      .map((f) => sharedData('osv/crates-io/crates', f));
    const go = readdirSync(sharedData('osv/go/data/osv'))
      .slice(0, 150)
      .map((f) => sharedData('osv/go/data/osv', f));
    const osv = [...pypi, ...crates, ...go];
    const components = new Map<string, { name: string; version: string; purl: string }>();
    const types: Record<string, string> = { PyPI: 'pypi', 'crates.io': 'cargo', Go: 'golang' };
    for (const file of [...crates, ...go]) {
      const record = JSON.parse(readFileSync(file, 'utf8')) as OsvRecord;
      for (const a of record.affected ?? [])
        for (const e of a.ranges?.flatMap((r) => r.events) ?? []) {
          const version = e.introduced ?? e.fixed;
          const type = types[a.package?.ecosystem ?? ''];
          if (!a.package || type === undefined || version === undefined || version === '0') continue;
          const v = type === 'golang' ? `v${version}` : version;
          components.set(`${type}/${a.package.name}@${v}`, {
            name: a.package.name,
            version: v,
            purl: `pkg:${type}/${a.package.name}@${v}`,
          });
        }
    }
    for (const p of pypi)
      for (const v of ['0.1', '1.0', '2.0.1'])
        components.set(`${p}@${v}`, { name: path.basename(p), version: v, purl: `pkg:pypi/${path.basename(p)}@${v}` });
    const sbom = path.join(dir, 'slice.json');
    writeFileSync(sbom, cycloneDx([...components.values()]));
    const run = (...extra: string[]) => cli(env(), 'match', '--sbom', sbom, '--osv', ...osv, '--json', ...extra);
    const cold = await run();
    const warm = await run('--timings');
    const off = await run('--no-cache');
    expect(cold.code).toBe(0);
    expect(cold.json<MatchOutput>().matches.length).toBeGreaterThan(50);
    expect(warm.stdout).toBe(cold.stdout);
    expect(off.stdout).toBe(cold.stdout);
    expect(warm.stderr).toMatch(/"note":"hit: \d+ files reused, 0 read/);
  });
});

describeEachDatabase('clearinghouse inventory (local database)', (dialect) => {
  const database = useCliDatabase(dialect, { init: false });

  it('imports advisories, uploads an SBOM and shows the exposure', async () => {
    const { target, env } = database();
    const { sbom, tree, zip } = fixtures();
    await cli(env, 'init');
    const { id: orgId } = (
      await cli(env, 'org', 'create', '--name', 'Riverbend Water', '--kind', 'operator', '--sector', 'water', '--json')
    ).json<{ id: string }>();

    const imported = await cli(env, 'inventory', 'advisories', 'import', tree, zip, '--json');
    expect(imported.code).toBe(0);
    expect(imported.json()).toMatchObject({ read: 4, created: 4, updated: 0, skipped: [{ source: expect.stringMatching(/notes.json$/) }] });
    expect((await cli(env, 'inventory', 'advisories', 'import', tree, '--json')).json()).toMatchObject({
      read: 3,
      created: 0,
      unchanged: 3,
    });

    const uploaded = await cli(
      env,
      'inventory',
      'upload',
      sbom,
      '--asset',
      'Treatment plant',
      '--org',
      orgId,
      '--criticality',
      'high',
      '--json',
    );
    expect(uploaded.code).toBe(0);
    expect(uploaded.json()).toMatchObject({
      created: true,
      asset: { name: 'Treatment plant', sector: 'water' },
      matches: { affected: 2, unknown: 1, advisories: 2 },
    });

    const exposure = await cli(env, 'inventory', 'exposure', '--org', orgId);
    expect(exposure.stdout).toMatch(/3 advisories match 1 assets/);
    expect(exposure.stdout).toMatch(/GHSA-x\s+Treatment plant\s+pkg:pypi\/requests@2.19.0\s+affected\s+2.20.0/);
    expect((await cli(env, 'inventory', 'assets')).stdout).toMatch(/Treatment plant\s+water\s+high/);
    expect((await cli(env, 'inventory', 'affected', 'CVE-2021-0001', '--json')).json()).toMatchObject({
      advisoryIds: ['PYSEC-1'],
      items: [{ orgId }],
    });
    const bad = await cli(env, 'inventory', 'upload', path.join(dir, 'osv', 'PYSEC-2.yaml'), '--asset', 'x', '--org', orgId);
    expect(bad.code).toBe(2);
    expect(readdirSync(target.dir)).toContain('blobs');
  });

  it('uploads an SBOM to a server with --url and --token, as the operator', async () => {
    const { env } = database();
    const { sbom } = fixtures();
    await cli(env, 'init');
    const { id: orgId } = (
      await cli(env, 'org', 'create', '--name', 'Port of Easthaven', '--kind', 'operator', '--sector', 'transportation', '--json')
    ).json<{ id: string }>();
    const { token } = (
      await cli(env, 'user', 'create', '--org', orgId, '--email', 'ops@port.example', '--name', 'Ops', '--role', 'admin', '--json')
    ).json<{ token: { token: string } }>();
    const runtime = await openRuntime(loadConfig({ ...env, LOG_LEVEL: 'silent' }), testLogger());
    const app = await buildServer(runtime);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const uploaded = await cli(
        {},
        'inventory',
        'upload',
        sbom,
        '--asset',
        'Crane control',
        '--url',
        url,
        '--token',
        token.token,
        '--json',
      );
      expect(uploaded.code).toBe(0);
      expect(uploaded.json()).toMatchObject({ created: true, asset: { name: 'Crane control', sector: 'transportation' } });
      expect(
        (await cli({}, 'inventory', 'upload', sbom, '--asset', 'Crane control', '--url', url, '--token', token.token, '--json')).json(),
      ).toMatchObject({ created: false });
    } finally {
      await app.close();
      await runtime.close();
    }
  });
});
