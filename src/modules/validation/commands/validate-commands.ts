import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { collect, emit, queryOf, wholeNumber, withRemoteOptions, yesNo, type CommandDeps } from '../../../platform/cli/index.js';
import { InputError } from '../../../platform/errors.js';
import { EVIDENCE_KINDS } from '../domain/inputs.js';
import { addEvidence } from '../service/evidence.js';
import type { AttemptOutcome } from '../presenters.js';
import { claimValidationJob, releaseValidationJob, reportValidationJob, type ClaimAnswer } from '../service/jobs.js';
import type { Evidence, ValidationJob } from '../presenters.js';
import { dispatchActing, type ActingFlags as RemoteFlags } from '../../identity/index.js';

interface ReportFlags extends RemoteFlags {
  reproduced: boolean;
  fixedReproduced?: boolean;
  artifact: string;
  build: string;
  fixedBuild?: string;
  environment: string;
  notes?: string;
  step: string[];
}

/** A claimed job as the validator reads it: what to reproduce (the reports it may see), by when, and how to report. */
export function describeClaim(a: ClaimAnswer): string {
  if (a.job === null) return 'no validation job is open for your organisation';
  const c = a.cluster;
  const lines = [`claimed job ${a.job.id} on cluster ${a.job.clusterId}; report before ${a.job.leaseExpiresAt ?? '(no lease)'}`];
  if (c !== null) {
    lines.push(
      '',
      `what to reproduce: ${c.title ?? '(no title)'}`,
      `  affected: ${c.targetIdentity ?? 'not stated'}`,
      ...(c.aliases.length > 0 ? [`  known as: ${c.aliases.join(', ')}`] : []),
      ...(c.cwes.length > 0 ? [`  weakness: ${c.cwes.join(', ')}`] : []),
      `  reports you may read (${c.findings.length}):`,
      ...c.findings.map(
        (f) => `    ${f.id}  ${f.title ?? '(no title)'}  [${f.format}${f.tool ? `, ${f.tool}` : ''}${f.model ? `, ${f.model}` : ''}]`,
      ),
      `  the full reports: clearinghouse cluster show ${c.id}`,
    );
  }
  lines.push(
    '',
    `then: clearinghouse validate report ${a.job.id} --reproduced yes|no --artifact <what you ran> --build <version> --environment <sandbox>`,
  );
  return lines.join('\n');
}

interface EvidenceFlags extends RemoteFlags {
  kind?: string;
  tlp?: string;
  attempt?: string;
  name?: string;
  recipientOrg: string[];
  recipientUser: string[];
}

/** `validate evidence CLUSTER FILE`: the file's bytes, as the evidence route takes them, locally or through the API. */
function registerEvidenceUpload(validate: Command, deps: CommandDeps): void {
  withRemoteOptions(
    validate
      .command('evidence')
      .description(
        'attach evidence (a proof of concept, a log, reproduction steps) to a cluster you may see; TLP:RED unless told otherwise',
      )
      .argument('<cluster>', 'cluster id')
      .argument('<file>', 'the evidence file, stored byte for byte')
      .option('--kind <kind>', EVIDENCE_KINDS.join(' | '))
      .option('--tlp <label>', 'who may read it (default RED: you and the users you name)')
      .option('--attempt <id>', 'attach it to your organisation’s attempt on this cluster')
      .option('--name <filename>', 'the file name to record (default the file’s own)')
      .option('--recipient-org <id>', 'share with this organisation (repeatable; not at TLP:RED)', collect, [])
      .option('--recipient-user <id>', 'share with this user (repeatable; TLP:RED reaches only these)', collect, [])
      .option('--org <id>', 'local database only: act as this organisation’s admin')
      .option('--json', 'print JSON'),
  ).action(async (clusterId: string, file: string, flags: EvidenceFlags) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      throw new InputError(`cannot read ${file}: ${(error as Error).message}`, [{ pointer: '<file>', detail: 'must be a readable file' }]);
    }
    const filename = flags.name ?? basename(file);
    const evidence = await dispatchActing<Evidence>(
      deps,
      flags,
      (ctx) =>
        addEvidence(ctx, clusterId, {
          bytes,
          filename,
          kind: flags.kind,
          tlp: flags.tlp,
          attemptId: flags.attempt,
          mediaType: 'application/octet-stream',
          recipients: { orgIds: flags.recipientOrg, userIds: flags.recipientUser },
        }),
      (api) =>
        api.request<Evidence>(
          'POST',
          `/api/v1/validation/clusters/${encodeURIComponent(clusterId)}/evidence${queryOf({
            filename,
            kind: flags.kind,
            tlp: flags.tlp,
            attemptId: flags.attempt,
            recipientOrgs: flags.recipientOrg.length > 0 ? flags.recipientOrg.join(',') : undefined,
            recipientUsers: flags.recipientUser.length > 0 ? flags.recipientUser.join(',') : undefined,
          })}`,
          bytes,
          'application/octet-stream',
        ),
    );
    emit(
      deps.output,
      flags.json,
      evidence,
      (e) => `attached ${e.filename} (${e.id}, ${e.size} bytes, TLP:${e.tlp}) to cluster ${clusterId}`,
    );
  });
}

