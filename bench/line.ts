import { cliActor, openRuntime, type Runtime } from '../src/app/runtime.js';
import { generateAdvisory, providerSettings, publishAdvisory } from '../src/modules/advisories/index.js';
import { addParticipant, decideStatement, moveEmbargo, openCase, setStatement } from '../src/modules/cases/index.js';
import { adminActorOf, bootstrap, createOrg, createUser } from '../src/modules/identity/index.js';
import { NATIVE_FINDINGS_SCHEMA, submitDocument } from '../src/modules/intake/index.js';
import { cycloneDx } from '../src/modules/inventory/test-support/fixtures.js';
import { seedPortfolio, type PortfolioOperator } from '../src/modules/inventory/test-support/portfolio.js';
import { addAllowlistEntry, registerWebhook, type AdvisoryNoticeData } from '../src/modules/notify/index.js';
import { recordAttempt, setVerdict } from '../src/modules/validation/index.js';
import { loadConfig } from '../src/platform/config.js';
import { asActor, type ServiceContext } from '../src/platform/context.js';
import { silentLogger } from '../src/platform/log.js';
import { VERSION } from '../src/platform/version.js';
import { benchPostgres, benchSqlite, type BenchDatabase } from './databases.js';
import { postAll, startBenchReceiver } from './webhook-receiver.js';
import { report } from './report.js';

export interface LineBenchOptions {
  /** Operators in the portfolio, each with a webhook; every third runs the affected version. */
  readonly operators: number;
}

const PURL = 'pkg:npm/%40acme/widget';
let firstPublication = true;

async function member(system: ServiceContext, name: string, kind: 'researcher' | 'agency' | 'vendor'): Promise<ServiceContext> {
  const org = await createOrg(asActor(system, await adminActorOf(system)), { name, kind });
  const slug = name.toLowerCase().replace(/\W+/g, '-');
  await createUser(system, org.id, { email: `admin@${slug}.bench.example`, name: `${name} admin`, role: 'admin' });
  return asActor(system, await adminActorOf(system, org.id));
}

/** Runs `step`, then the background work it caused (the outbox's consumers and jobs): the elapsed ms. */
async function stage(runtime: Runtime, step: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await step();
  await runtime.jobs.drain();
  return performance.now() - start;
}

