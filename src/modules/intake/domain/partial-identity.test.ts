import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeWithData, sharedData } from '#test-support/shared-data.js';
import { GITHUB_RUNNER, onOtherMachine, syntheticLog } from '../test-support/ci-runs.js';
import { MemoryClusterDirectory, assignClusters, type DedupPlan } from './assign-clusters.js';
import { findingIdentity, fingerprintFinding } from './fingerprint.js';
import { parseSubmission } from './parse-submission.js';

/** Deduplicates documents one after another, as the offline `dedup` and the server do. */
async function dedup(directory: MemoryClusterDirectory, bytes: Buffer): Promise<DedupPlan> {
  const { findings } = parseSubmission(bytes);
  const plan = await assignClusters(
    findings.map((f, i) => {
      const identity = findingIdentity(f);
      return { key: `${i}`, aliases: f.aliases, fingerprint: identity.fingerprint?.value ?? null, anchors: identity.anchors };
    }),
    directory,
  );
  directory.apply(plan);
  return plan;
}

const SQL = 'String query = "SELECT * FROM orders WHERE owner = \'" + owner + "\'";';

describe('findingIdentity', () => {
  it('gives the identity at every anchor level a finding supports, finest first, the first being its fingerprint', () => {
    const [finding] = parseSubmission(
      syntheticLog([{ ruleId: 'CWE-89', uri: 'src/Orders.java', line: 40, snippet: SQL, lineHash: 'aa11:1' }]),
    ).findings;
    const identity = findingIdentity(finding!);
    expect(identity.anchors.map((a) => a.level)).toEqual(['line-hash', 'snippet']);
    expect(identity.anchors[0]?.key).toBe(fingerprintFinding(finding!)?.value);
    // Without the line hash, the fingerprint is the snippet-level identity of the run that had it.
    const [bare] = parseSubmission(syntheticLog([{ ruleId: 'CWE-89', uri: 'src/Orders.java', line: 52, snippet: SQL }])).findings;
    expect(findingIdentity(bare!).anchors).toEqual([{ level: 'snippet', key: fingerprintFinding(bare!)?.value }]);
    expect(findingIdentity(bare!).anchors[0]?.key).toBe(identity.anchors[1]?.key);
  });
});

