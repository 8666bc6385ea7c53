import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  collect,
  emit,
  enc,
  finiteNumber,
  pageTable,
  pages,
  queryOf,
  table,
  wholeNumber,
  withPaging,
  type CommandDeps,
  type PagingFlags,
} from '../../../platform/cli/index.js';
import type { Page } from '../../../platform/db/index.js';
import { InputError } from '../../../platform/errors.js';
import type { Campaign, Lease, StopRequest, TargetCoverage, TargetStatus } from '../presenters.js';
import { requestStop, stopCampaign } from '../service/campaign-lifecycle.js';
import type { CampaignInput } from '../service/campaign-input.js';
import { campaignConflicts, getCampaign, listCampaigns, registerCampaign, type RegisteredCampaign } from '../service/campaigns.js';
import type { ConflictView } from '../presenters.js';
import { scanGaps, type CoverageGap } from '../service/coverage.js';
import { claimLease, releaseLease, renewLease } from '../service/leases.js';
import { targetCoverage, targetStatus } from '../service/status.js';
import { actingCommand as command, dispatchActing as either, type ActingFlags as Flags } from '../../identity/index.js';
import { registerAssetCommands } from './asset-commands.js';

const DAY_MS = 86_400_000;

const campaignLine = (c: Campaign): string[] => [c.id, c.name, c.technique, c.state, c.window.start, c.window.end];

const campaignText = (c: Campaign): string =>
  [
    `${c.id}  ${c.name}  (${c.orgId}, ${c.tlp})`,
    `${c.technique}${c.active ? ' (active scanning)' : ''}  ${c.state}  ${c.window.start} → ${c.window.end}`,
    `tool: ${c.tool.name} ${c.tool.version}${c.model === null ? '' : `, model ${c.model.name} ${c.model.version}`}${c.aiAssisted ? ', AI-assisted' : ''}`,
    `scope: ${c.scope.map((s) => s.target).join(', ')}`,
    ...(c.intensity === null ? [] : [`intensity: ${c.intensity.requestsPerSecond} req/s, concurrency ${c.intensity.concurrency}`]),
    `stop contact: ${Object.values(c.stopContact).join(', ')}`,
    ...c.stopRequests.map((s) => `stop requested ${s.createdAt} by ${s.requesterOrgId} (${s.source}): ${s.reason}`),
    ...(c.stopReason === null ? [] : [`stopped: ${c.stopReason}`]),
  ].join('\n');

const conflictText = (c: ConflictView): string =>
  `${c.campaign === null ? 'another party' : `${c.campaign.name} (${c.campaign.id}, ${c.campaign.orgId})`} scans ` +
  `${c.targets.map((t) => `${t.ours} [${t.overlap}]`).join(', ')} with ${c.technique} until ${c.until} (${c.reason})`;

const conflictsText = (list: readonly ConflictView[]): string =>
  list.length === 0 ? 'no conflicts' : [`${list.length} conflict(s):`, ...list.map((c) => `  ${conflictText(c)}`)].join('\n');

const leaseText = (l: Lease): string =>
  `${l.id}  ${l.target} (${l.technique})  ${l.releasedAt === null ? `held until ${l.expiresAt}` : `released ${l.releasedAt}`}`;

const statusText = (s: TargetStatus): string =>
  [
    `${s.target}  (${s.kind}, key ${s.key})`,
    s.leases.length === 0
      ? 'leases: none'
      : table(
          ['LEASE', 'TARGET', 'TECHNIQUE', 'HOLDER', 'EXPIRES'],
          s.leases.map((l) => [l.leaseId ?? '-', l.target, l.technique, l.holder.orgName ?? l.holder.orgId ?? '(hidden)', l.expiresAt]),
        ),
    s.campaigns.length === 0
      ? 'campaigns: none'
      : table(
          ['CAMPAIGN', 'TECHNIQUE', 'STATE', 'UNTIL'],
          s.campaigns.map((c) => [
            c.campaign === null ? '(another party)' : `${c.campaign.name} (${c.campaign.id})`,
            c.technique,
            c.state,
            c.window.end,
          ]),
        ),
    s.clusters === null ? '' : `clusters already known: ${s.clusters.validated} validated, ${s.clusters.open} open`,
  ]
    .filter((line) => line !== '')
    .join('\n');

