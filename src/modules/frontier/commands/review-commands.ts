import {
  dispatch,
  emit,
  enc,
  finiteNumber,
  remoteCommand,
  respond,
  table,
  wholeNumber,
  type CommandDeps,
  type RemoteFlags as Flags,
} from '../../../platform/cli/index.js';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Page } from '../../../platform/db/index.js';
import { InputError } from '../../../platform/errors.js';
import { GRANT_TERM_KEYS } from '../domain/grant-rules.js';
import { renderReportHtml } from '../domain/report-html.js';
import type { ReviewReport } from '../domain/review-report.js';
import type { Evaluation, Grant, Review, TimelineEntry } from '../presenters.js';
import * as evaluations from '../service/evaluations.js';
import * as grants from '../service/grants.js';
import * as report from '../service/report.js';
import * as reviews from '../service/reviews.js';

function reviewText(r: Review): string {
  const countdown = r.countdown.until === 'closed' ? 'closed' : `${r.countdown.until} in ${r.countdown.remaining}`;
  return `review ${r.id} of model ${r.modelId}: ${r.state}, ${countdown}\n  window ${r.windowStartLocal} → ${r.windowEndLocal} (${r.timeZone}; ${r.days} days; policy version ${r.policyVersion})`;
}

const grantLine = (g: Grant) => [g.id, g.granteeOrgId, g.scope, g.status, g.expiresAt];

