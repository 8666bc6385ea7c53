import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  emit,
  enc,
  pageTable,
  pages,
  queryOf,
  table,
  wholeNumber,
  withPaging,
  type CommandDeps,
  type PagingFlags,
  type RemoteFlags,
} from '../../platform/cli/index.js';
import { loadConfig } from '../../platform/config.js';
import type { ServiceContext } from '../../platform/context.js';
import type { Page } from '../../platform/db/index.js';
import { InputError } from '../../platform/errors.js';
import { VERSION } from '../../platform/version.js';
import { actingCommand, dispatchActing } from '../identity/index.js';
import type { AdvisoryDetail, AdvisorySummary } from './presenters.js';
import {
  ADVISORY_CATEGORIES,
  advisoryDocument,
  generateAdvisory,
  getAdvisory,
  listAdvisories,
  publishAdvisory,
} from './service/advisories.js';
import { advisoryCveRecords, type CveRecordExport } from './service/cve-records.js';
import { advisoryCycloneDxVex } from './service/cyclonedx-vex.js';
import { providerSettings } from './service/settings.js';

const path = (id: string, rest = '') => `/api/v1/advisories/${enc(id)}${rest}`;

/** The local provider settings: the configured public URL and data directory (the signing key lives there). */
const settingsOf = (deps: CommandDeps) => providerSettings(loadConfig(deps.env), VERSION);

const advisoryText = (a: AdvisoryDetail): string =>
  [
    `${a.trackingId}  ${a.title}`,
    `${a.id}  ${a.category}  ${a.status}  TLP:${a.tlp}  version ${a.version}`,
    `case: ${a.caseId}`,
    a.path === null ? 'not published yet' : `published ${a.publishedAt ?? '-'}, current ${a.currentReleaseAt ?? '-'} at ${a.path}`,
    a.draftReadable ? 'draft: readable by you (advisory download --draft)' : '',
    a.revisions.length === 0 ? '' : revisionsText(a),
  ]
    .filter((line) => line !== '')
    .join('\n');

const revisionsText = (a: AdvisoryDetail): string =>
  a.revisions.length === 0
    ? `${a.trackingId} has no published revision yet`
    : table(
        ['REVISION', 'PUBLISHED', 'SHA-256', 'SUMMARY'],
        a.revisions.map((r) => [String(r.number), r.publishedAt, r.sha256.slice(0, 16), r.summary]),
      );

/** Which document `--draft` and `--revision` name. */
function whichOf(flags: { draft?: boolean; revision?: number }) {
  if (flags.draft === true && flags.revision !== undefined)
    throw new InputError('--draft and --revision exclude each other', [{ pointer: '--revision', detail: 'not with --draft' }]);
  return flags.draft === true
    ? { kind: 'draft' as const }
    : { kind: 'published' as const, ...(flags.revision === undefined ? {} : { revision: flags.revision }) };
}

const STATUSES = ['draft', 'published'] as const;

function statusOf(value: string | undefined): 'draft' | 'published' | undefined {
  if (value === undefined || (STATUSES as readonly string[]).includes(value)) return value as 'draft' | 'published' | undefined;
  throw new InputError(`--status must be draft or published, got "${value}"`, [
    { pointer: '--status', detail: 'must be draft or published' },
  ]);
}

