import type { Command } from 'commander';
import {
  collectCommaList,
  dispatch,
  emit,
  table,
  wholeNumber,
  withRemoteOptions,
  type CommandDeps,
  type RemoteFlags,
} from '../../platform/cli/index.js';
import type { Page } from '../../platform/db/index.js';
import { InputError } from '../../platform/errors.js';
import { SECTOR_KEYS } from './domain/org.js';
import type { NewToken, Org, Token, User } from './presenters.js';
import { createOrg, listOrgs } from './service/orgs.js';
import { setPassword } from './service/sessions.js';
import { createToken, revokeToken } from './service/tokens.js';
import { createUser } from './service/users.js';

/** A password on the command line would show in the process list: it comes on standard input. */
async function firstLineOfStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

const orgRow = (o: Org) => [o.id, o.kind, o.name, o.sectors.join(',')];

/** `org create|list`, `user create|password`, `token create|revoke`. */
export function registerIdentityCommands(program: Command, deps: CommandDeps): void {
  const org = program.command('org').description('organisations');

  withRemoteOptions(
    org
      .command('create')
      .description('register an organisation')
      .requiredOption('--name <name>', 'display name, unique')
      .requiredOption('--kind <kind>', 'coordinator | agency | model_developer | vendor | operator | researcher')
      .option(
        '--sector <sector>',
        `critical-infrastructure sector, repeatable or comma-separated (${SECTOR_KEYS.join(', ')})`,
        collectCommaList,
        [],
      )
      .option('--json', 'print JSON'),
  ).action(async (flags: RemoteFlags & { name: string; kind: string; sector: string[] }) => {
    const input = { name: flags.name, kind: flags.kind, sectors: flags.sector };
    const created = await dispatch(
      deps,
      flags,
      (rt) => createOrg(rt.ctx, input),
      (api) => api.post<Org>('/api/v1/orgs', input),
    );
    emit(deps.output, flags.json, created, (o) => `created ${o.kind} organisation ${o.name} (${o.id})`);
  });

  withRemoteOptions(
    org
      .command('list')
      .description('list organisations')
      .option('--kind <kind>', 'only this kind')
      .option('--limit <n>', 'at most this many', wholeNumber('--limit'), 500)
      .option('--json', 'print JSON'),
  ).action(async (flags: RemoteFlags & { kind?: string; limit: number }) => {
    const page = await dispatch(
      deps,
      flags,
      (rt) => listOrgs(rt.ctx, { kind: flags.kind, limit: flags.limit }),
      (api) => api.get<Page<Org>>(`/api/v1/orgs?limit=${flags.limit}${flags.kind ? `&kind=${encodeURIComponent(flags.kind)}` : ''}`),
      { reads: true },
    );
    emit(deps.output, flags.json, page, (p) => table(['ID', 'KIND', 'NAME', 'SECTORS'], p.items.map(orgRow)));
  });

  const user = program.command('user').description('users');
  withRemoteOptions(
    user
      .command('create')
      .description("add a user to an organisation and print the user's first API token")
      .requiredOption('--org <id>', 'organisation id')
      .requiredOption('--email <email>', 'email address, unique')
      .requiredOption('--name <name>', 'display name')
      .option('--role <role>', 'admin | analyst | viewer', 'analyst')
      .option('--json', 'print JSON'),
  ).action(async (flags: RemoteFlags & { org: string; email: string; name: string; role: string }) => {
    const input = { email: flags.email, name: flags.name, role: flags.role };
    const created = await dispatch(
      deps,
      flags,
      (rt) => createUser(rt.ctx, flags.org, input),
      (api) => api.post<{ user: User; token: NewToken }>(`/api/v1/orgs/${encodeURIComponent(flags.org)}/users`, input),
    );
    emit(
      deps.output,
      flags.json,
      created,
      (c) => `created ${c.user.role} ${c.user.email} (${c.user.id})\ntoken (shown once): ${c.token.token}`,
    );
  });

  withRemoteOptions(
    user
      .command('password')
      .description("set a user's console password (Argon2id), read from the first line of standard input; ends the user's sessions")
      .argument('<id>', 'user id')
      .option('--json', 'print JSON'),
  ).action(async (id: string, flags: RemoteFlags) => {
    const password = await firstLineOfStdin();
    await dispatch(
      deps,
      flags,
      (rt) => setPassword(rt.ctx, id, { password }),
      (api) => api.request<null>('PUT', `/api/v1/users/${encodeURIComponent(id)}/password`, { password }),
    );
    emit(deps.output, flags.json, { userId: id, passwordSet: true }, () => `password set for ${id}; their sessions ended`);
  });

  const token = program.command('token').description('API tokens');
  withRemoteOptions(
    token
      .command('create')
      .description('create an API token and print it once (locally: for --user; remotely: for yourself)')
      .option('--user <id>', 'user id (local database only)')
      .option('--name <name>', 'what the token is for', 'cli')
      .option('--days <days>', 'lifetime in days', wholeNumber('--days'), 90)
      .option('--json', 'print JSON'),
  ).action(async (flags: RemoteFlags & { user?: string; name: string; days: number }) => {
    const input = { name: flags.name, expiresInDays: flags.days };
    const created = await dispatch(
      deps,
      flags,
      (rt) => {
        if (flags.user === undefined)
          throw new InputError('--user is required on the local database', [{ pointer: '--user', detail: 'is required' }]);
        return createToken(rt.ctx, { ...input, userId: flags.user });
      },
      (api) => api.post<NewToken>('/api/v1/tokens', input),
    );
    emit(deps.output, flags.json, created, (t) => `token ${t.id} expires ${t.expiresAt ?? 'never'}\n${t.token}`);
  });

  withRemoteOptions(
    token.command('revoke').description('revoke a token').argument('<id>', 'token id').option('--json', 'print JSON'),
  ).action(async (id: string, flags: RemoteFlags) => {
    const revoked = await dispatch(
      deps,
      flags,
      (rt) => revokeToken(rt.ctx, id),
      (api) => api.delete<Token>(`/api/v1/tokens/${encodeURIComponent(id)}`),
    );
    emit(deps.output, flags.json, revoked, (t) => `revoked ${t.id} at ${t.revokedAt ?? ''}`);
  });
}
