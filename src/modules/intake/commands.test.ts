import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, useCliDatabase } from '#test-support/cli.js';
import { describeEachDatabase } from '#test-support/databases.js';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import { cliActor, openRuntime } from '../../app/runtime.js';
import { loadConfig } from '../../platform/config.js';
import { testLogger } from '#test-support/run-logs.js';
import { createOrg, createUser } from '../identity/index.js';
import { submitDocument } from './service/submissions.js';
import { syntheticLog } from './test-support/ci-runs.js';
import { nativeDocument, nativeFinding, osvRecord } from './test-support/native.js';

describe('clearinghouse dedup (offline)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dedup-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the clusters with each finding’s file and JSON pointer, with no database', async () => {
    const a = path.join(dir, 'a.json');
    const b = path.join(dir, 'b.json');
    const c = path.join(dir, 'c.json');
    writeFileSync(
      a,
      nativeDocument([
        nativeFinding(),
        nativeFinding({ title: 'other', location: { path: 'o.py', function: 'o' }, aliases: ['CVE-2026-5'] }),
      ]),
    );
    writeFileSync(b, osvRecord('PYSEC-2026-5', ['CVE-2026-5']));
    writeFileSync(c, nativeDocument([nativeFinding({ description: 'reworded' })], { tool: { name: 'other' } }));
    const result = await cli({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }, 'dedup', a, b, c, '--json');
    expect(result.code).toBe(0);
    expect(result.json()).toEqual({
      findings: 4,
      clusters: [
        {
          id: 'cluster-000001',
          findings: [
            { file: a, ref: '/findings/0' },
            { file: c, ref: '/findings/0' },
          ],
        },
        {
          id: 'cluster-000002',
          findings: [
            { file: a, ref: '/findings/1' },
            { file: b, ref: '' },
          ],
        },
      ],
      proposals: [],
    });
  });

  // It printed the clusters and a count only: the near-duplicate proposals the server would put before a
  // coordinator, and why, were not shown at all.
  const SQL = 'String query = "SELECT * FROM orders WHERE owner = \'" + owner + "\'";';

  it('prints the clusters a report without the line hash cannot choose between, with the reason', async () => {
    const first = path.join(dir, 'first.sarif');
    const later = path.join(dir, 'later.sarif');
    writeFileSync(
      first,
      syntheticLog([
        { ruleId: 'CWE-89', uri: 'src/Orders.java', line: 40, snippet: SQL, lineHash: 'aa11:1', message: 'Owner concatenated into SQL' },
        { ruleId: 'CWE-89', uri: 'src/Orders.java', line: 90, snippet: SQL, lineHash: 'bb22:1', message: 'Tainted query text' },
      ]),
    );
    writeFileSync(
      later,
      syntheticLog([{ ruleId: 'CWE-89', uri: 'src/Orders.java', line: 93, snippet: SQL, message: 'Request data reaches a query' }]),
    );
    const result = await cli({}, 'dedup', first, later, '--json');
    expect(result.code).toBe(0);
    const report = result.json<{
      clusters: { id: string }[];
      proposals: { clusters: string[]; basis: string; score: number; reason: string; findings: unknown[] }[];
    }>();
    expect(report.clusters.map((c) => c.id)).toEqual(['cluster-000001', 'cluster-000002', 'cluster-000003']);
    const anchored = report.proposals.filter((p) => p.basis === 'shared-anchor');
    expect(anchored.map((p) => p.clusters)).toEqual([
      ['cluster-000001', 'cluster-000003'],
      ['cluster-000002', 'cluster-000003'],
    ]);
    for (const p of anchored) {
      expect(p.score).toBe(0.9);
      expect(p.reason).toMatch(/same file src\/Orders\.java and code snippet; 2 clusters share that anchor/);
      expect(p.findings).toEqual([{ file: later, ref: '/runs/0/results/0' }]);
    }
    const human = await cli({}, 'dedup', first, later);
    expect(human.stdout).toContain('near-duplicate proposal(s), not merged');
    expect(human.stdout).toMatch(/^cluster-000001 ~ cluster-000003 {2}score 0\.90 {2}\S+later\.sarif#\/runs\/0\/results\/0 meets both$/m);
    expect(human.stdout).toMatch(/^ {2}same target \S+; same file src\/Orders\.java and code snippet; 2 clusters/m);
  });

  it('prints reports that read alike as a proposal with the text and location behind it, never two different CVEs', async () => {
    const a = path.join(dir, 'a.json');
    const b = path.join(dir, 'b.json');
    const c = path.join(dir, 'c.json');
    const d = path.join(dir, 'd.json');
    writeFileSync(a, nativeDocument([nativeFinding()]));
    writeFileSync(
      b,
      nativeDocument(
        [
          nativeFinding({
            title: 'SQL injection in order search',
            description: 'The order search builds its query from the `q` parameter without binding it.',
            location: { path: 'shopfront/orders/search.py', function: 'find_orders', startLine: 47 },
          }),
        ],
        { tool: { name: 'otherscan' } },
      ),
    );
    // Another package: two reports naming different CVEs, and one naming none, all in the same words.
    const other = (fn: string, aliases: string[]) =>
      nativeFinding({ target: { purl: 'pkg:pypi/backoffice@1.0.0' }, location: { path: 'backoffice/orders.py', function: fn }, aliases });
    writeFileSync(c, nativeDocument([other('list_orders', ['CVE-2026-1']), other('show_orders', ['CVE-2026-2'])]));
    writeFileSync(d, nativeDocument([other('export_orders', [])], { tool: { name: 'otherscan' } }));
    const result = await cli({}, 'dedup', a, b, c, d, '--json');
    expect(result.code).toBe(0);
    type Ref = { file: string; ref: string };
    const report = result.json<{
      clusters: { id: string; findings: Ref[] }[];
      proposals: { clusters: string[]; basis: string; score: number; reason: string; findings: Ref[] }[];
    }>();
    const clusterOf = (file: string, ref = '/findings/0') =>
      report.clusters.find((k) => k.findings.some((f) => f.file === file && f.ref === ref))?.id ?? '';
    const proposed = (x: string, y: string) => report.proposals.find((p) => p.clusters.join(' ') === [x, y].sort().join(' '));
    expect(new Set(report.clusters.map((k) => k.id)).size).toBe(5);
    const ab = proposed(clusterOf(a), clusterOf(b));
    expect(ab?.basis).toBe('similar-text');
    expect(ab?.findings).toEqual([
      { file: a, ref: '/findings/0' },
      { file: b, ref: '/findings/0' },
    ]);
    expect(ab?.reason).toMatch(
      /^same target pkg:pypi\/shopfront; CWE family \S+; same file shopfront\/orders\/search\.py, different functions; text similarity 0\.\d\d$/,
    );
    // Alike in words: the report naming no id is proposed with each; the two naming different CVEs never together.
    expect(proposed(clusterOf(c), clusterOf(d))?.basis).toBe('similar-text');
    expect(proposed(clusterOf(c, '/findings/1'), clusterOf(d))?.basis).toBe('similar-text');
    expect(proposed(clusterOf(c), clusterOf(c, '/findings/1'))).toBeUndefined();
    const human = await cli({}, 'dedup', a, b, c, d);
    const pair = [clusterOf(a), clusterOf(b)].sort().join(' ~ ');
    expect(human.stdout.split('\n')).toContain(`${pair}  score ${ab?.score.toFixed(2)}  ${a}#/findings/0 ~ ${b}#/findings/0`);
    expect(human.stdout.split('\n')).toContain(`  ${ab?.reason}`);
  });

  it('exits 2 naming the file, the pointer and the rule for a bad file', async () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, nativeDocument([nativeFinding({ cwe: ['bogus'] })]));
    const result = await cli({}, 'dedup', bad, '--json');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(bad);
    expect(result.stderr).toContain('/findings/0/cwe/0');
  });
});

