import { asActor, type ServiceContext } from '../../../platform/context.js';
import { adminActorOf } from '../../identity/index.js';
import { NATIVE_FINDINGS_SCHEMA, submitDocument } from '../../intake/index.js';
import { asSystem } from './access.js';
import { recordAttempt } from './attempts.js';
import { addEvidence } from './evidence.js';
import { claimValidationJob, releaseValidationJob, reportValidationJob } from './jobs.js';
import { syncClusters } from './triage-sync.js';
import { setVerdict } from './verdicts.js';

/** The organisations the validation demo plays with. */
export interface ValidationDemoCast {
  /** The frontier lab whose AI scanner reports two findings. */
  readonly labOrgId: string;
  /** The agency that reproduces them in its sandbox. */
  readonly agencyOrgId: string;
}

export interface ValidationDemo {
  readonly submissionId: string;
  /** Reproduced by the agency: valid. */
  readonly validatedClusterId: string;
  /** Not reproduced, then invalidated by the coordinator as a false positive. */
  readonly invalidatedClusterId: string;
  readonly attemptIds: readonly string[];
  readonly evidenceId: string;
}

const REPOSITORY = { repository: { url: 'https://github.com/openwire/openwire', commit: '9f2c1e7a4b' } };

function labScan(): Uint8Array {
  const findings = [
    {
      title: 'Heap buffer overflow in the frame parser',
      description: 'parse_frame trusts the 16-bit length field of a continuation frame and copies it into a 4 KiB buffer.',
      target: REPOSITORY,
      cwe: ['CWE-122'],
      location: { path: 'src/proto/frame.c', function: 'parse_frame', startLine: 212 },
      cvssVector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H',
      evidence: {
        reproductionSteps: ['build with AddressSanitizer', 'send a continuation frame with length 0xFFFF'],
        affectedBuild: '3.8.1',
        fixedBuild: '3.8.2',
      },
    },
    {
      title: 'SQL injection in the audit export',
      description: 'export_audit formats the ORDER BY clause with a Python f-string.',
      target: REPOSITORY,
      cwe: ['CWE-89'],
      location: { path: 'tools/export_audit.py', function: 'export_audit', startLine: 48 },
    },
  ];
  const provenance = { tool: { name: 'Meridian Sentinel', version: '2.1' }, model: { name: 'Atlas', version: '3.0' }, aiGenerated: true };
  return new TextEncoder().encode(JSON.stringify({ schema: NATIVE_FINDINGS_SCHEMA.properties.schema.const, provenance, findings }));
}

const ASAN_LOG = `==4711==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x619000000480
WRITE of size 65535 at 0x619000000480 thread T0
    #0 0x4f2a31 in __asan_memcpy
    #1 0x5173c2 in parse_frame src/proto/frame.c:219
`;

/**
 * The validation part of `clearinghouse demo`, through the same use cases the API runs: the lab submits two
 * AI-scanner findings (TLP:AMBER, shared with the agency); the agency claims the first as a validation job,
 * reproduces it on 3.8.1 but not on 3.8.2 and attaches its sanitizer log (TLP:RED), which makes the
 * cluster valid; it fails to reproduce the second, and the coordinator invalidates that one as a false
 * positive with a note the lab reads. `ctx` must act as the system (the local CLI).
 */
export async function seedValidationDemo(ctx: ServiceContext, cast: ValidationDemoCast): Promise<ValidationDemo> {
  const system = asSystem(ctx);
  const lab = asActor(ctx, await adminActorOf(system, cast.labOrgId));
  const agency = asActor(ctx, await adminActorOf(system, cast.agencyOrgId));
  const coordinator = asActor(ctx, await adminActorOf(system));
  const answer = await submitDocument(lab, {
    bytes: labScan(),
    filename: 'meridian-sentinel-openwire.json',
    tlp: 'AMBER',
    recipients: { orgIds: [cast.agencyOrgId] },
  });
  const [overflow, injection] = answer.findings.map((f) => f.clusterId);
  if (overflow === undefined || injection === undefined) throw new Error('the demo scan did not yield two clusters');
  // The event consumer would do this a moment later; the demo wants the queue filled now.
  await syncClusters(system, [overflow, injection], { type: 'submission', id: answer.submission.id });

  const reproduction = {
    artifact: REPOSITORY.repository.url,
    affectedBuild: '3.8.1',
    fixedBuild: '3.8.2',
    environment: 'agency reproduction sandbox: Debian 12, gcc 12.2, AddressSanitizer',
    reproducedOnAffected: true,
    reproducedOnFixed: false,
    steps: ['build 3.8.1 and 3.8.2 with -fsanitize=address', 'replay the continuation frame from the report against each'],
    assessment: { automatable: 'yes', technicalImpact: 'total' },
  };
  const claim = await claimValidationJob(agency);
  let confirmed;
  if (claim.job !== null && claim.job.clusterId === overflow) {
    confirmed = await reportValidationJob(agency, claim.job.id, reproduction);
  } else {
    if (claim.job !== null) await releaseValidationJob(agency, claim.job.id);
    confirmed = await recordAttempt(agency, overflow, reproduction);
  }
  const evidence = await addEvidence(agency, overflow, {
    bytes: new TextEncoder().encode(ASAN_LOG),
    filename: 'asan-parse_frame.txt',
    kind: 'log',
    attemptId: confirmed.attempt.id,
  });

  const refuted = await recordAttempt(agency, injection, {
    artifact: REPOSITORY.repository.url,
    affectedBuild: '3.8.1',
    environment: 'agency reproduction sandbox: Python 3.12, PostgreSQL 16',
    reproducedOnAffected: false,
    notes: 'The ORDER BY column comes from a fixed allow-list; every value is bound as a parameter.',
  });
  await setVerdict(coordinator, injection, {
    state: 'invalid',
    reason: 'false_positive',
    note: 'export_audit only interpolates a column name checked against a fixed allow-list; all values are bound parameters. Not exploitable.',
  });
  return {
    submissionId: answer.submission.id,
    validatedClusterId: overflow,
    invalidatedClusterId: injection,
    attemptIds: [confirmed.attempt.id, refuted.attempt.id],
    evidenceId: evidence.id,
  };
}