/** `frontier review …`, `frontier grant …`, `frontier eval …`. */
export function registerReviewCommands(frontier: Command, deps: CommandDeps): void {
  const review = frontier.command('review').description('review windows');

  remoteCommand(review, 'open', 'open a review window for a model (developers)')
    .requiredOption('--model <id>', 'model id')
    .requiredOption('--start <instant>', 'when access begins: ISO 8601 with an offset, or "now"')
    .requiredOption('--days <n>', 'window length in days (at most the policy maximum)', wholeNumber('--days'))
    .option('--time-zone <zone>', 'IANA time zone to show the window in', 'UTC')
    .action(async (flags: Flags & { model: string; start: string; days: number; timeZone: string }) => {
      // "now" is this clock's instant: the local database's clock, or this machine's when the server decides.
      const input = (now: Date) => ({
        modelId: flags.model,
        accessStart: flags.start.trim().toLowerCase() === 'now' ? now.toISOString() : flags.start,
        days: flags.days,
        timeZone: flags.timeZone,
      });
      await respond(
        deps,
        flags,
        (rt) => reviews.openReview(rt.ctx, input(rt.ctx.clock.now())),
        (api) => api.post<Review>('/api/v1/frontier/reviews', input(new Date())),
        reviewText,
      );
    });

  remoteCommand(review, 'extend', 'extend a review within the policy maximum')
    .argument('<id>', 'review id')
    .requiredOption('--days <n>', 'additional days', wholeNumber('--days'))
    .action(async (id: string, flags: Flags & { days: number }) => {
      const input = { additionalDays: flags.days };
      await respond(
        deps,
        flags,
        (rt) => reviews.extendReview(rt.ctx, id, input),
        (api) => api.post<Review>(`/api/v1/frontier/reviews/${enc(id)}/extend`, input),
        reviewText,
      );
    });

  for (const [verb, description] of [
    ['end', 'end a review early'],
    ['withdraw', 'withdraw from a review'],
  ] as const) {
    remoteCommand(review, verb, description)
      .argument('<id>', 'review id')
      .option('--reason <text>', 'why')
      .action(async (id: string, flags: Flags & { reason?: string }) => {
        const input = { reason: flags.reason };
        const local = verb === 'end' ? reviews.endReview : reviews.withdrawReview;
        await respond(
          deps,
          flags,
          (rt) => local(rt.ctx, id, input),
          (api) => api.post<Review>(`/api/v1/frontier/reviews/${enc(id)}/${verb}`, input),
          reviewText,
        );
      });
  }

  remoteCommand(review, 'show', 'show a review, its countdown and its timeline')
    .argument('<id>', 'review id')
    .action(async (id: string, flags: Flags) => {
      await respond(
        deps,
        flags,
        async (rt) => ({ review: await reviews.getReview(rt.ctx, id), timeline: await reviews.reviewTimeline(rt.ctx, id) }),
        async (api) => ({
          review: await api.get<Review>(`/api/v1/frontier/reviews/${enc(id)}`),
          timeline: (await api.get<{ items: TimelineEntry[] }>(`/api/v1/frontier/reviews/${enc(id)}/timeline`)).items,
        }),
        (s) => [reviewText(s.review), ...s.timeline.map((e) => `  ${e.at}  ${e.kind}  by ${e.actor}`)].join('\n'),
        { reads: true },
      );
    });

  remoteCommand(review, 'list', 'list the reviews you may see')
    .option('--model <id>', 'only this model')
    .action(async (flags: Flags & { model?: string }) => {
      const query = flags.model === undefined ? '' : `&modelId=${enc(flags.model)}`;
      await respond(
        deps,
        flags,
        (rt) => reviews.listReviews(rt.ctx, { limit: 500, modelId: flags.model }),
        (api) => api.get<Page<Review>>(`/api/v1/frontier/reviews?limit=500${query}`),
        (p) =>
          table(
            ['ID', 'MODEL', 'STATE', 'WINDOW END', 'DAYS'],
            p.items.map((r) => [r.id, r.modelId, r.state, r.windowEnd, String(r.days)]),
          ),
        { reads: true },
      );
    });

  remoteCommand(review, 'report', 'the review report (informational, never a verdict)')
    .argument('<id>', 'review id')
    .option('--html', 'print the HTML page')
    .action(async (id: string, flags: Flags & { html?: boolean }) => {
      const built = await dispatch(
        deps,
        flags,
        (rt) => report.reviewReport(rt.ctx, id),
        (api) => api.get<ReviewReport>(`/api/v1/frontier/reviews/${enc(id)}/report`),
        { reads: true },
      );
      // The page is rendered here from the JSON report, so that it is the same locally and remotely.
      if (flags.html === true) return deps.output.out(renderReportHtml(built));
      emit(deps.output, flags.json, built, (r) =>
        [
          `${r.final ? 'Final' : 'Draft'} report: ${r.model.name} ${r.model.version}`,
          r.notice,
          `evaluations ${r.summary.evaluations}, at or beyond reference ${r.summary.atOrBeyondReference}, unscored ${r.summary.unscored}, open risk findings ${r.summary.openRiskFindings}`,
        ].join('\n'),
      );
    });

  const grant = frontier.command('grant').description('access grants');

  remoteCommand(grant, 'create', 'grant an agency or a selected partner access (developers)')
    .requiredOption('--review <id>', 'review id')
    .requiredOption('--grantee <orgId>', 'the grantee organisation')
    .requiredOption('--scope <scope>', 'hosted_api | weights_secure_enclave | sandbox')
    .requiredOption('--expires <instant>', "expiry, at or before the window's end")
    .option('--credential-ref <ref>', "where the developer's system issues credentials")
    .action(async (flags: Flags & { review: string; grantee: string; scope: string; expires: string; credentialRef?: string }) => {
      const input = { granteeOrgId: flags.grantee, scope: flags.scope, expiresAt: flags.expires, credentialRef: flags.credentialRef };
      await respond(
        deps,
        flags,
        (rt) => grants.createGrant(rt.ctx, flags.review, input),
        (api) => api.post<Grant>(`/api/v1/frontier/reviews/${enc(flags.review)}/grants`, input),
        (g) => `grant ${g.id} to ${g.granteeOrgId}: ${g.scope} until ${g.expiresAt} (${g.status})`,
      );
    });

  remoteCommand(grant, 'list', 'list the grants you may see')
    .option('--review <id>', 'only this review')
    .action(async (flags: Flags & { review?: string }) => {
      const query = flags.review === undefined ? '' : `&reviewId=${enc(flags.review)}`;
      await respond(
        deps,
        flags,
        (rt) => grants.listGrants(rt.ctx, { limit: 500, reviewId: flags.review }),
        (api) => api.get<Page<Grant>>(`/api/v1/frontier/grants?limit=500${query}`),
        (p) => table(['ID', 'GRANTEE', 'SCOPE', 'STATUS', 'EXPIRES'], p.items.map(grantLine)),
        { reads: true },
      );
    });

  remoteCommand(grant, 'acknowledge', 'acknowledge every term of a grant (the grantee)')
    .argument('<id>', 'grant id')
    .action(async (id: string, flags: Flags) => {
      const input = { terms: [...GRANT_TERM_KEYS] };
      await respond(
        deps,
        flags,
        (rt) => grants.acknowledgeGrant(rt.ctx, id, input),
        (api) => api.post<Grant>(`/api/v1/frontier/grants/${enc(id)}/acknowledge`, input),
        (g) => `grant ${g.id} is ${g.status}`,
      );
    });

  remoteCommand(grant, 'revoke', 'revoke a grant (developers)')
    .argument('<id>', 'grant id')
    .option('--reason <reason>', 'developer_decision | for_cause | no_longer_needed', 'developer_decision')
    .action(async (id: string, flags: Flags & { reason: string }) => {
      const input = { reason: flags.reason };
      await respond(
        deps,
        flags,
        (rt) => grants.revokeGrant(rt.ctx, id, input),
        (api) => api.post<Grant>(`/api/v1/frontier/grants/${enc(id)}/revoke`, input),
        (g) => `grant ${g.id} is ${g.status}`,
      );
    });

  const evaluation = frontier.command('eval').description('evaluation results');

  remoteCommand(evaluation, 'import', 'import an Inspect log (.json or .eval) for a review')
    .argument('<file>', 'the log file')
    .requiredOption('--review <id>', 'review id')
    .option('--title <title>', 'a title for the evaluation')
    .action(async (file: string, flags: Flags & { review: string; title?: string }) => {
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (error) {
        throw new InputError(`cannot read ${file}: ${(error as Error).message}`, [
          { pointer: '<file>', detail: 'must be a readable file' },
        ]);
      }
      const filename = file.split(/[\\/]/).pop() ?? file;
      const query = `?filename=${enc(filename)}${flags.title === undefined ? '' : `&title=${enc(flags.title)}`}`;
      await respond(
        deps,
        flags,
        (rt) => evaluations.importInspectLog(rt.ctx, flags.review, { bytes, filename, title: flags.title }),
        (api) =>
          api.request<Evaluation>(
            'POST',
            `/api/v1/frontier/reviews/${enc(flags.review)}/evaluations/inspect${query}`,
            bytes,
            'application/octet-stream',
          ),
        (e) =>
          [
            `evaluation ${e.id}: ${e.title}`,
            ...e.measurements.map((m) => `  ${m.benchmark} ${m.scorer ?? ''} ${m.metric} = ${m.value ?? 'unscored'}`),
          ].join('\n'),
      );
    });

  remoteCommand(evaluation, 'benchmark', 'attach a named cyber benchmark result to a review')
    .requiredOption('--review <id>', 'review id')
    .requiredOption('--benchmark <name>', 'Cybench, CyberSecEval, CVE-Bench, CyberGym, BountyBench, …')
    .requiredOption('--metric <metric>', 'e.g. success_rate')
    .requiredOption('--value <number>', 'the result', finiteNumber('--value'))
    .option('--samples <n>', 'how many tasks', wholeNumber('--samples'))
    .action(async (flags: Flags & { review: string; benchmark: string; metric: string; value: number; samples?: number }) => {
      const input = { results: [{ benchmark: flags.benchmark, metric: flags.metric, value: flags.value, samples: flags.samples }] };
      await respond(
        deps,
        flags,
        (rt) => evaluations.addBenchmarkResults(rt.ctx, flags.review, input),
        (api) => api.post<Evaluation>(`/api/v1/frontier/reviews/${enc(flags.review)}/evaluations/benchmarks`, input),
        (e) => `evaluation ${e.id}: ${e.title}`,
      );
    });
}
