import type { Command } from 'commander';
import {
  collect,
  collectCommaList,
  emit,
  enc,
  finiteNumber,
  queryOf,
  table,
  wholeNumber,
  type CommandDeps,
} from '../../../platform/cli/index.js';
import { InputError } from '../../../platform/errors.js';
import type { WindowSpec, Weekday } from '../domain/time-window.js';
import { addBlackout, addConsent, declareAsset, listAssets, removeBlackout, removeConsent, updateAsset } from '../service/assets.js';
import type { BlackoutAdded, ScanAsset } from '../presenters.js';
import { actingCommand as command, dispatchActing as either, type ActingFlags as Flags } from '../../identity/index.js';

const assetText = (a: ScanAsset): string =>
  [
    `${a.id}  ${a.name}  (${a.orgId}, ${a.timeZone})  active scanning: ${a.activeScanning}`,
    `targets: ${a.targets.map((t) => t.target).join(', ')}`,
    ...a.consents.map(
      (c) => `consent ${c.id}: ${c.scannerOrgId} may ${c.techniques.join('/')} at most ${c.maxIntensity.requestsPerSecond} req/s`,
    ),
    ...a.blackouts.map((b) => `blackout ${b.id}: ${b.description}${b.reason === '' ? '' : ` (${b.reason})`}`),
  ].join('\n');

/** A window from `--once START END` or `--weekly DAYS` with `--from HH:MM --to HH:MM`. */
function windowOf(flags: { once?: string[]; weekly?: string[]; from?: string; to?: string }): WindowSpec {
  if (flags.once !== undefined && flags.once.length === 2) return { kind: 'once', start: flags.once[0]!, end: flags.once[1]! };
  if (flags.weekly !== undefined && flags.weekly.length > 0 && flags.from !== undefined && flags.to !== undefined)
    return { kind: 'weekly', days: flags.weekly as Weekday[], start: flags.from, end: flags.to };
  throw new InputError('give --once START --once END, or --weekly DAYS with --from HH:MM and --to HH:MM', [
    { pointer: '--once', detail: 'or --weekly with --from and --to' },
  ]);
}

