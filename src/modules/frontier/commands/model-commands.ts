import {
  counted,
  enc,
  remoteCommand,
  respond,
  table,
  yesNo,
  type CommandDeps,
  type RemoteFlags as Flags,
} from '../../../platform/cli/index.js';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Page } from '../../../platform/db/index.js';
import { InputError } from '../../../platform/errors.js';
import type { FrontierPolicy } from '../domain/policy.js';
import { describeScore } from '../domain/partner-scoring.js';
import type { Determination, Model, Nomination } from '../presenters.js';
import type { Transparency } from '../presenters.js';
import * as models from '../service/models.js';
import * as partners from '../service/partners.js';
import * as policy from '../service/policy.js';
import * as metrics from '../service/metrics.js';

const modelLine = (m: Model) => [m.id, m.name, m.version, m.coveredStatus, m.plannedRelease];

function nominationText(n: Nomination): string {
  const signed = n.signOffs.map((s) => `${s.side} (${s.orgId})`).join(', ') || 'none yet';
  return [
    `nomination ${n.id}: ${n.candidateOrgId} for model ${n.modelId} — ${n.status}; sign-offs: ${signed}`,
    ...(n.status === 'selected' ? [selectionText(n)] : []),
    ...(n.score === null ? [] : describeScore(n.score)),
  ].join('\n');
}

/** What selection gave the partner, announced to whoever reads the nomination. */
function selectionText(n: Nomination): string {
  const { issued, readable } = n.grants;
  const grants = issued === 0 ? 'no review of the model is running' : `${counted(issued, 'grant')} issued on its running reviews`;
  const listed = readable.map((g) => `  grant ${g.id} on review ${g.reviewId}, ${g.startsAt} → ${g.expiresAt}`);
  const hidden =
    issued > readable.length ? [`  (the developer, the coordinator and the partner read the grants: \`frontier grant list\`)`] : [];
  return [
    `selected ${n.selectedAt ?? ''}: ${n.candidateOrgId} is a trusted partner for model ${n.modelId} — ${grants}, and one on every review opened later; the partner acknowledges each grant's terms before using it`,
    ...listed,
    ...hidden,
  ].join('\n');
}