async function runOn(database: BenchDatabase, options: LineBenchOptions): Promise<void> {
  const runtime = await openRuntime(loadConfig({ ...database.env, LOG_LEVEL: 'silent' }), silentLogger);
  const secrets = new Map<string, string>();
  const receiver = await startBenchReceiver(secrets);
  try {
    const system = runtime.contextFor(cliActor);
    await bootstrap(system, { adminToken: null });
    const coordinator = asActor(system, await adminActorOf(system));
    const meta = { dialect: database.dialect, operators: options.operators };

    // The portfolio (setup, not timed): every third operator runs the affected 2.4.0, the others 2.4.1.
    const setupStart = performance.now();
    const portfolio: PortfolioOperator[] = Array.from({ length: options.operators }, (_, i) => {
      const version = i % 3 === 0 ? '2.4.0' : '2.4.1';
      return {
        name: `Line operator ${i}`,
        sectors: [(['energy', 'water', 'transportation'] as const)[i % 3] ?? 'energy'],
        assets: [
          {
            name: `plant ${i}`,
            sector: (['energy', 'water', 'transportation'] as const)[i % 3] ?? 'energy',
            criticality: (['low', 'moderate', 'high'] as const)[i % 3] ?? 'low',
            internetFacing: i % 5 === 0,
            sbom: cycloneDx([{ name: '@acme/widget', version, purl: `${PURL}@${version}` }], `plant ${i}`),
          },
        ],
      };
    });
    const seeded = await seedPortfolio(runtime.db, runtime.clock, portfolio);
    await addAllowlistEntry(coordinator, { cidr: '127.0.0.1/32' });
    for (const [i, s] of seeded.entries()) {
      const path = `/o/${i}`;
      const { secret } = await registerWebhook(system, { orgId: s.orgId, url: `${receiver.url}${path}`, events: ['advisory.*'] });
      secrets.set(path, secret);
    }
    const expected = new Set(seeded.filter((_, i) => i % 3 === 0).map((_, n) => `/o/${n * 3}`));
    const researcher = await member(system, 'Line researcher', 'researcher');
    const agency = await member(system, 'Line agency', 'agency');
    const vendor = await member(system, 'ACME', 'vendor');
    const vendorOrg = vendor.actor.kind === 'user' ? vendor.actor.orgId : '';
    console.error(
      `line ${database.dialect}: portfolio of ${options.operators} operators set up in ${Math.round(performance.now() - setupStart)} ms`,
    );

    const times: Record<string, number> = {};
    let clusterId = '';
    // 1. A report submitted: stored raw, parsed, fingerprinted, deduplicated into a cluster, queued for triage.
    times['submit'] = await stage(runtime, async () => {
      const answer = await submitDocument(researcher, {
        bytes: Buffer.from(
          JSON.stringify({
            schema: NATIVE_FINDINGS_SCHEMA.properties.schema.const,
            provenance: { tool: { name: 'deepscan', version: '1.4.0' }, aiGenerated: true },
            findings: [
              {
                title: 'Path traversal in archive extraction',
                description: 'Archive entries are written outside the target directory.',
                target: { purl: `${PURL}@2.4.0` },
                cwe: ['CWE-22'],
                cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N',
                location: { path: 'lib/extract.js', function: 'extract' },
              },
            ],
          }),
        ),
        tlp: 'GREEN',
      });
      clusterId = answer.findings[0]?.clusterId ?? '';
    });
    // 2. Validated: an independent agency's reproduction (a human step, recorded at once) makes it valid.
    times['validate'] = await stage(runtime, () =>
      recordAttempt(agency, clusterId, {
        artifact: `${PURL}@2.4.0`,
        affectedBuild: '2.4.0',
        fixedBuild: '2.4.1',
        environment: 'bench sandbox',
        reproducedOnAffected: true,
        reproducedOnFixed: false,
        steps: ['extract the crafted archive'],
        assessment: { automatable: 'yes', technicalImpact: 'total' },
      }),
    );
    // 3. Prioritized on acceptance (the coordinator's verdict, a human step recorded at once): scoring's decision.
    times['prioritize'] = await stage(runtime, () => setVerdict(coordinator, clusterId, { state: 'accepted' }));
    // 4. A case with the vendor, whose statement (fixed in 2.4.1) the coordinator approves (human steps, at once).
    let caseId = '';
    times['case'] = await stage(runtime, async () => {
      caseId = (await openCase(coordinator, { clusterIds: [clusterId], title: 'Path traversal in ACME Widget' })).id;
      await addParticipant(coordinator, caseId, { orgId: vendorOrg });
      const statement = await setStatement(vendor, caseId, {
        clusterId,
        status: 'fixed',
        product: { purl: `${PURL}@2.4.0` },
        fixedVersions: ['2.4.1'],
        fixUrl: 'https://acme.example/widget/2.4.1',
      });
      await decideStatement(coordinator, statement.id, { approve: true, version: statement.version });
      // The fix is out: the coordinator ends the embargo the case opened with (a human step, at once).
      await moveEmbargo(coordinator, caseId, { action: 'end', reason: 'published' });
    });
    // 5. The advisory generated, validated as CSAF, signed and published.
    const settings = providerSettings(runtime.config, VERSION);
    let advisoryId = '';
    const advisoryStart = performance.now();
    advisoryId = (await generateAdvisory(coordinator, caseId, {}, settings)).id;
    await publishAdvisory(coordinator, advisoryId, settings);
    times['advisory'] = performance.now() - advisoryStart;
    // 6. Operators notified: the reverse match, the fan-out, and signed deliveries to exactly those running it.
    const notifyStart = performance.now();
    await runtime.jobs.drain();
    times['notify'] = receiver.last() - notifyStart;

    const received = receiver.received;
    const exact = received.length === expected.size && received.every((r) => expected.has(r.path));
    const decisions = received.filter((r) =>
      (JSON.parse(r.body) as { data: AdvisoryNoticeData }).data.assets.every((a) => a.decision !== null),
    );
    for (const [name, ms] of Object.entries(times))
      report(`line.${database.dialect}.${name}_ms`, ms, {
        ...meta,
        // The process's first publication also loads the CSAF validator and makes the provider's OpenPGP key.
        ...(name === 'advisory' ? { firstInProcess: firstPublication } : {}),
      });
    firstPublication = false;
    report(
      `line.${database.dialect}.total_ms`,
      Object.values(times).reduce((a, b) => a + b, 0),
      {
        ...meta,
        goalMs: 60_000,
        advisoryId,
        delivered: received.length,
        expected: expected.size,
        exactlyTheAffected: exact,
        verified: received.filter((r) => r.verified).length,
        withDeployerDecision: decisions.length,
        humanStepsRecordedAtOnce: ['reproduction', 'acceptance verdict', 'vendor statement', 'statement approval', 'embargo end'],
      },
    );
    // Baseline, same run and receiver: the delivered bodies posted raw, the network floor of the last stage.
    const rawMs = await postAll(
      receiver.url,
      received.map((r) => r.body),
      64,
    );
    report(`line.${database.dialect}.baseline_raw_posts_ms`, rawMs, { ...meta, posts: received.length, baseline: true });
  } finally {
    await receiver.close();
    await runtime.close();
    await database.drop();
  }
}

/**
 * `npm run bench -- line`: the main line end to end for one vulnerability in a portfolio of operators
 * (default 10,000) — submitted, validated, prioritized, a case, its advisory signed and published, and
 * signed webhook deliveries to exactly the operators that run it — the time of each stage and the total, on
 * SQLite and PostgreSQL. Human steps (reproduction, verdict, statement, approval) are recorded at once.
 */
export async function benchLine(options: LineBenchOptions): Promise<void> {
  await runOn(benchSqlite('line'), options);
  const pg = await benchPostgres('line');
  if (pg !== null) await runOn(pg, options);
}
