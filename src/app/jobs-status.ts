import { Type, type Static } from '@sinclair/typebox';
import { holds } from '../modules/identity/index.js';
import type { ServiceContext } from '../platform/context.js';
import { NotFoundError } from '../platform/errors.js';
import { Nullable, StringEnum, type HttpApp, type RouteDeps, routeKit } from '../platform/http/index.js';
import { findWork, jobCountsByKind, workCountsByKind, workJobCounts, workState, type WorkStatus } from '../platform/jobs/index.js';

const CountsSchema = Type.Object({
  kind: Type.String(),
  pending: Type.Integer({ description: 'queued, including those waiting to be retried' }),
  running: Type.Integer(),
  failed: Type.Integer({ description: 'gave up after their last attempt' }),
});

const JobsStatusSchema = Type.Object({
  scope: StringEnum(['all', 'own']),
  jobs: Nullable(
    Type.Array(CountsSchema, { description: 'per job kind (`event:<consumer>` for event deliveries); coordinator staff only' }),
  ),
  works: Type.Array(CountsSchema, { description: 'per kind of work (what started it), each work counted once' }),
  work: Nullable(
    Type.Object({
      id: Type.String(),
      kind: Type.String(),
      state: StringEnum(['pending', 'running', 'failed', 'done']),
      jobs: Nullable(
        Type.Object(
          { pending: Type.Integer(), running: Type.Integer(), failed: Type.Integer(), done: Type.Integer() },
          { description: "the work's jobs, its whole cascade; coordinator staff only" },
        ),
      ),
    }),
  ),
});

/**
 * The background work a caller may see (DESIGN §5, derived data). Coordinator staff, who read every record,
 * count every job per kind. Anyone else sees only the works of their own organisation, each counted once
 * by what started it (an SBOM upload), and a work's state without its job counts: a job is enqueued per
 * advisory an upload matched, hidden advisories included, so counting them would reveal records.
 */
export type JobsStatus = Static<typeof JobsStatusSchema>;

/**
 * What is queued, running and failed in the background, as far as the caller may see it; with `workId`,
 * that work too (your organisation's, or any for coordinator staff).
 * @throws NotFoundError for a work that does not exist or that the caller may not see.
 */
export async function jobsStatus(ctx: ServiceContext, workId?: string): Promise<JobsStatus> {
  const executor = ctx.db.kysely;
  const all = holds(ctx.actor, 'governance.jobs.oversee');
  const orgId = ctx.actor.kind === 'user' ? ctx.actor.orgId : null;
  let work: WorkStatus | null = null;
  if (workId !== undefined) {
    const found = await findWork(executor, workId);
    if (found === undefined || !(all || (found.orgId !== null && found.orgId === orgId))) throw new NotFoundError(`no work ${workId}`);
    const counts = await workJobCounts(executor, workId);
    work = { id: found.id, kind: found.kind, state: workState(counts), jobs: all ? counts : null };
  }
  if (all) return { scope: 'all', jobs: await jobCountsByKind(executor), works: await workCountsByKind(executor), work };
  return { scope: 'own', jobs: null, works: orgId === null ? [] : await workCountsByKind(executor, orgId), work };
}

const { auth, spec, answers } = routeKit('jobs');

/** `GET /api/v1/jobs/status`. */
export function jobsRoutes(app: HttpApp, deps: RouteDeps): void {
  app.get(
    '/api/v1/jobs/status',
    {
      ...auth,
      schema: spec('Background work: what is queued, running and failed, as far as you may see it', {
        description:
          'Coordinator admins and analysts count every job per kind. Everyone else sees their own organisation’s works ' +
          '(an import, an upload and everything it set off), each counted once, and one work’s state without job counts. ' +
          'Imports and uploads answer the id of the work they queued (`work.id`); `?work=` follows it.',
        querystring: Type.Object({ work: Type.Optional(Type.String({ maxLength: 64, description: 'a work id (`work_…`)' })) }),
        response: answers(JobsStatusSchema),
      }),
    },
    (request) => jobsStatus(deps.contextFor(request), request.query.work),
  );
}