describe('joining at a coarser anchor level', () => {
  it('joins a report lacking the line hash to the one cluster that matches at the snippet', async () => {
    const dir = new MemoryClusterDirectory();
    const first = await dedup(
      dir,
      syntheticLog([{ ruleId: 'CWE-89', uri: 'src/Orders.java', line: 40, snippet: SQL, lineHash: 'aa11:1' }]),
    );
    const later = await dedup(dir, syntheticLog([{ ruleId: 'CWE-89', uri: 'src/Orders.java', line: 52, snippet: SQL }]));
    expect(later.assignments[0]).toMatchObject({ clusterId: first.assignments[0]?.clusterId, outcome: 'duplicate' });
    expect(later.assignments[0]?.matchedKeys.map((k) => k.kind)).toEqual(['anchor']);
    expect(later.proposals).toEqual([]);
    // And the other way round: the run with the line hash joins the one that had only the snippet.
    const dir2 = new MemoryClusterDirectory();
    const bare = await dedup(dir2, syntheticLog([{ ruleId: 'CWE-89', uri: 'src/Orders.java', line: 52, snippet: SQL }]));
    const hashed = await dedup(
      dir2,
      syntheticLog([{ ruleId: 'CWE-89', uri: 'src/Orders.java', line: 40, snippet: SQL, lineHash: 'aa11:1' }]),
    );
    expect(hashed.assignments[0]?.clusterId).toBe(bare.assignments[0]?.clusterId);
  });

  it('proposes instead of joining when several clusters match at the snippet', async () => {
    const dir = new MemoryClusterDirectory();
    // The same line twice in one file: the line hashes (which hash the context) tell them apart.
    const first = await dedup(
      dir,
      syntheticLog([
        { ruleId: 'CWE-89', uri: 'src/Orders.java', line: 40, snippet: SQL, lineHash: 'aa11:1' },
        { ruleId: 'CWE-89', uri: 'src/Orders.java', line: 90, snippet: SQL, lineHash: 'bb22:1' },
      ]),
    );
    const clusters = first.assignments.map((a) => a.clusterId);
    expect(new Set(clusters).size).toBe(2);
    const later = await dedup(dir, syntheticLog([{ ruleId: 'CWE-89', uri: 'src/Orders.java', line: 95, snippet: SQL }]));
    expect(later.assignments[0]?.outcome).toBe('new');
    expect(later.proposals).toEqual([
      { findingKey: '0', clusterId: later.assignments[0]?.clusterId, others: [...clusters].sort(), level: 'snippet' },
    ]);
  });

  it('does not join when a finer anchor both have differs, nor another file or rule', async () => {
    const dir = new MemoryClusterDirectory();
    const first = await dedup(
      dir,
      syntheticLog([{ ruleId: 'CWE-89', uri: 'src/Orders.java', line: 40, snippet: SQL, lineHash: 'aa11:1' }]),
    );
    const cluster = first.assignments[0]?.clusterId;
    const others = [
      { ruleId: 'CWE-89', uri: 'src/Orders.java', line: 40, snippet: SQL, lineHash: 'cc33:1' },
      { ruleId: 'CWE-89', uri: 'src/Invoices.java', line: 40, snippet: SQL },
      { ruleId: 'CWE-79', uri: 'src/Orders.java', line: 40, snippet: SQL },
    ];
    for (const other of others) {
      const plan = await dedup(dir, syntheticLog([other]));
      expect(plan.assignments[0]?.clusterId).not.toBe(cluster);
      expect(plan.proposals).toEqual([]);
    }
  });

  it('does not join reports naming different vulnerability ids on a shared anchor', async () => {
    const dir = new MemoryClusterDirectory();
    const at = { uri: 'src/Cart.java', line: 12, snippet: SQL };
    const first = await dedup(dir, syntheticLog([{ ...at, ruleId: 'CWE-89/CVE-2026-1000', lineHash: 'dd44:1' }]));
    const other = await dedup(dir, syntheticLog([{ ...at, ruleId: 'CWE-89/CVE-2026-2000' }]));
    expect(other.assignments[0]?.clusterId).not.toBe(first.assignments[0]?.clusterId);
    expect(other.proposals).toEqual([]);
    // The control: a report naming no id meets the first on the anchor and joins it.
    const fresh = new MemoryClusterDirectory();
    const again = await dedup(fresh, syntheticLog([{ ...at, ruleId: 'CWE-89/CVE-2026-1000', lineHash: 'dd44:1' }]));
    const none = await dedup(fresh, syntheticLog([{ ...at, ruleId: 'CWE-89' }]));
    expect(none.assignments[0]?.clusterId).toBe(again.assignments[0]?.clusterId);
  });
});