describeWithData('clearinghouse dedup on real files', 'cve/records', () => {
  it('clusters each of the first osv-alias CVE records with the Go OSV record that names it', async () => {
    const selection = readFileSync(sharedData('cve/records/SELECTION.tsv'), 'utf8')
      .split('\n')
      .map((l) => l.split('\t'));
    const wanted = new Map(selection.filter((r) => r[0] === 'osv-alias').map((r) => [r[1] ?? '', sharedData('cve/records', r[2] ?? '')]));
    const pairs: [string, string][] = [];
    const goDir = sharedData('osv/go/data/osv');
    for (const name of readdirSync(goDir)) {
      const doc = JSON.parse(readFileSync(path.join(goDir, name), 'utf8')) as { aliases?: string[] };
      const cve = (doc.aliases ?? []).find((a) => wanted.has(a));
      if (cve !== undefined) pairs.push([wanted.get(cve) ?? '', path.join(goDir, name)]);
      if (pairs.length === 5) break;
    }
    expect(pairs).toHaveLength(5);
    const result = await cli({}, 'dedup', ...pairs.flat(), '--json');
    expect(result.code).toBe(0);
    const report = result.json<{ findings: number; clusters: { findings: { file: string; ref: string }[] }[] }>();
    for (const [cveFile, osvFile] of pairs) {
      const cluster = report.clusters.find((c) => c.findings.some((f) => f.file === cveFile));
      expect(cluster?.findings.map((f) => f.file)).toContain(osvFile);
    }
  });
});

