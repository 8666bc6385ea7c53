import type { Command } from 'commander';
import {
  emit,
  moreHint,
  pageTable,
  pages,
  queryOf,
  table,
  wholeNumber,
  withPaging,
  type CommandDeps,
  type PagingFlags,
} from '../../platform/cli/index.js';
import type { Page } from '../../platform/db/index.js';
import type { CaseDetail, CaseSummary, EmbargoView, Statement, TimelineStep } from './presenters.js';
import { caseTimeline, getCase, listCases, openCase } from './service/cases.js';
import { EMBARGO_REQUESTS, moveEmbargo } from './service/embargo.js';
import { addParticipant, declareVendorScopes, listVendorScopes, type VendorScopes } from './service/participants.js';
import { createPost, listPosts, type Post } from './service/posts.js';
import { decideStatement, listStatements, setStatement } from './service/statements.js';
import { command, either, path, type Flags } from './command-kit.js';
import { registerCveCommands } from './cve-commands.js';
import { registerPolicyCommands } from './policy-commands.js';

const embargoText = (e: EmbargoView): string =>
  `embargo: ${e.state}${e.endsAtLocal === null ? '' : ` until ${e.endsAtLocal} (${e.endsAt})`}${e.exitReason === null ? '' : `, ended: ${e.exitReason}`}`;

const caseText = (c: CaseDetail): string =>
  [
    `${c.number}  ${c.title}`,
    embargoText(c.embargo),
    `vulnerabilities: ${c.vulnerabilities.map((v) => [v.clusterId, ...new Set([...v.cveIds, ...v.aliases])].join(' ')).join('; ')}`,
    table(
      ['ORG', 'ROLE', 'STATE', 'NOTIFIED', 'SEEN'],
      c.participants.map((p) => [p.orgId, p.role, p.state, p.notifiedAt ?? '-', p.seenAt ?? '-']),
    ),
    `channels: ${c.channels.join(', ')}`,
  ].join('\n');

const statementText = (s: Statement): string =>
  `${s.id}  ${s.vendorOrgId}  ${s.clusterId}  ${s.product.purl ?? s.product.name}  ${s.status}  v${s.version} ${s.approval}`;

