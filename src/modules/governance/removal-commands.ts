import type { Command } from 'commander';
import {
  describeQueued,
  dispatch,
  dispatchWaiting,
  emit,
  enc,
  remoteCommand,
  respond,
  withWaitOption,
  type CommandDeps,
  type RemoteFlags as Flags,
  type WaitOutcome,
} from '../../platform/cli/index.js';
import type { Removal, RemovalRequest } from './presenters.js';
import { getRemoval, removalWorks, requestOrgRemoval } from './service/removals.js';

function removalText(r: Removal): string {
  const removed = Object.entries(r.removed);
  const total = removed.reduce((n, [, c]) => n + c, 0);
  return [
    `removal ${r.id} of organisation ${r.orgId}: ${r.status}${r.completedAt === null ? '' : ` at ${r.completedAt}`}`,
    `  requested ${r.requestedAt} by ${r.requestedBy}${r.reason === null ? '' : ` — ${r.reason}`}`,
    `  ${total} records removed${removed.length === 0 ? '' : ` (${removed.map(([c, n]) => `${c} ${n}`).join(', ')})`}${
      r.held === null ? '' : `, ${r.held} kept under legal hold`
    }`,
    ...(r.work === null ? [] : [`  background work ${r.work.id}: ${r.work.state}`]),
  ].join('\n');
}

function requestText(r: RemovalRequest & { waited?: WaitOutcome }): string {
  return [
    r.created ? 'removal requested' : 'a removal of this organisation is already under way; nothing new was requested',
    removalText(r.removal),
    r.waited === undefined && r.removal.status !== 'completed'
      ? `follow with: clearinghouse removal show ${r.removal.id}, or pass --wait`
      : describeQueued(removalWorks(r.removal), r.waited),
  ].join('\n');
}

/** `clearinghouse removal request|show`: an organisation's data removed as it leaves, as a background job. */
export function registerRemovalCommands(program: Command, deps: CommandDeps): void {
  const removal = program
    .command('removal')
    .description("an organisation's data removed as it leaves (legal holds and the published record kept)");

  withWaitOption(
    remoteCommand(removal, 'request', "ask for an organisation's data to be removed (its admins; coordinator admins for any): queued")
      .option('--org <orgId>', 'coordinator admins: the organisation; default your own')
      .option('--reason <text>', 'why'),
  ).action(async (flags: Flags & { org?: string; reason?: string; wait?: boolean }) => {
    const input = { orgId: flags.org, reason: flags.reason };
    const answer = await dispatchWaiting(
      deps,
      flags,
      (rt) => requestOrgRemoval(rt.ctx, input),
      (api) => api.post<RemovalRequest>('/api/v1/governance/removals', input),
      (r) => removalWorks(r.removal),
    );
    // After --wait the removal has finished: answer it as it is now.
    const settled = answer.waited === undefined ? answer : { ...answer, removal: await reread(deps, flags, answer.removal.id) };
    emit(deps.output, flags.json, settled, requestText);
  });

  remoteCommand(removal, 'show', "a removal request's status: what it removed so far (the organisation's admins, coordinator admins)")
    .argument('<id>', 'removal id')
    .action(async (id: string, flags: Flags) => {
      await respond(
        deps,
        flags,
        (rt) => getRemoval(rt.ctx, id),
        (api) => api.get<Removal>(`/api/v1/governance/removals/${enc(id)}`),
        removalText,
        { reads: true },
      );
    });
}

function reread(deps: CommandDeps, flags: Flags, id: string): Promise<Removal> {
  return dispatch(
    deps,
    flags,
    (rt) => getRemoval(rt.ctx, id),
    (api) => api.get<Removal>(`/api/v1/governance/removals/${enc(id)}`),
    { reads: true },
  );
}