/** A scope entry as typed: the target, optionally followed by a `vers:` range after a space. */
function scopeEntry(text: string): { target: string; versions?: string } {
  const [target = '', ...rest] = text.trim().split(/\s+/);
  return rest.length === 0 ? { target } : { target, versions: rest.join(' ') };
}

/** `name@version` (the version after the last @). */
function nameAndVersion(flag: string, text: string): { name: string; version: string } {
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1)
    throw new InputError(`${flag} must be NAME@VERSION, got "${text}"`, [{ pointer: flag, detail: 'must be NAME@VERSION' }]);
  return { name: text.slice(0, at), version: text.slice(at + 1) };
}

interface CreateFlags extends Flags {
  file?: string;
  name?: string;
  tool?: string;
  model?: string;
  aiAssisted?: boolean;
  technique?: string;
  target: string[];
  start?: string;
  end?: string;
  days?: number;
  rps?: number;
  concurrency?: number;
  contactName?: string;
  email?: string;
  phone?: string;
  contactUrl?: string;
  tlp?: string;
}

/** The campaign the flags describe (or the JSON file given with --file). */
function campaignFromFlags(flags: CreateFlags): CampaignInput {
  if (flags.file !== undefined) return JSON.parse(readFileSync(flags.file, 'utf8')) as CampaignInput;
  const start = flags.start ?? new Date().toISOString();
  const end = flags.end ?? new Date(Date.parse(start) + (flags.days ?? 7) * DAY_MS).toISOString();
  const model = flags.model === undefined ? null : nameAndVersion('--model', flags.model);
  return {
    name: flags.name ?? '',
    tool: flags.tool === undefined ? { name: '', version: '' } : nameAndVersion('--tool', flags.tool),
    model,
    aiAssisted: flags.aiAssisted === true || model !== null,
    technique: flags.technique ?? '',
    scope: flags.target.map(scopeEntry),
    window: { start, end },
    intensity:
      flags.rps === undefined && flags.concurrency === undefined
        ? null
        : { requestsPerSecond: flags.rps ?? 0, concurrency: flags.concurrency ?? 0 },
    stopContact: { name: flags.contactName, email: flags.email, phone: flags.phone, url: flags.contactUrl },
    tlp: flags.tlp,
  };
}