/** `clearinghouse advisory …`: list, show, draft, publish, revisions and download of CSAF advisories. */
export function registerAdvisoryCommands(program: Command, deps: CommandDeps): void {
  const advisory = program
    .command('advisory')
    .description('CSAF advisories of cases: drafts for the participants under embargo, signed TLP:CLEAR publications');
  const read = (id: string, flags: RemoteFlags) =>
    dispatchActing(
      deps,
      flags,
      (ctx) => getAdvisory(ctx, id),
      (api) => api.get<AdvisoryDetail>(path(id)),
      { reads: true },
    );

  withPaging(actingCommand(advisory, 'list', 'advisories you may read, newest first'))
    .option('--status <status>', 'draft or published')
    .action(async (flags: RemoteFlags & PagingFlags & { status?: string }) => {
      const status = statusOf(flags.status);
      const page = await dispatchActing(
        deps,
        flags,
        (ctx) => pages(flags, (p) => listAdvisories(ctx, { ...p, ...(status === undefined ? {} : { status }) })),
        (api) => pages(flags, (p) => api.get<Page<AdvisorySummary>>(`/api/v1/advisories${queryOf({ ...p, status })}`)),
        { reads: true },
      );
      emit(deps.output, flags.json, page, (p) =>
        pageTable(p, ['TRACKING', 'STATUS', 'TLP', 'VERSION', 'CATEGORY', 'TITLE'], (a) => [
          a.trackingId,
          a.status,
          a.tlp,
          String(a.version),
          a.category,
          a.title,
        ]),
      );
    });

  actingCommand(advisory, 'show', 'an advisory: status, TLP, where it is published, its revisions')
    .argument('<advisory>', 'advisory id or tracking id (CH-YYYY-NNNN)')
    .action(async (id: string, flags: RemoteFlags) => {
      emit(deps.output, flags.json, await read(id, flags), advisoryText);
    });

  actingCommand(advisory, 'draft', "generate or refresh a case's CSAF draft from its approved statements (coordinators)")
    .argument('<case>', 'case id or number (CH-YYYY-NNNN)')
    .option('--category <category>', ADVISORY_CATEGORIES.join(' or '))
    .option('--tlp <label>', "AMBER (default) or RED: the draft is for the case's participants")
    .action(async (caseId: string, flags: RemoteFlags & { category?: string; tlp?: string }) => {
      const body = { caseId, category: flags.category, tlp: flags.tlp };
      const detail = await dispatchActing(
        deps,
        flags,
        (ctx) => generateAdvisory(ctx, caseId, body, settingsOf(deps)),
        (api) => api.post<AdvisoryDetail>('/api/v1/advisories', body),
      );
      emit(deps.output, flags.json, detail, advisoryText);
    });

  actingCommand(advisory, 'publish', 'publish as TLP:CLEAR, signed, once the embargo has ended; again after a change: the next revision')
    .argument('<advisory>', 'advisory id or tracking id')
    .action(async (id: string, flags: RemoteFlags) => {
      const published = dispatchActing(
        deps,
        flags,
        (ctx) => publishAdvisory(ctx, id, settingsOf(deps)),
        (api) => api.post<AdvisoryDetail>(path(id, '/publish'), {}),
      );
      emit(deps.output, flags.json, await published, advisoryText);
    });

  actingCommand(advisory, 'revisions', "an advisory's published revisions, oldest first")
    .argument('<advisory>', 'advisory id or tracking id')
    .action(async (id: string, flags: RemoteFlags) => {
      const detail = await read(id, flags);
      emit(deps.output, flags.json, detail.revisions, () => revisionsText(detail));
    });

  actingCommand(advisory, 'cve-records', 'CVE JSON 5.1 CNA containers of the CVE ids the coordinator assigned, from the document you read')
    .argument('<advisory>', 'advisory id or tracking id')
    .option('--draft', "from the current draft (the case's participants)")
    .option('--revision <n>', 'from this published revision (default: the latest)', wholeNumber('--revision'))
    .action(async (id: string, flags: RemoteFlags & { draft?: boolean; revision?: number }) => {
      const records = await dispatchActing(
        deps,
        flags,
        (ctx) => advisoryCveRecords(ctx, id, whichOf(flags), settingsOf(deps)),
        (api) =>
          api.get<{ items: CveRecordExport[] }>(path(id, `/cve-records${queryOf({ draft: flags.draft, revision: flags.revision })}`)),
        { reads: true },
      );
      emit(deps.output, flags.json, records, (r) =>
        r.items.length === 0
          ? "no CVE id of the coordinator is assigned to the advisory's vulnerabilities"
          : r.items.map((x) => `${x.cveId}\n${JSON.stringify(x.container, null, 2)}`).join('\n'),
      );
    });

  const documentCommand = (
    name: string,
    description: string,
    local: (ctx: ServiceContext, id: string, which: ReturnType<typeof whichOf>) => Promise<Buffer>,
    route: string,
  ) =>
    advisory
      .command(name)
      .description(description)
      .argument('<advisory>', 'advisory id or tracking id')
      .option('--url <url>', 'talk to this server instead of the local database (env CLEARINGHOUSE_URL)')
      .option('--token <token>', 'API token for --url (env CLEARINGHOUSE_TOKEN)')
      .option('--draft', "the current draft (the case's participants)")
      .option('--revision <n>', 'this published revision (default: the latest)', wholeNumber('--revision'))
      .option('--out <file>', 'write it to this file instead of standard output')
      .action(async (id: string, flags: RemoteFlags & { draft?: boolean; revision?: number; out?: string }) => {
        const which = whichOf(flags);
        const bytes = await dispatchActing(
          deps,
          flags,
          (ctx) => local(ctx, id, which),
          (api) => api.bytes(path(id, `/${route}${queryOf({ draft: flags.draft, revision: flags.revision })}`)),
        );
        if (flags.out === undefined) deps.output.out(bytes.toString('utf8'));
        else {
          writeFileSync(flags.out, bytes);
          deps.output.err(`wrote ${flags.out} (${bytes.length} bytes)`);
        }
      });

  documentCommand(
    'download',
    'the CSAF document as published (byte for byte, as signed), a given revision, or the draft',
    async (ctx, id, which) => (await advisoryDocument(ctx, id, which)).bytes,
    'document',
  );
  documentCommand(
    'vex',
    'the CycloneDX 1.6 VEX of the CSAF document you read: the latest published revision, a given one, or the draft',
    async (ctx, id, which) => (await advisoryCycloneDxVex(ctx, id, which)).bytes,
    'vex.cdx.json',
  );
}