describeEachDatabase('clearinghouse submit', (dialect) => {
  const get = useCliDatabase(dialect);

  it('submits files to the local database and says per file what was new', async () => {
    const { target, env } = get();
    const file = path.join(target.dir, 'scan.json');
    writeFileSync(file, nativeDocument([nativeFinding(), nativeFinding({ title: 'b', location: { path: 'b.py', function: 'b' } })]));
    const first = await cli(env, 'submit', file);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^accepted {2}\S+scan\.json: native, 2 findings — 2 new, 0 duplicates of known clusters, TLP:\S+ \[sub_\w+\]$/m,
    );
    const again = await cli(env, 'submit', file, '--json');
    expect(again.json<{ repeated: boolean; outcome: string }[]>()[0]).toMatchObject({ repeated: true, outcome: 'repeated' });
    expect((await cli(env, 'submit', file)).stdout).toMatch(
      /^unchanged \S+scan\.json: these exact bytes were submitted before as sub_\w+ \(2 findings\); nothing new stored$/m,
    );
  });

  it('goes on past a refused file and a missing one, walks directories, sums up, and exits 2', async () => {
    const { target, env } = get();
    const dir = path.join(target.dir, 'batch');
    mkdirSync(path.join(dir, 'nested'), { recursive: true });
    mkdirSync(path.join(dir, '.git'));
    writeFileSync(path.join(dir, 'a.json'), nativeDocument([nativeFinding({ title: 'one finding' })]));
    writeFileSync(path.join(dir, 'bad.json'), '{"schema": "clearinghouse/findings@1", "findings": []}');
    writeFileSync(
      path.join(dir, 'nested', 'c.json'),
      nativeDocument([nativeFinding({ title: 'c', location: { path: 'c.py', function: 'c' } })]),
    );
    writeFileSync(path.join(dir, 'notes.txt'), 'not a document');
    writeFileSync(path.join(dir, '.git', 'x.json'), 'not read');
    const result = await cli(env, 'submit', dir, path.join(target.dir, 'nowhere.json'));
    expect(result.code).toBe(2);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^refused {3}\S+nowhere\.json: no such file or directory/);
    expect(lines[1]).toMatch(/^accepted {2}\S+batch\/a\.json: native, 1 finding — 1 new, 0 duplicates/);
    expect(lines[2]).toMatch(/^refused {3}\S+batch\/bad\.json: /);
    expect(result.stdout).toMatch(/^accepted {2}\S+batch\/nested\/c\.json: native, 1 finding — 1 new/m);
    expect(result.stdout).not.toMatch(/notes\.txt|\.git/);
    expect(result.stdout).toMatch(/^4 files: 2 accepted \(2 findings, 2 new\), 0 unchanged, 2 refused — the accepted ones are stored/m);
    const json = await cli(env, 'submit', path.join(dir, 'bad.json'), path.join(dir, 'a.json'), '--json');
    expect(json.code).toBe(2);
    expect(
      json.json<{ file: string; outcome: string; error?: { message: string } }[]>().map((f) => [path.basename(f.file), f.outcome]),
    ).toEqual([
      ['bad.json', 'refused'],
      ['a.json', 'repeated'],
    ]);
  });

  it('reports bytes a colleague submitted under a label hidden from the caller as refused, and goes on', async () => {
    const { target, env } = get();
    // A colleague's TLP:RED submission names only themself: the organisation's admin, whom the local CLI acts
    // as, may not see it, and the server answers 409 submitted-before-hidden for the same bytes.
    const runtime = await openRuntime(loadConfig({ ...env, LOG_LEVEL: 'silent' }), testLogger());
    const hidden = nativeDocument([nativeFinding({ title: 'embargoed' })]);
    let orgId: string;
    try {
      const system = runtime.contextFor(cliActor);
      const org = await createOrg(system, { name: 'Red Lab', kind: 'researcher' });
      orgId = org.id;
      await createUser(system, org.id, { email: 'admin@red.example', name: 'Admin', role: 'admin' });
      const colleague = await createUser(system, org.id, { email: 'analyst@red.example', name: 'Analyst', role: 'analyst' });
      const actor = {
        kind: 'user',
        userId: colleague.user.id,
        orgId: org.id,
        orgKind: 'researcher',
        role: 'analyst',
        tokenId: null,
      } as const;
      await submitDocument(runtime.contextFor(actor), { bytes: hidden, tlp: 'RED', recipients: { userIds: [colleague.user.id] } });
    } finally {
      await runtime.close();
    }
    const dir = path.join(target.dir, 'hidden');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'a-hidden.json'), hidden);
    writeFileSync(path.join(dir, 'b-open.json'), nativeDocument([nativeFinding({ title: 'open' })]));
    const result = await cli(env, 'submit', '--org', orgId, path.join(dir, 'a-hidden.json'), path.join(dir, 'b-open.json'), '--json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(2);
    expect(result.json<{ file: string; outcome: string; error?: { code: string | null; message: string } }[]>()).toEqual([
      {
        file: path.join(dir, 'a-hidden.json'),
        outcome: 'refused',
        error: expect.objectContaining({ code: 'submitted-before-hidden', message: expect.stringMatching(/submitted these bytes before/) }),
      },
      expect.objectContaining({ file: path.join(dir, 'b-open.json'), outcome: 'accepted' }),
    ]);
  });
});