function registerCampaignCommands(scan: Command, deps: CommandDeps): void {
  const campaign = scan.command('campaign').description('scan campaigns: register, list, show, stop, conflicts');
  command(campaign, 'create', "register a campaign: checked against operators' scan policies, then deconflicted")
    .option('--file <path>', 'the campaign as JSON (the API body); the other options are then ignored')
    .option('--name <text>', 'what the campaign is')
    .option('--tool <name@version>', 'the scanning tool')
    .option('--model <name@version>', 'the AI model driving the tool (implies --ai-assisted)')
    .option('--ai-assisted', 'the tool is AI-assisted')
    .option('--technique <technique>', 'source_review, sast, fuzzing, dynamic or network')
    .option(
      '--target <target>',
      'repeatable: pkg:… (optionally followed by a vers: range), https://repo, cpe:…, CIDR, host name',
      collect,
      [],
    )
    .option('--start <instant>', 'window start, ISO 8601 with Z or offset (default now)')
    .option('--end <instant>', 'window end (default --days after the start)')
    .option('--days <n>', 'window length in days when --end is not given (default 7)', wholeNumber('--days'))
    .option('--rps <n>', 'active scanning: requests per second', finiteNumber('--rps'))
    .option('--concurrency <n>', 'active scanning: concurrent connections', wholeNumber('--concurrency'))
    .option('--contact-name <text>', 'stop contact: who')
    .option('--email <address>', 'stop contact: e-mail')
    .option('--phone <number>', 'stop contact: phone')
    .option('--contact-url <url>', 'stop contact: https URL')
    .option('--tlp <label>', 'CLEAR, GREEN, AMBER (default) or AMBER+STRICT')
    .action(async (flags: CreateFlags) => {
      const body = campaignFromFlags(flags);
      const registered = await either(
        deps,
        flags,
        (ctx) => registerCampaign(ctx, body),
        (api) => api.post<RegisteredCampaign>('/api/v1/scanning/campaigns', body),
      );
      emit(deps.output, flags.json, registered, (r) => `${campaignText(r.campaign)}\n${conflictsText(r.conflicts)}`);
    });

  withPaging(command(campaign, 'list', 'campaigns you may see, newest first'))
    .option('--state <state>', 'planned, active, completed or stopped')
    .option('--technique <technique>', 'only this technique')
    .option('--target <target>', 'only campaigns with a target overlapping this one')
    .option('--owner <orgId>', "only this organisation's campaigns")
    .action(async (flags: Flags & PagingFlags & { state?: string; technique?: string; target?: string; owner?: string }) => {
      const filter = { state: flags.state, technique: flags.technique, target: flags.target, orgId: flags.owner };
      const page = await either(
        deps,
        flags,
        (ctx) => pages(flags, (p) => listCampaigns(ctx, { ...filter, ...p })),
        (api) => pages(flags, (p) => api.get<Page<Campaign>>(`/api/v1/scanning/campaigns${queryOf({ ...filter, ...p })}`)),
        { reads: true },
      );
      emit(deps.output, flags.json, page, (p) => pageTable(p, ['ID', 'NAME', 'TECHNIQUE', 'STATE', 'START', 'END'], campaignLine));
    });

  command(campaign, 'show', 'a campaign and its stop requests')
    .argument('<id>', 'campaign id')
    .action(async (id: string, flags: Flags) => {
      const found = await either(
        deps,
        flags,
        (ctx) => getCampaign(ctx, id),
        (api) => api.get<Campaign>(`/api/v1/scanning/campaigns/${enc(id)}`),
        { reads: true },
      );
      emit(deps.output, flags.json, found, campaignText);
    });

  command(campaign, 'conflicts', 'the planned and active campaigns a campaign overlaps now')
    .argument('<id>', 'campaign id')
    .action(async (id: string, flags: Flags) => {
      const list = await either(
        deps,
        flags,
        (ctx) => campaignConflicts(ctx, id),
        async (api) => (await api.get<{ items: ConflictView[] }>(`/api/v1/scanning/campaigns/${enc(id)}/conflicts`)).items,
      );
      emit(deps.output, flags.json, list, conflictsText);
    });

  command(campaign, 'stop', 'stop a campaign before its window closes; its leases are released')
    .argument('<id>', 'campaign id')
    .option('--reason <text>', 'why')
    .action(async (id: string, flags: Flags & { reason?: string }) => {
      const body = { reason: flags.reason };
      const stopped = await either(
        deps,
        flags,
        (ctx) => stopCampaign(ctx, id, body),
        (api) => api.post<Campaign>(`/api/v1/scanning/campaigns/${enc(id)}/stop`, body),
      );
      emit(deps.output, flags.json, stopped, campaignText);
    });

  command(campaign, 'request-stop', 'ask a campaign to stop (coordinators; operators for campaigns on their assets)')
    .argument('<id>', 'campaign id')
    .requiredOption('--reason <text>', 'why it must stop')
    .option('--asset <id>', 'the asset it must stop scanning')
    .action(async (id: string, flags: Flags & { reason: string; asset?: string }) => {
      const body = { reason: flags.reason, assetId: flags.asset };
      const stop = await either(
        deps,
        flags,
        (ctx) => requestStop(ctx, id, body),
        (api) => api.post<StopRequest>(`/api/v1/scanning/campaigns/${enc(id)}/stop-requests`, body),
      );
      emit(deps.output, flags.json, stop, (s) => `stop request ${s.id} sent to the campaign's stop contact`);
    });
}