/** `validate claim|report|release|evidence`: validation jobs for partner sandboxes, and evidence. */
export function registerValidateCommands(program: Command, deps: CommandDeps): void {
  const validate = program
    .command('validate')
    .description('validation jobs: claim one with a lease, reproduce it in your sandbox, report the outcome');

  withRemoteOptions(
    validate
      .command('claim')
      .description('claim the next validation job your organisation may take')
      .option('--lease-hours <n>', 'how long to hold it (default and maximum from the policy)', wholeNumber('--lease-hours'))
      .option('--org <id>', 'local database only: act as this organisation’s admin')
      .option('--json', 'print JSON {"job", "cluster"}'),
  ).action(async (flags: RemoteFlags & { leaseHours?: number }) => {
    const answer = await dispatchActing<ClaimAnswer>(
      deps,
      flags,
      (ctx) => claimValidationJob(ctx, { leaseHours: flags.leaseHours }),
      (api) => api.post<ClaimAnswer>(`/api/v1/validation/jobs/claim${queryOf({ leaseHours: flags.leaseHours })}`, {}),
    );
    emit(deps.output, flags.json, answer, describeClaim);
  });

  withRemoteOptions(
    validate
      .command('report')
      .description('report a claimed job: what you ran and whether it reproduced')
      .argument('<job>', 'job id')
      .requiredOption('--reproduced <yes|no>', 'reproduced on the affected build', yesNo('--reproduced'))
      .requiredOption('--artifact <what>', 'what you ran against: package URL, repository, image')
      .requiredOption('--build <build>', 'the affected version, commit or image digest')
      .requiredOption('--environment <text>', 'OS, runtime, configuration, sandbox')
      .option('--fixed-build <build>', 'a fixed build you tried')
      .option('--fixed-reproduced <yes|no>', 'reproduced on the fixed build (with --fixed-build)', yesNo('--fixed-reproduced'))
      .option('--notes <text>', 'anything else')
      .option('--step <text>', 'a reproduction step, repeatable, in order', collect, [])
      .option('--org <id>', 'local database only: act as this organisation’s admin')
      .option('--json', 'print JSON'),
  ).action(async (jobId: string, flags: ReportFlags) => {
    const body = Object.fromEntries(
      Object.entries({
        artifact: flags.artifact,
        affectedBuild: flags.build,
        fixedBuild: flags.fixedBuild,
        environment: flags.environment,
        reproducedOnAffected: flags.reproduced,
        reproducedOnFixed: flags.fixedReproduced,
        notes: flags.notes,
        steps: flags.step.length > 0 ? flags.step : undefined,
      }).filter(([, v]) => v !== undefined),
    );
    const outcome = await dispatchActing<AttemptOutcome>(
      deps,
      flags,
      (ctx) => reportValidationJob(ctx, jobId, body),
      (api) => api.post<AttemptOutcome>(`/api/v1/validation/jobs/${encodeURIComponent(jobId)}/report`, body),
    );
    emit(
      deps.output,
      flags.json,
      outcome,
      (o) =>
        `${o.attempt.confirms ? 'confirmed' : 'not confirmed'}; cluster ${o.attempt.clusterId} is ${o.state} (${o.quorum.confirmations} of ${o.quorum.needed} confirmations)`,
    );
  });

  withRemoteOptions(
    validate
      .command('release')
      .description('give a claimed job back to the pool')
      .argument('<job>', 'job id')
      .option('--org <id>', 'local database only: act as this organisation’s admin')
      .option('--json', 'print JSON'),
  ).action(async (jobId: string, flags: RemoteFlags) => {
    const job = await dispatchActing<ValidationJob>(
      deps,
      flags,
      (ctx) => releaseValidationJob(ctx, jobId),
      (api) => api.post<ValidationJob>(`/api/v1/validation/jobs/${encodeURIComponent(jobId)}/release`, {}),
    );
    emit(deps.output, flags.json, job, (j) => `released job ${j.id} on cluster ${j.clusterId}`);
  });

  registerEvidenceUpload(validate, deps);
}