describe('paths as CI machines write them', () => {
  const pathOf = (uri: string, run: Record<string, unknown> = {}) =>
    parseSubmission(
      JSON.stringify({
        version: '2.1.0',
        runs: [
          {
            tool: { driver: { name: 'scanner', rules: [] } },
            ...run,
            results: [{ ruleId: 'CWE-89', message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri } } }] }],
          },
        ],
      }),
    ).findings[0]?.locations[0]?.path;

  it('drops the checkout folders of CI services from absolute paths under no base', () => {
    const cases: [string, string][] = [
      ['/home/runner/work/shop/shop/src/Orders.java', 'src/Orders.java'],
      ['file:///Users/runner/work/shop/shop/src/Orders.java', 'src/Orders.java'],
      ['file:///D:/a/shop/shop/src/Orders.java', 'src/Orders.java'],
      ['/__w/shop/shop/src/Orders.java', 'src/Orders.java'],
      ['/github/workspace/src/Orders.java', 'src/Orders.java'],
      ['/home/vsts/work/1/s/src/Orders.java', 'src/Orders.java'],
      ['file:///C:/agent/_work/12/s/src/Orders.java', 'src/Orders.java'],
      ['/builds/shop/shopfront/src/Orders.java', 'src/Orders.java'],
      ['/var/lib/jenkins/workspace/shop-main/src/Orders.java', 'src/Orders.java'],
      ['/home/circleci/project/src/Orders.java', 'src/Orders.java'],
      ['/opt/atlassian/pipelines/agent/build/src/Orders.java', 'src/Orders.java'],
      ['/home/travis/build/shop/shop/src/Orders.java', 'src/Orders.java'],
      ['/drone/src/src/Orders.java', 'src/Orders.java'],
      // Not a checkout folder: kept, relative to the file system root, as before.
      ['/srv/app/src/Orders.java', 'srv/app/src/Orders.java'],
    ];
    expect(cases.map(([uri]) => pathOf(uri))).toEqual(cases.map(([, path]) => path));
  });

  it('takes GitLab’s nested groups from the repository, and relative paths as they are', () => {
    const gitlab = { versionControlProvenance: [{ repositoryUri: 'https://gitlab.example/health/portal/shopfront' }] };
    expect(pathOf('/builds/health/portal/shopfront/src/Orders.java', gitlab)).toBe('src/Orders.java');
    expect(pathOf('a/b/c/Orders.java')).toBe('a/b/c/Orders.java');
    expect(pathOf('builds/x/y/Orders.java')).toBe('builds/x/y/Orders.java');
  });

  it('reads a bare absolute path under a declared file base relative to that base', () => {
    const run = { originalUriBaseIds: { SRCROOT: { uri: 'file:///srv/checkout/shop/' } } };
    expect(pathOf('/srv/checkout/shop/src/Orders.java', run)).toBe('src/Orders.java');
  });
});

describeWithData('the same scan from another CI machine (real SARIF)', 'sarif/sarif-sdk', () => {
  const file = sharedData('sarif/sarif-sdk/src/Sarif/Taxonomies/CweGhasSample.sarif');
  const original = readFileSync(file);
  const log = JSON.parse(original.toString('utf8').replace(/^\uFEFF/, '')) as unknown;

  it('reads the other machine’s paths as the first machine’s, without line hashes', () => {
    const [a, b] = [parseSubmission(original).findings, parseSubmission(Buffer.from(JSON.stringify(onOtherMachine(log)))).findings];
    expect(b.map((f) => f.locations[0]?.path)).toEqual(a.map((f) => f.locations[0]?.path));
    expect(a.every((f) => f.locations[0]?.lineHash !== null)).toBe(true);
    expect(b.every((f) => f.locations[0]?.lineHash === null)).toBe(true);
    expect(b.map((f) => f.locations[0]?.startLine)).toEqual(a.map((f) => (f.locations[0]?.startLine ?? 0) + 3));
  });

  it('reads bare absolute paths under a CI checkout folder, with no base declared, as the first machine’s paths', () => {
    const bare = parseSubmission(Buffer.from(JSON.stringify(onOtherMachine(log, { ...GITHUB_RUNNER, bare: true }))));
    expect(bare.findings.map((f) => f.locations[0]?.path)).toEqual(parseSubmission(original).findings.map((f) => f.locations[0]?.path));
    expect(bare.warnings).toEqual([]);
  });

  it('joins each result of the second run, the SQL injection among them, to the cluster of the first', async () => {
    const dir = new MemoryClusterDirectory();
    const first = await dedup(dir, original);
    expect(first.created).toHaveLength(7);
    const second = await dedup(dir, Buffer.from(JSON.stringify(onOtherMachine(log))));
    expect(second.assignments.map((a) => [a.clusterId, a.outcome])).toEqual(first.assignments.map((a) => [a.clusterId, 'duplicate']));
    expect(second.proposals).toEqual([]);
    const sql = parseSubmission(original).findings.findIndex((f) => f.cwes.includes('CWE-89'));
    expect(second.assignments[sql]?.matchedKeys).toEqual([{ key: expect.stringMatching(/^anchor:snippet:fp\d:/), kind: 'anchor' }]);
  });
});
