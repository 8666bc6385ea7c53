import type { Command } from 'commander';
import {
  enc,
  readJsonFile,
  remoteOptions,
  remoteCommand,
  respond,
  table,
  wholeNumber,
  type CommandDeps,
  type RemoteFlags,
} from '../../../platform/cli/index.js';
import { asActor, type ServiceContext } from '../../../platform/context.js';
import { InputError } from '../../../platform/errors.js';
import { adminActorOf } from '../../identity/index.js';
import type { Agreement } from '../presenters.js';
import * as agreements from '../service/agreements.js';

type Flags = RemoteFlags & {
  /** Local database only: act as this organisation's admin (default: the coordinator's). */
  org?: string;
};

const path = (id: string, rest = '') => `/api/v1/frontier/agreements/${enc(id)}${rest}`;

function agreementText(a: Agreement): string {
  return [
    `agreement ${a.id}: ${a.title} — ${a.status}${a.versionInForce === null ? '' : ` (version ${a.versionInForce} in force)`}`,
    `developer ${a.developerOrgId}, government ${a.governmentOrgId}${a.endedAt === null ? '' : `; ended ${a.endedAt}${a.endReason === null ? '' : `: ${a.endReason}`}`}`,
    table(
      ['VERSION', 'STATUS', 'PROPOSED', 'DEVELOPER SIGNED', 'GOVERNMENT SIGNED', 'WINDOW (DEFAULT/MAX DAYS)'],
      a.versions.map((v) => [
        String(v.version),
        v.status,
        v.proposedAt,
        v.developerSignedAt ?? '-',
        v.governmentSignedAt ?? '-',
        `${v.terms.window.defaultDays}/${v.terms.window.maxDays}`,
      ]),
    ),
  ].join('\n');
}

/** A party's command: locally as an admin of `--org` (an agreement binds an organisation), remotely as the token's user. */
function partyCommand(parent: Command, name: string, description: string): Command {
  return remoteCommand(parent, name, description).option('--org <id>', "local database only: act as this organisation's admin");
}

function asParty(deps: CommandDeps, flags: Flags) {
  if (flags.org !== undefined && remoteOptions(flags, deps.env) !== null)
    throw new InputError('--org works on the local database only; with --url the token says who you are', [
      { pointer: '--org', detail: 'is local only' },
    ]);
  return async (ctx: ServiceContext) => asActor(ctx, await adminActorOf(ctx, flags.org));
}

/** `frontier agreement show|propose|sign|end`: voluntary testing agreements between a developer and the government side. */
export function registerAgreementCommands(frontier: Command, deps: CommandDeps): void {
  const agreement = frontier
    .command('agreement')
    .description('voluntary testing agreements: scope, window, confidentiality, retention, signatures');

  partyCommand(agreement, 'show', 'one agreement with every version and its signatures')
    .argument('<id>', 'agreement id')
    .action(async (id: string, flags: Flags) => {
      const party = asParty(deps, flags);
      await respond(
        deps,
        flags,
        async (rt) => agreements.getAgreement(await party(rt.ctx), id),
        (api) => api.get<Agreement>(path(id)),
        agreementText,
        { reads: true },
      );
    });

  partyCommand(agreement, 'propose', 'propose terms: a new agreement with --counterparty, or a new version of --agreement')
    .requiredOption(
      '--terms <file>',
      'the terms as JSON (scope, window, releaseNoticeDays, confidentiality, useTerms, retention, grantees, contacts)',
    )
    .option('--counterparty <orgId>', 'a new agreement: the other party')
    .option('--agreement <id>', 'new terms for this running agreement')
    .option('--title <text>', 'a new agreement: its title')
    .option('--note <text>', 'what changed, for the record')
    .action(async (flags: Flags & { terms: string; counterparty?: string; agreement?: string; title?: string; note?: string }) => {
      const party = asParty(deps, flags);
      const terms = await readJsonFile(flags.terms, '--terms');
      const input = { agreementId: flags.agreement, counterpartyOrgId: flags.counterparty, title: flags.title, terms, note: flags.note };
      await respond(
        deps,
        flags,
        async (rt) => agreements.proposeAgreement(await party(rt.ctx), input),
        (api) =>
          flags.agreement === undefined
            ? api.post<Agreement>('/api/v1/frontier/agreements', {
                counterpartyOrgId: flags.counterparty,
                title: flags.title,
                terms,
                note: flags.note,
              })
            : api.post<Agreement>(path(flags.agreement, '/versions'), { terms, note: flags.note }),
        agreementText,
      );
    });

  partyCommand(agreement, 'sign', "sign a proposed version for your side; the second side's signature puts it in force")
    .argument('<id>', 'agreement id')
    .requiredOption('--version <n>', 'the version you sign', wholeNumber('--version'))
    .action(async (id: string, flags: Flags & { version: number }) => {
      const party = asParty(deps, flags);
      const input = { version: flags.version };
      await respond(
        deps,
        flags,
        async (rt) => agreements.signAgreement(await party(rt.ctx), id, input),
        (api) => api.post<Agreement>(path(id, '/sign'), input),
        agreementText,
      );
    });

  partyCommand(agreement, 'end', 'end the agreement (either side; voluntary): it ends no review and gates nothing')
    .argument('<id>', 'agreement id')
    .option('--reason <text>', 'why')
    .action(async (id: string, flags: Flags & { reason?: string }) => {
      const party = asParty(deps, flags);
      const input = { reason: flags.reason };
      await respond(
        deps,
        flags,
        async (rt) => agreements.endAgreement(await party(rt.ctx), id, input),
        (api) => api.post<Agreement>(path(id, '/end'), input),
        agreementText,
      );
    });
}