/** `clearinghouse scan asset …`: an operator's assets and their scan policies. */
export function registerAssetCommands(scan: Command, deps: CommandDeps): void {
  const asset = scan.command('asset').description("operators' assets and scan policies: consent, standing consents, blackouts");
  command(asset, 'declare', 'declare an asset of your operator (coordinators: --for an operator)')
    .requiredOption('--name <text>', 'what it is')
    .requiredOption('--time-zone <zone>', 'IANA zone its windows are kept in, e.g. America/Chicago')
    .option('--target <target>', 'repeatable: host name (*.grid.example for all below), CIDR block, product (cpe:…, purl)', collect, [])
    .option('--active-scanning <rule>', 'consent-required (default), allowed or never')
    .option('--for <orgId>', 'coordinators: the operator declared for')
    .action(async (flags: Flags & { name: string; timeZone: string; target: string[]; activeScanning?: string; for?: string }) => {
      const body = {
        name: flags.name,
        timeZone: flags.timeZone,
        targets: flags.target,
        activeScanning: flags.activeScanning,
        orgId: flags.for,
      };
      const declared = await either(
        deps,
        flags,
        (ctx) => declareAsset(ctx, body),
        (api) => api.post<ScanAsset>('/api/v1/scanning/assets', body),
      );
      emit(deps.output, flags.json, declared, assetText);
    });

  command(asset, 'list', "your operator's assets (coordinators: every operator's, or --owner's)")
    .option('--owner <orgId>', 'coordinators: only this operator')
    .action(async (flags: Flags & { owner?: string }) => {
      const query = { orgId: flags.owner };
      const list = await either(
        deps,
        flags,
        (ctx) => listAssets(ctx, query),
        async (api) => (await api.get<{ items: ScanAsset[] }>(`/api/v1/scanning/assets${queryOf(query)}`)).items,
        { reads: true },
      );
      emit(deps.output, flags.json, list, (l) =>
        table(
          ['ID', 'NAME', 'ZONE', 'ACTIVE SCANNING', 'TARGETS'],
          l.map((a) => [a.id, a.name, a.timeZone, a.activeScanning, String(a.targets.length)]),
        ),
      );
    });

  command(asset, 'never-scan', 'fragile (OT) asset: never actively scan it')
    .argument('<id>', 'asset id')
    .action(async (id: string, flags: Flags) => {
      const body = { activeScanning: 'never' };
      const changed = await either(
        deps,
        flags,
        (ctx) => updateAsset(ctx, id, body),
        (api) => api.request<ScanAsset>('PATCH', `/api/v1/scanning/assets/${enc(id)}`, body),
      );
      emit(deps.output, flags.json, changed, assetText);
    });

  command(asset, 'consent', 'give a scanner organisation a standing consent to scan the asset actively')
    .argument('<id>', 'asset id')
    .requiredOption('--scanner <orgId>', 'the scanner organisation')
    .requiredOption('--technique <list>', 'fuzzing, dynamic, network (repeatable or comma-separated)', collectCommaList, [])
    .requiredOption('--rps <n>', 'at most this many requests per second', finiteNumber('--rps'))
    .option('--concurrency <n>', 'at most this many concurrent connections (default 1)', wholeNumber('--concurrency'), 1)
    .action(async (id: string, flags: Flags & { scanner: string; technique: string[]; rps: number; concurrency: number }) => {
      const body = {
        scannerOrgId: flags.scanner,
        techniques: flags.technique,
        maxIntensity: { requestsPerSecond: flags.rps, concurrency: flags.concurrency },
      };
      const changed = await either(
        deps,
        flags,
        (ctx) => addConsent(ctx, id, body),
        (api) => api.post<ScanAsset>(`/api/v1/scanning/assets/${enc(id)}/consents`, body),
      );
      emit(deps.output, flags.json, changed, assetText);
    });

  command(asset, 'consent-remove', 'withdraw a standing consent from the asset')
    .argument('<id>', 'asset id')
    .argument('<consentId>', 'the consent (scan asset list shows it)')
    .action(async (id: string, consentId: string, flags: Flags) => {
      const changed = await either(
        deps,
        flags,
        (ctx) => removeConsent(ctx, id, consentId),
        (api) => api.delete<ScanAsset>(`/api/v1/scanning/assets/${enc(id)}/consents/${enc(consentId)}`),
      );
      emit(deps.output, flags.json, changed, assetText);
    });

  command(asset, 'blackout', "add a blackout window in the asset's zone; campaigns it collides with are asked to stop at once")
    .argument('<id>', 'asset id')
    .option('--reason <text>', 'why (e.g. evening peak)', '')
    .option('--once <time>', 'give twice: start and end (an instant, or YYYY-MM-DDTHH:MM local)', collect)
    .option('--weekly <days>', 'weekdays: sun,mon,tue,wed,thu,fri,sat', collectCommaList)
    .option('--from <HH:MM>', 'weekly: local start time')
    .option('--to <HH:MM>', 'weekly: local end time (not after --from: runs past midnight)')
    .action(async (id: string, flags: Flags & { reason: string; once?: string[]; weekly?: string[]; from?: string; to?: string }) => {
      const body = { reason: flags.reason, window: windowOf(flags) };
      const added = await either(
        deps,
        flags,
        (ctx) => addBlackout(ctx, id, body),
        (api) => api.post<BlackoutAdded>(`/api/v1/scanning/assets/${enc(id)}/blackouts`, body),
      );
      emit(deps.output, flags.json, added, (a) =>
        [assetText(a.asset), ...a.stopRequests.map((s) => `stop requested of campaign ${s.campaignId}: ${s.reason}`)].join('\n'),
      );
    });

  command(asset, 'blackout-remove', 'remove a blackout window from the asset')
    .argument('<id>', 'asset id')
    .argument('<blackoutId>', 'the blackout (scan asset list shows it)')
    .action(async (id: string, blackoutId: string, flags: Flags) => {
      const changed = await either(
        deps,
        flags,
        (ctx) => removeBlackout(ctx, id, blackoutId),
        (api) => api.delete<ScanAsset>(`/api/v1/scanning/assets/${enc(id)}/blackouts/${enc(blackoutId)}`),
      );
      emit(deps.output, flags.json, changed, assetText);
    });
}