/** `frontier model …`, `frontier partner …`, `frontier policy …`, `frontier metrics`. */
export function registerModelCommands(frontier: Command, deps: CommandDeps): void {
  const model = frontier.command('model').description('covered models');

  remoteCommand(model, 'register', 'enroll a model for voluntary review')
    .requiredOption('--name <name>', 'model name')
    // Not --version: the program itself answers that one, wherever it stands.
    .requiredOption('--model-version <version>', 'model version')
    .requiredOption('--planned-release <date>', 'planned release date or instant (informational)')
    .option('--modality <modality>', 'e.g. "text and code"')
    .option('--description <text>', 'what the model is')
    .option('--developer <orgId>', 'the developer organisation (local database only)')
    .action(
      async (
        flags: Flags & {
          name: string;
          modelVersion: string;
          plannedRelease: string;
          modality?: string;
          description?: string;
          developer?: string;
        },
      ) => {
        const input = {
          name: flags.name,
          version: flags.modelVersion,
          plannedRelease: flags.plannedRelease,
          modality: flags.modality,
          description: flags.description,
        };
        await respond(
          deps,
          flags,
          (rt) => models.registerModel(rt.ctx, { ...input, developerOrgId: flags.developer }),
          (api) => api.post<Model>('/api/v1/frontier/models', input),
          (m) => `enrolled ${m.name} ${m.version} (${m.id}); planned release ${m.plannedRelease}`,
        );
      },
    );

  remoteCommand(model, 'list', 'list the models you may see').action(async (flags: Flags) => {
    await respond(
      deps,
      flags,
      (rt) => models.listModels(rt.ctx, { limit: 500 }),
      (api) => api.get<Page<Model>>('/api/v1/frontier/models?limit=500'),
      (p) => table(['ID', 'NAME', 'VERSION', 'COVERED', 'PLANNED RELEASE'], p.items.map(modelLine)),
      { reads: true },
    );
  });

  remoteCommand(model, 'show', 'show one model')
    .argument('<id>', 'model id')
    .action(async (id: string, flags: Flags) => {
      await respond(
        deps,
        flags,
        (rt) => models.getModel(rt.ctx, id),
        (api) => api.get<Model>(`/api/v1/frontier/models/${enc(id)}`),
        (m) => table(['ID', 'NAME', 'VERSION', 'COVERED', 'PLANNED RELEASE'], [modelLine(m)]),
        { reads: true },
      );
    });

  remoteCommand(model, 'determine', 'record a covered-model determination (agencies, the coordinator)')
    .argument('<id>', 'model id')
    .requiredOption('--covered <yes|no>', 'whether the model is covered', yesNo('--covered'))
    .requiredOption('--assessment-ref <ref>', 'opaque reference to the assessment (never the assessment)')
    .option('--agency <orgId>', 'the determining agency (default: yours)')
    .action(async (id: string, flags: Flags & { covered: boolean; assessmentRef: string; agency?: string }) => {
      const input = { covered: flags.covered, assessmentRef: flags.assessmentRef, determinedByOrgId: flags.agency };
      await respond(
        deps,
        flags,
        (rt) => models.recordDetermination(rt.ctx, id, input),
        (api) => api.post<Determination>(`/api/v1/frontier/models/${enc(id)}/determinations`, input),
        (d) =>
          `model ${d.modelId} ${d.covered ? 'covered' : 'not covered'}, determined by ${d.determinedByOrgId} under policy version ${d.policyVersion}`,
      );
    });

  const partner = frontier.command('partner').description('trusted partners');

  remoteCommand(partner, 'nominate', 'nominate a trusted-partner candidate for a model')
    .requiredOption('--model <id>', 'model id')
    .requiredOption('--org <orgId>', 'the candidate organisation')
    .requiredOption('--rationale <text>', 'why this candidate')
    .option('--vetted', 'vetting of the candidate is completed')
    .option('--conflict', 'a conflict of interest is declared')
    .option('--ir-capacity <level>', 'incident-response capacity: none | basic | dedicated | continuous')
    .option('--scope <scope>', 'access scope once selected: hosted_api | weights_secure_enclave | sandbox')
    .action(
      async (
        flags: Flags & {
          model: string;
          org: string;
          rationale: string;
          vetted?: boolean;
          conflict?: boolean;
          irCapacity?: string;
          scope?: string;
        },
      ) => {
        const input = {
          candidateOrgId: flags.org,
          rationale: flags.rationale,
          vettingCompleted: flags.vetted === true,
          conflictOfInterestDeclared: flags.conflict === true,
          incidentResponseCapacity: flags.irCapacity,
          scope: flags.scope,
        };
        await respond(
          deps,
          flags,
          (rt) => partners.nominatePartner(rt.ctx, flags.model, input),
          (api) => api.post<Nomination>(`/api/v1/frontier/models/${enc(flags.model)}/partners`, input),
          nominationText,
        );
      },
    );

  remoteCommand(partner, 'score', 'score a candidate again under the policy in force')
    .argument('<id>', 'nomination id')
    .action(async (id: string, flags: Flags) => {
      await respond(
        deps,
        flags,
        (rt) => partners.scoreNomination(rt.ctx, id),
        (api) => api.request<Nomination>('POST', `/api/v1/frontier/partners/${enc(id)}/score`),
        nominationText,
      );
    });

  remoteCommand(partner, 'approve', "sign off on a candidate for your organisation's side (admins)")
    .argument('<id>', 'nomination id')
    .option('--note <text>', 'a note with the sign-off')
    .action(async (id: string, flags: Flags & { note?: string }) => {
      const input = { note: flags.note };
      await respond(
        deps,
        flags,
        (rt) => partners.signOffNomination(rt.ctx, id, input),
        (api) => api.post<Nomination>(`/api/v1/frontier/partners/${enc(id)}/approve`, input),
        nominationText,
      );
    });

  remoteCommand(partner, 'list', "a model's nominations")
    .requiredOption('--model <id>', 'model id')
    .action(async (flags: Flags & { model: string }) => {
      await respond(
        deps,
        flags,
        (rt) => partners.listNominations(rt.ctx, flags.model, { limit: 500 }),
        (api) => api.get<Page<Nomination>>(`/api/v1/frontier/models/${enc(flags.model)}/partners?limit=500`),
        (p) =>
          table(
            ['ID', 'CANDIDATE', 'STATUS', 'SCORE', 'SIGN-OFFS', 'GRANTS'],
            p.items.map((n) => [
              n.id,
              n.candidateOrgId,
              n.status,
              String(n.score?.score ?? ''),
              n.signOffs.map((s) => s.side).join(','),
              n.status === 'selected' ? String(n.grants.issued) : '',
            ]),
          ),
        { reads: true },
      );
    });

  const policyCommand = frontier.command('policy').description('the versioned program policy');
  remoteCommand(policyCommand, 'show', 'show the policy in force').action(async (flags: Flags) => {
    await respond(
      deps,
      flags,
      (rt) => policy.getPolicy(rt.ctx),
      (api) => api.get<FrontierPolicy>('/api/v1/frontier/policy'),
      (p) =>
        `policy version ${p.version} (${p.note}): windows of at most ${p.windowMaxDays} days; reminders ${p.reminderLeadHours.join(', ')} hours before closing`,
      { reads: true },
    );
  });

  remoteCommand(policyCommand, 'set', 'replace the policy with a new version from a JSON file (coordinator admins)')
    .argument('<file>', 'JSON policy document')
    .requiredOption('--note <text>', 'why it changes')
    .action(async (file: string, flags: Flags & { note: string }) => {
      let document: unknown;
      try {
        document = JSON.parse(await readFile(file, 'utf8'));
      } catch (error) {
        throw new InputError(`cannot read ${file} as JSON: ${(error as Error).message}`, [
          { pointer: '<file>', detail: 'must be a readable JSON file' },
        ]);
      }
      const input = { document, note: flags.note };
      await respond(
        deps,
        flags,
        (rt) => policy.updatePolicy(rt.ctx, input),
        (api) => api.request<FrontierPolicy>('PUT', '/api/v1/frontier/policy', input),
        (p) => `policy version ${p.version} in force: windows of at most ${p.windowMaxDays} days`,
      );
    });

  remoteCommand(frontier, 'metrics', 'aggregated program metrics and the criteria in force').action(async (flags: Flags) => {
    await respond(
      deps,
      flags,
      (rt) => metrics.programTransparency(rt.ctx),
      (api) => api.get<Transparency>('/api/v1/frontier/metrics'),
      (v) => {
        const m = v.metrics;
        return [
          `policy version ${v.policy.version}: windows of at most ${v.policy.windowMaxDays} days`,
          `models enrolled ${m.models.enrolled}, determined covered ${m.models.determinedCovered}`,
          `reviews ${m.reviews.total} (${Object.entries(m.reviews.byState)
            .map(([s, n]) => `${s} ${n}`)
            .join(', ')}); share ended early ${m.reviews.shareEndedEarly ?? '—'}`,
          `window days requested: mean ${m.windowDays.requested.mean ?? '—'}, max ${m.windowDays.requested.max ?? '—'}; used: mean ${m.windowDays.used.mean ?? '—'}`,
          `partners nominated ${m.partners.nominated}, selected ${m.partners.selected}; per model mean ${m.partners.selectedPerModel.mean ?? '—'}, max ${m.partners.selectedPerModel.max ?? '—'}`,
        ].join('\n');
      },
    );
  });
}
