import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  describeQueued,
  dispatch,
  dispatchWaiting,
  emit,
  progress,
  queryOf,
  table,
  withRemoteOptions,
  withWaitOption,
  type Waited,
  type ApiClient,
  type CommandDeps,
  type LocalOptions,
  type RemoteFlags,
} from '../../../platform/cli/index.js';
import type { ServiceContext } from '../../../platform/context.js';
import type { Page } from '../../../platform/db/index.js';
import type { QueuedWork } from '../../../platform/jobs/index.js';
import { InputError } from '../../../platform/errors.js';
import { isTlp, TLP_LABELS, type Tlp } from '../../../platform/tlp.js';
import { ASSET_CRITICALITIES } from '../domain/asset.js';
import { loadOsv, osvSources } from '../files/osv-sources.js';
import type { AdvisoryImport, AffectedOperators, Asset, OperatorExposure, UploadResult } from '../presenters.js';
import { importAdvisories, type UpsertOutcome } from '../service/advisories.js';
import { listAssets } from '../service/assets.js';
import { affectedOperators, exposureForOperator } from '../service/exposure.js';
import { uploadSbom } from '../service/sboms.js';

/** Runs `local` with the local operator's context, or `remote` against --url. */
const either = <T>(
  deps: CommandDeps,
  flags: RemoteFlags,
  local: (ctx: ServiceContext) => Promise<T>,
  remote: (api: ApiClient) => Promise<T>,
  options: LocalOptions = {},
) => dispatch(deps, flags, (rt) => local(rt.ctx), remote, options);

/**
 * Advisories go to the service in batches: one transaction (and one lock) per batch, not per record; through
 * the API each batch is one request, kept under the server's import body limit.
 */
const IMPORT_BATCH = 500;
const IMPORT_BATCH_BYTES = 8 * 1024 * 1024;

function batchesOf<T>(items: readonly T[], size: (item: T) => number): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const n = size(item);
    if (current.length > 0 && (current.length >= IMPORT_BATCH || bytes + n > IMPORT_BATCH_BYTES)) {
      batches.push(current);
      [current, bytes] = [[], 0];
    }
    current.push(item);
    bytes += n;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

type ImportSummary = Record<UpsertOutcome, number> & {
  read: number;
  skipped: { source: string; reason: string }[];
  works: QueuedWork[];
};

function describeImport(r: Waited<ImportSummary>): string {
  return [
    `${r.read} advisories read: ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.stale} older than the stored version`,
    ...(r.skipped.length > 0
      ? [`${r.skipped.length} file(s) skipped (not OSV records), first: ${r.skipped[0]?.source ?? ''}: ${r.skipped[0]?.reason ?? ''}`]
      : []),
    describeQueued(r.works, r.waited),
  ].join('\n');
}

function registerAdvisoryImport(inventory: Command, deps: CommandDeps): void {
  withWaitOption(
    withRemoteOptions(
      inventory
        .command('advisories')
        .description('advisories the inventory matches against')
        .command('import')
        .description(
          'create or update advisories from OSV files, directory trees of them, or ZIPs; the reverse match runs in the background',
        )
        .argument('<path...>', 'OSV file (JSON or YAML), directory tree, or ZIP')
        .option('--tlp <label>', `TLP of the advisories (${TLP_LABELS.join(', ')})`, 'CLEAR')
        .option('--source <name>', 'where they come from, recorded with each', 'osv-import')
        .option('--json', 'print JSON'),
    ),
  ).action(async (paths: string[], flags: RemoteFlags & { tlp: string; source: string; wait?: boolean }) => {
    if (!isTlp(flags.tlp))
      throw new InputError(`--tlp must be one of ${TLP_LABELS.join(', ')}`, [{ pointer: '--tlp', detail: 'must be a TLP 2.0 label' }]);
    const tlp: Tlp = flags.tlp;
    const sources = osvSources(paths);
    const reading = progress(deps.output, 'reading', sources.length);
    const load = loadOsv(sources, (done) => reading.update(done));
    reading.stop();
    const items = load.advisories.map((a) => ({ record: a.document, sourceRef: a.source }));
    const batches = batchesOf(items, (item) => JSON.stringify(item.record).length);
    const importAll = async (send: (batch: typeof items) => Promise<AdvisoryImport>): Promise<ImportSummary> => {
      const summary: ImportSummary = {
        read: items.length,
        created: 0,
        updated: 0,
        unchanged: 0,
        stale: 0,
        skipped: load.skipped,
        works: [],
      };
      const bar = progress(deps.output, 'importing', items.length);
      let sent = 0;
      for (const batch of batches) {
        const done = await send(batch);
        for (const outcome of Object.keys(done.counts) as UpsertOutcome[]) summary[outcome] += done.counts[outcome];
        summary.works.push(done.work);
        sent += batch.length;
        bar.update(sent);
      }
      bar.stop();
      return summary;
    };
    const result = await dispatchWaiting(
      deps,
      flags,
      ({ ctx }) => importAll((batch) => importAdvisories(ctx, batch, { source: flags.source, tlp })),
      (api) =>
        importAll((batch) =>
          api.post<AdvisoryImport>('/api/v1/inventory/advisories/import', { records: batch, tlp, source: flags.source }),
        ),
      (r) => r.works,
    );
    emit(deps.output, flags.json, result, describeImport);
  });
}