/** `clearinghouse cases …`: open, list, show, add participants, move the embargo, statements, posts, vendor scopes. */
export function registerCasesCommands(program: Command, deps: CommandDeps): void {
  const cases = program.command('cases').description('coordinated disclosure: cases, participants, embargo, statements, discussion');
  command(cases, 'open', 'open a case from accepted clusters (coordinators)')
    .argument('<clusterIds...>', 'accepted cluster ids')
    .option('--title <text>', 'the case title')
    .option('--description <text>', 'what participants should know')
    .option('--exploited', 'actively exploited: the shorter default embargo')
    .action(async (clusterIds: string[], flags: Flags & { title?: string; description?: string; exploited?: boolean }) => {
      const body = { clusterIds, title: flags.title, description: flags.description, exploited: flags.exploited === true };
      const opened = await either(
        deps,
        flags,
        (ctx) => openCase(ctx, body),
        (api) => api.post<CaseDetail>('/api/v1/cases', body),
      );
      emit(deps.output, flags.json, opened, caseText);
    });

  withPaging(command(cases, 'list', 'the cases you take part in (coordinators: all), newest first')).action(
    async (flags: Flags & PagingFlags) => {
      const page = await either(
        deps,
        flags,
        (ctx) => pages(flags, (p) => listCases(ctx, p)),
        (api) => pages(flags, (p) => api.get<Page<CaseSummary>>(`/api/v1/cases${queryOf(p)}`)),
        { reads: true },
      );
      emit(deps.output, flags.json, page, (p) =>
        pageTable(p, ['NUMBER', 'TITLE', 'EMBARGO', 'ENDS'], (c) => [c.number, c.title, c.embargoState, c.embargoEndsAt ?? '-']),
      );
    },
  );

  command(cases, 'show', 'a case: embargo, vulnerabilities, participants, channels')
    .argument('<case>', 'case id or number (CH-YYYY-NNNN)')
    .action(async (id: string, flags: Flags) => {
      emit(
        deps.output,
        flags.json,
        await either(
          deps,
          flags,
          (ctx) => getCase(ctx, id),
          (api) => api.get<CaseDetail>(path(id)),
          { reads: true },
        ),
        caseText,
      );
    });

  command(cases, 'timeline', 'the case timeline, oldest first')
    .argument('<case>', 'case id or number')
    .action(async (id: string, flags: Flags) => {
      const steps = await either(
        deps,
        flags,
        (ctx) => caseTimeline(ctx, id),
        async (api) => (await api.get<{ items: TimelineStep[] }>(path(id, '/timeline'))).items,
        { reads: true },
      );
      emit(deps.output, flags.json, steps, (list) => list.map((s) => `${s.at}  ${s.kind}  ${JSON.stringify(s.data)}`).join('\n'));
    });

  command(cases, 'add', 'add an organisation to a case, or approve a suggested vendor (coordinators)')
    .argument('<case>', 'case id or number')
    .argument('<orgId>', 'the organisation')
    .option('--role <role>', 'reporter, vendor, coordinator or observer', 'vendor')
    .action(async (id: string, orgId: string, flags: Flags & { role: string }) => {
      const body = { orgId, role: flags.role };
      const p = await either(
        deps,
        flags,
        (ctx) => addParticipant(ctx, id, body),
        (api) => api.post<unknown>(path(id, '/participants'), body),
      );
      emit(deps.output, flags.json, p, () => `${orgId} takes part as ${flags.role}`);
    });

  command(cases, 'embargo', `move the embargo: ${EMBARGO_REQUESTS.join(', ')}`)
    .argument('<case>', 'case id or number')
    .argument('<action>', EMBARGO_REQUESTS.join(' | '))
    .option('--ends-at <time>', 'propose: an instant with offset, or a local time with --time-zone')
    .option('--time-zone <zone>', 'IANA zone, e.g. America/New_York')
    .option('--reason <reason>', 'end: published or terminated')
    .option('--note <text>', 'why')
    .action(async (id: string, action: string, flags: Flags & { endsAt?: string; timeZone?: string; reason?: string; note?: string }) => {
      const body = { action, endsAt: flags.endsAt, timeZone: flags.timeZone, reason: flags.reason, note: flags.note };
      const embargo = await either(
        deps,
        flags,
        (ctx) => moveEmbargo(ctx, id, body),
        (api) => api.post<EmbargoView>(path(id, '/embargo'), body),
      );
      emit(deps.output, flags.json, embargo, embargoText);
    });

  command(cases, 'statements', "the case's statements you may read")
    .argument('<case>', 'case id or number')
    .action(async (id: string, flags: Flags) => {
      const list = await either(
        deps,
        flags,
        (ctx) => listStatements(ctx, id),
        async (api) => (await api.get<{ items: Statement[] }>(path(id, '/statements'))).items,
      );
      emit(deps.output, flags.json, list, (l) => l.map(statementText).join('\n'));
    });

  command(cases, 'state', "state a vendor's status for a vulnerability and product")
    .argument('<case>', 'case id or number')
    .requiredOption('--cluster <id>', 'the vulnerability (a cluster of the case)')
    .requiredOption('--status <status>', 'under_investigation, affected, not_affected or fixed')
    .option('--purl <purl>', 'the product as a package URL')
    .option('--product <name>', 'the product name (without a purl)')
    .option('--justification <label>', 'not_affected: a CSAF VEX justification')
    .option('--fixed <versions>', 'fixed: comma-separated versions')
    .option('--fix-url <url>', 'fixed: where to get them')
    .option('--text <text>', 'the statement in your words')
    .option('--share', 'others taking part may read it once approved, before publication')
    .action(
      async (
        id: string,
        flags: Flags & {
          cluster: string;
          status: string;
          purl?: string;
          product?: string;
          justification?: string;
          fixed?: string;
          fixUrl?: string;
          text?: string;
          share?: boolean;
        },
      ) => {
        const body = {
          clusterId: flags.cluster,
          status: flags.status,
          product: { purl: flags.purl, name: flags.product },
          justification: flags.justification,
          fixedVersions: flags.fixed?.split(',').map((v) => v.trim()),
          fixUrl: flags.fixUrl,
          text: flags.text,
          shareBeforePublication: flags.share === true,
        };
        const s = await either(
          deps,
          flags,
          (ctx) => setStatement(ctx, id, body),
          (api) => api.post<Statement>(path(id, '/statements'), JSON.parse(JSON.stringify(body))),
        );
        emit(deps.output, flags.json, s, statementText);
      },
    );

  command(cases, 'decide', "approve (or --reject) a statement's current version (coordinators)")
    .argument('<statementId>', 'the statement')
    .requiredOption('--version <n>', 'the version decided on', wholeNumber('--version'))
    .option('--reject', 'reject instead of approving')
    .action(async (statementId: string, flags: Flags & { version: number; reject?: boolean }) => {
      const body = { approve: flags.reject !== true, version: flags.version };
      const s = await either(
        deps,
        flags,
        (ctx) => decideStatement(ctx, statementId, body),
        (api) => api.post<Statement>(`/api/v1/cases/statements/${encodeURIComponent(statementId)}/decision`, body),
      );
      emit(deps.output, flags.json, s, statementText);
    });

  withPaging(command(cases, 'posts', 'read a channel: common (default) or org:<id>'))
    .argument('<case>', 'case id or number')
    .option('--channel <channel>', 'common or org:<id>')
    .action(async (id: string, flags: Flags & PagingFlags & { channel?: string }) => {
      const page = await either(
        deps,
        flags,
        (ctx) => pages(flags, (p) => listPosts(ctx, id, { ...p, channel: flags.channel })),
        (api) => pages(flags, (p) => api.get<Page<Post>>(`${path(id, '/posts')}${queryOf({ ...p, channel: flags.channel })}`)),
        { reads: true },
      );
      emit(deps.output, flags.json, page, (p) =>
        [
          ...p.items.map((x) => `${x.createdAt}  ${x.authorRole}${x.authorOrgId === null ? '' : ` ${x.authorOrgId}`}: ${x.body}`),
          moreHint(p.items.length, p.nextCursor),
        ]
          .filter((line) => line !== '')
          .join('\n'),
      );
    });

  command(cases, 'post', 'post to a channel you read')
    .argument('<case>', 'case id or number')
    .argument('<text>', 'the post')
    .option('--channel <channel>', 'common (default) or org:<id>')
    .action(async (id: string, text: string, flags: Flags & { channel?: string }) => {
      const body = { body: text, channel: flags.channel };
      const post = await either(
        deps,
        flags,
        (ctx) => createPost(ctx, id, body),
        (api) => api.post<Post>(path(id, '/posts'), JSON.parse(JSON.stringify(body))),
      );
      emit(deps.output, flags.json, post, (p) => `posted ${p.id} to ${p.channel}`);
    });

  command(cases, 'scopes', "a vendor's declared purl scopes; --set replaces them")
    .option('--vendor <orgId>', 'the vendor (default: your organisation)')
    .option('--set <scopes...>', 'package URL namespaces or products, e.g. pkg:npm/@acme')
    .action(async (flags: Flags & { vendor?: string; set?: string[] }) => {
      const scopes = await either<VendorScopes>(
        deps,
        flags,
        (ctx) =>
          flags.set === undefined
            ? listVendorScopes(ctx, flags.vendor)
            : declareVendorScopes(ctx, { orgId: flags.vendor, scopes: flags.set }),
        (api) =>
          flags.set === undefined
            ? api.get<VendorScopes>(
                `/api/v1/cases/vendor-scopes${flags.vendor === undefined ? '' : `?orgId=${encodeURIComponent(flags.vendor)}`}`,
              )
            : api.request<VendorScopes>(
                'PUT',
                '/api/v1/cases/vendor-scopes',
                JSON.parse(JSON.stringify({ orgId: flags.vendor, scopes: flags.set })),
              ),
      );
      emit(deps.output, flags.json, scopes, (s) => [`${s.orgId}:`, ...s.scopes.map((x) => `  ${x}`)].join('\n'));
    });

  registerCveCommands(cases, deps);
  registerPolicyCommands(cases, deps);
}