function registerLeaseCommands(scan: Command, deps: CommandDeps): void {
  const lease = scan.command('lease').description('hold a target for a technique while you scan it');
  command(
    lease,
    'claim',
    'claim a target for a technique (refused, naming the holder as visible, the expiry and next free time, when held)',
  )
    .argument('<target>', 'pkg:…, https://repo, cpe:…, CIDR block or host name')
    .requiredOption('--technique <technique>', 'source_review, sast, fuzzing, dynamic or network')
    .option('--seconds <n>', 'how long, 10 to 86400', wholeNumber('--seconds'), 3600)
    .option('--campaign <id>', 'your active campaign covering it (required for network targets)')
    .action(async (target: string, flags: Flags & { technique: string; seconds: number; campaign?: string }) => {
      const body = { target, technique: flags.technique, seconds: flags.seconds, campaignId: flags.campaign };
      const claimed = await either(
        deps,
        flags,
        (ctx) => claimLease(ctx, body),
        (api) => api.post<Lease>('/api/v1/scanning/leases', body),
      );
      emit(deps.output, flags.json, claimed, leaseText);
    });

  command(lease, 'renew', 'extend a live lease to --seconds from now')
    .argument('<id>', 'lease id')
    .option('--seconds <n>', 'how long from now, 10 to 86400', wholeNumber('--seconds'), 3600)
    .action(async (id: string, flags: Flags & { seconds: number }) => {
      const body = { seconds: flags.seconds };
      const renewed = await either(
        deps,
        flags,
        (ctx) => renewLease(ctx, id, body),
        (api) => api.post<Lease>(`/api/v1/scanning/leases/${enc(id)}/renew`, body),
      );
      emit(deps.output, flags.json, renewed, leaseText);
    });

  command(lease, 'release', 'give a lease back before it expires')
    .argument('<id>', 'lease id')
    .action(async (id: string, flags: Flags) => {
      const released = await either(
        deps,
        flags,
        (ctx) => releaseLease(ctx, id),
        (api) => api.post<Lease>(`/api/v1/scanning/leases/${enc(id)}/release`, undefined),
      );
      emit(deps.output, flags.json, released, leaseText);
    });
}

/** `clearinghouse scan …`: campaigns, leases, target status and coverage, gaps, operators' assets. */
export function registerScanCommands(program: Command, deps: CommandDeps): void {
  const scan = program.command('scan').description('scan deconfliction: campaigns, leases, target status, coverage gaps, scan policies');
  registerCampaignCommands(scan, deps);
  registerLeaseCommands(scan, deps);

  command(scan, 'status', 'before scanning: live leases, campaigns and known clusters on a target')
    .argument('<target>', 'pkg:…, https://repo, cpe:…, CIDR block or host name')
    .action(async (target: string, flags: Flags) => {
      const status = await either(
        deps,
        flags,
        (ctx) => targetStatus(ctx, target),
        (api) => api.get<TargetStatus>(`/api/v1/scanning/targets/status${queryOf({ target })}`),
        { reads: true },
      );
      emit(deps.output, flags.json, status, statusText);
    });

  command(scan, 'coverage', 'who scanned a target, when, how, and what each campaign found')
    .argument('<target>', 'pkg:…, https://repo, cpe:…, CIDR block or host name')
    .action(async (target: string, flags: Flags) => {
      const coverage = await either(
        deps,
        flags,
        (ctx) => targetCoverage(ctx, target),
        (api) => api.get<TargetCoverage>(`/api/v1/scanning/targets/coverage${queryOf({ target })}`),
      );
      emit(deps.output, flags.json, coverage, (c) =>
        table(
          ['CAMPAIGN', 'TECHNIQUE', 'STATE', 'START', 'END', 'FOUND'],
          c.scans.map((s) => [
            s.campaign === null ? '(another party)' : s.campaign.id,
            s.technique,
            s.state,
            s.window.start,
            s.window.end,
            s.found === null ? '-' : String(s.found.length),
          ]),
        ),
      );
    });

  command(scan, 'gaps', 'software operators run that no campaign scanned lately, most widely run first')
    .option('--days <n>', 'look back this many days (default 90)', wholeNumber('--days'))
    .option('--limit <n>', 'at most this many (default 50)', wholeNumber('--limit'))
    .action(async (flags: Flags & { days?: number; limit?: number }) => {
      const query = { days: flags.days, limit: flags.limit };
      const gaps = await either(
        deps,
        flags,
        (ctx) => scanGaps(ctx, query),
        (api) => api.get<{ since: string; items: CoverageGap[] }>(`/api/v1/scanning/gaps${queryOf(query)}`),
      );
      emit(deps.output, flags.json, gaps, (g) =>
        [
          `not scanned since ${g.since}:`,
          table(
            ['PURL', 'OPERATORS', 'SECTORS'],
            g.items.map((i) => [i.purl, String(i.operators), i.sectors.join(', ')]),
          ),
        ].join('\n'),
      );
    });

  registerAssetCommands(scan, deps);
}