/** `inventory upload|assets|exposure|affected`, `inventory advisories import`. */
export function registerInventoryCommands(program: Command, deps: CommandDeps): void {
  const inventory = program.command('inventory').description('operator inventories (SBOMs), advisories and exposure');

  withWaitOption(
    withRemoteOptions(
      inventory
        .command('upload')
        .description("upload an SBOM as an asset's inventory and print its matches")
        .argument('<file>', 'CycloneDX or SPDX document')
        .requiredOption('--asset <name>', 'asset name; created on its first upload')
        .option('--org <id>', 'the operator organisation (required on the local database; remotely, default your own)')
        .option('--sector <sector>', 'critical-infrastructure sector of the asset')
        .option('--criticality <level>', ASSET_CRITICALITIES.join(' | '))
        .option('--internet-facing', 'the asset is reachable from the internet')
        .option('--json', 'print JSON'),
    ),
  ).action(
    async (
      file: string,
      flags: RemoteFlags & { asset: string; org?: string; sector?: string; criticality?: string; internetFacing?: boolean; wait?: boolean },
    ) => {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (error) {
        throw new InputError(`cannot read ${file}: ${(error as Error).message}`, [
          { pointer: '<file>', detail: 'must be a readable file' },
        ]);
      }
      const asset = {
        name: flags.asset,
        orgId: flags.org,
        sector: flags.sector,
        criticality: flags.criticality,
        internetFacing: flags.internetFacing,
      };
      const head = bytes.subarray(0, 64).toString('utf8');
      const result = await dispatchWaiting(
        deps,
        flags,
        ({ ctx }) => {
          if (flags.org === undefined)
            throw new InputError('--org is required on the local database', [{ pointer: '--org', detail: 'is required' }]);
          return uploadSbom(ctx, { asset, bytes });
        },
        (api) =>
          api.request<UploadResult>(
            'POST',
            `/api/v1/inventory/sboms${queryOf({ asset: flags.asset, orgId: flags.org, sector: flags.sector, criticality: flags.criticality, internetFacing: flags.internetFacing ? 'true' : undefined })}`,
            bytes,
            /^\s*</.test(head) ? 'application/xml' : /^\s*[{[]/.test(head) ? 'application/json' : 'text/plain',
          ),
        (r) => [r.work],
      );
      emit(deps.output, flags.json, result, (r: Waited<UploadResult>) =>
        [
          `${r.created ? 'uploaded' : 'unchanged:'} ${r.asset.name} version ${r.sbom.version} (${r.sbom.id}): ${r.sbom.components} components, ${r.sbom.unmatched} unmatched; ` +
            `${r.matches.affected} affected matches (${r.matches.advisories} advisories), ${r.matches.unknown} undecidable`,
          describeQueued([r.work], r.waited),
        ].join('\n'),
      );
    },
  );

  withRemoteOptions(
    inventory.command('assets').description('list assets').option('--org <id>', 'only this operator').option('--json', 'print JSON'),
  ).action(async (flags: RemoteFlags & { org?: string }) => {
    const page = await either(
      deps,
      flags,
      (ctx) => listAssets(ctx, { orgId: flags.org, limit: 500 }),
      (api) => api.get<Page<Asset>>(`/api/v1/inventory/assets${queryOf({ orgId: flags.org, limit: 500 })}`),
      { reads: true },
    );
    emit(deps.output, flags.json, page, (p) =>
      table(
        ['ID', 'ORG', 'NAME', 'SECTOR', 'CRITICALITY', 'INTERNET', 'SBOM'],
        p.items.map((a) => [
          a.id,
          a.orgId,
          a.name,
          a.sector ?? '-',
          a.criticality,
          a.internetFacing ? 'yes' : 'no',
          a.currentSbomId ?? '-',
        ]),
      ),
    );
  });

  withRemoteOptions(
    inventory
      .command('exposure')
      .description("an operator's exposure, by advisory and asset")
      .option('--org <id>', 'the operator (default: yours remotely)')
      .option('--json', 'print JSON'),
  ).action(async (flags: RemoteFlags & { org?: string }) => {
    const exposure = await either(
      deps,
      flags,
      (ctx) => {
        if (flags.org === undefined)
          throw new InputError('--org is required on the local database', [{ pointer: '--org', detail: 'is required' }]);
        return exposureForOperator(ctx, flags.org, { limit: 500 });
      },
      (api) => api.get<OperatorExposure>(`/api/v1/inventory/exposure${queryOf({ orgId: flags.org, limit: 500 })}`),
      { reads: true },
    );
    emit(deps.output, flags.json, exposure, (e) =>
      [
        `${e.totals.advisories} advisories match ${e.totals.assets} assets (${e.totals.affected} affected, ${e.totals.unknown} undecidable component matches)`,
        table(
          ['ADVISORY', 'ASSET', 'PURL', 'STATUS', 'FIXED'],
          e.items.flatMap((i) =>
            i.assets.flatMap((a) => a.matches.map((m) => [i.advisory.id, a.name, m.purl ?? '-', m.status, m.fixed.join(',') || '-'])),
          ),
        ),
      ].join('\n'),
    );
  });

  withRemoteOptions(
    inventory
      .command('affected')
      .description('the operators an advisory affects (coordinators)')
      .argument('<advisory>', 'advisory id or alias')
      .option('--json', 'print JSON'),
  ).action(async (advisory: string, flags: RemoteFlags) => {
    const affected = await either(
      deps,
      flags,
      (ctx) => affectedOperators(ctx, advisory, { limit: 500 }),
      (api) => api.get<AffectedOperators>(`/api/v1/inventory/advisories/${encodeURIComponent(advisory)}/affected?limit=500`),
      { reads: true },
    );
    emit(deps.output, flags.json, affected, (a) =>
      table(
        ['ORG', 'ASSET', 'PURL', 'STATUS', 'FIXED'],
        a.items.flatMap((o) =>
          o.assets.flatMap((s) => s.matches.map((m) => [o.orgId, s.name, m.purl ?? '-', m.status, m.fixed.join(',') || '-'])),
        ),
      ),
    );
  });

  registerAdvisoryImport(inventory, deps);
}
