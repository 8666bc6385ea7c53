import path from 'node:path';
import { tempDirForTest } from '#test-support/temp-dir.js';
import type { TestRuntime, TestUser } from '#test-support/runtime.js';
import { addParticipant, decideStatement, moveEmbargo, openCase, setStatement, type CaseDetail } from '../../cases/index.js';
import { NATIVE_FINDINGS_SCHEMA, recordClusterState, submitDocument } from '../../intake/index.js';
import type { Tlp } from '../../../platform/tlp.js';
import type { RecipientInput } from '../../identity/index.js';
import type { ProviderSettings } from '../service/advisories.js';

export interface AdvisoryScene {
  readonly researcher: TestUser;
  readonly acme: TestUser;
  readonly globex: TestUser;
  readonly outsider: TestUser;
  readonly opened: CaseDetail;
  readonly clusterId: string;
}

/**
 * Provider settings with a signing key file of its own (created at the first publication), in a directory
 * removed when the test ends: each run of the suite left twenty of them, private keys included, in /tmp.
 */
export function testProviderSettings(dir = tempDirForTest('csaf-key-')): ProviderSettings {
  return {
    baseUrl: 'https://clearinghouse.test',
    publisher: {
      name: 'Clearinghouse Coordination Center',
      namespace: 'https://clearinghouse.test',
      contactDetails: 'cert@clearinghouse.test',
    },
    keyFile: path.join(dir, 'csaf-openpgp-key.asc'),
    engineVersion: '0.0.0-test',
    cna: { orgId: '8254265b-2729-46b6-b9e3-3dfca2d5bfca', shortName: 'clearinghouse' },
  };
}

let counter = 0;

/** An accepted cluster from one native finding by `reporter` about `@acme/widget` 2.4.0, aliased `cve`. */
export async function acceptedClusterOf(
  t: TestRuntime,
  reporter: TestUser,
  cve: string,
  sharing: { tlp: Tlp; recipients: RecipientInput } = { tlp: 'AMBER', recipients: {} },
  credit: Record<string, unknown> = { mode: 'named', name: 'Ada Researcher' },
): Promise<string> {
  counter += 1;
  const answer = await submitDocument(t.as(reporter), {
    bytes: Buffer.from(
      JSON.stringify({
        schema: NATIVE_FINDINGS_SCHEMA.properties.schema.const,
        provenance: { tool: { name: 'deepscan', version: '1.4.0' }, aiGenerated: false },
        findings: [
          {
            title: 'Path traversal in archive extraction',
            description: 'Archive entries are written outside the target directory.',
            target: { purl: 'pkg:npm/%40acme/widget@2.4.0' },
            cwe: ['CWE-22'],
            cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N',
            credit,
            aliases: [cve],
            location: { path: `lib/extract_${counter}.js`, function: `extract_${counter}` },
          },
        ],
      }),
    ),
    tlp: sharing.tlp,
    recipients: sharing.recipients,
  });
  await t.runtime.jobs.drain();
  const clusterId = answer.findings[0]!.clusterId;
  await recordClusterState(t.runtime.db.kysely, clusterId, 'accepted', t.clock.now().toISOString());
  return clusterId;
}

/**
 * The demo case: a researcher's accepted report of `cve` (CVE-2026-4343) in `@acme/widget` 2.4.0, vendors ACME
 * (fixed in 2.4.1) and Globex (not affected) taking part with approved statements, and an accepted embargo
 * ending 2026-07-01. An outsider vendor takes no part. The researcher asks to be credited as `credit` says (default:
 * named, as Ada Researcher).
 */
export async function embargoedCase(t: TestRuntime, cve = 'CVE-2026-4343', credit?: Record<string, unknown>): Promise<AdvisoryScene> {
  const researcher = await t.org('researcher');
  // GREEN: the vendors taking part read the report, and so the CVE id it names (an advisory tells only that).
  const clusterId = await acceptedClusterOf(t, researcher, cve, { tlp: 'GREEN', recipients: {} }, credit);
  const coordinator = t.as(t.coordinatorAdmin);
  const opened = await openCase(coordinator, { clusterIds: [clusterId], title: 'Path traversal in ACME Widget' });
  const acme = await t.org('vendor', { name: `ACME ${counter}` });
  const globex = await t.org('vendor', { name: `Globex ${counter}` });
  const outsider = await t.org('vendor');
  for (const vendor of [acme, globex]) await addParticipant(coordinator, opened.id, { orgId: vendor.orgId });
  const fixed = await setStatement(t.as(acme), opened.id, {
    clusterId,
    status: 'fixed',
    product: { purl: 'pkg:npm/%40acme/widget@2.4.0' },
    fixedVersions: ['2.4.1'],
    fixUrl: 'https://acme.example/widget/2.4.1',
  });
  const notAffected = await setStatement(t.as(globex), opened.id, {
    clusterId,
    status: 'not_affected',
    product: { name: 'gadget', version: '3.1' },
    justification: 'vulnerable_code_not_present',
    impactStatement: 'Gadget does not extract archives.',
  });
  for (const s of [fixed, notAffected]) await decideStatement(coordinator, s.id, { approve: true, version: s.version });
  await moveEmbargo(t.as(acme), opened.id, { action: 'propose', endsAt: '2026-07-01T17:00:00Z' });
  await moveEmbargo(coordinator, opened.id, { action: 'accept' });
  return { researcher, acme, globex, outsider, opened, clusterId };
}
