import type { Command } from 'commander';
import {
  collect,
  collectCommaList,
  dispatch,
  emit,
  enc,
  moreHint,
  pages,
  queryOf,
  remoteCommand,
  table,
  withPaging,
  type CommandDeps,
  type PagingFlags,
  type RemoteFlags,
} from '../../platform/cli/index.js';
import type { Page } from '../../platform/db/index.js';
import { InputError } from '../../platform/errors.js';
import { actingCommand, dispatchActing, type ActingFlags } from '../identity/index.js';
import type { Delivery, NewWebhook, Notification, RemediationItem, Webhook } from './presenters.js';
import { getAllowlist } from './service/allowlist.js';
import { listDeliveries, replayDeadLetters, testWebhook } from './service/deliveries.js';
import { listInbox, markInboxRead } from './service/inbox.js';
import { sendPrenotice, type PrenoticeResult } from './service/prenotices.js';
import { loadConfig } from '../../platform/config.js';
import { advisoryRemediation, advisoryRemediationCsv, type AdvisoryRemediation } from './service/oversight.js';
import { listRemediation, reportRemediation } from './service/remediation.js';
import { deleteWebhook, listWebhooks, registerWebhook, rotateWebhookSecret, updateWebhook } from './service/webhooks.js';

type Flags = ActingFlags;

const webhookRow = (w: Webhook) => [w.id, w.url, w.events.join(','), w.tlpCeiling, w.enabled ? w.circuit.status : `disabled`];
const deliveryRow = (d: Delivery) => [d.id, d.webhookId, d.status, String(d.attempts), d.lastStatus?.toString() ?? d.lastError ?? '-'];
const itemRow = (i: RemediationItem) => [
  i.advisoryId,
  i.assetName,
  i.status + (i.overdue ? ' (overdue)' : ''),
  i.decision ?? '-',
  i.dueAt ?? '-',
];
const percent = (share: number | null) => (share === null ? '-' : `${Math.round(share * 100)} %`);

function listed<T>(headers: string[], rows: (item: T) => string[]) {
  return (page: { items: T[]; nextCursor: string | null }) =>
    [page.items.length === 0 ? '(none)' : table(headers, page.items.map(rows)), moreHint(page.items.length, page.nextCursor)]
      .filter((line) => line !== '')
      .join('\n');
}

/** notify's commands: `webhook …`, `inbox`, `remediation …`. */
export function registerNotifyCommands(program: Command, deps: CommandDeps): void {
  registerWebhookCommands(program, deps);
  registerRemediationCommands(program, deps);
  registerPrenoticeCommand(program, deps);
}

/** `clearinghouse prenotice CASE --advisory ID`: coordinator staff tell the operators in scope during an embargo. */
function registerPrenoticeCommand(program: Command, deps: CommandDeps): void {
  remoteCommand(
    program,
    'prenotice',
    "pre-notify, during a case's embargo, the operators whose inventories match an advisory (TLP:AMBER+STRICT, with the embargo end; coordinator staff)",
  )
    .argument('<case>', 'case id or number (CH-YYYY-NNNN)')
    .requiredOption('--advisory <id>', "the inventory's advisory (id or alias) whose matches say who runs the software")
    .option('--note <text>', 'what the operators should do until the embargo ends')
    .action(async (caseId: string, flags: RemoteFlags & { advisory: string; note?: string }) => {
      const input = { caseId, advisoryId: flags.advisory, ...(flags.note === undefined ? {} : { note: flags.note }) };
      const sent = await dispatch(
        deps,
        flags,
        (rt) => sendPrenotice(rt.ctx, { publicUrl: loadConfig(deps.env).publicUrl }, input),
        (api) => api.post<PrenoticeResult>('/api/v1/prenotices', input),
      );
      emit(deps.output, flags.json, sent, (p) =>
        [
          `pre-notice for ${p.advisoryId} under the embargo until ${p.embargoEndsAt}:`,
          `${p.matchedOperators} operator(s) run an affected version; ${p.notifications} newly told, ${p.deliveries} webhook deliveries queued`,
        ].join('\n'),
      );
    });
}

/** `clearinghouse webhook …`: register, list, remove and test webhooks; dead letters and their replay; `inbox`. */
function registerWebhookCommands(program: Command, deps: CommandDeps): void {
  const webhook = program.command('webhook').description("your organisation's webhooks: signed, retried, dead-lettered, replayable");
  actingCommand(webhook, 'add', 'register a webhook (admins); prints its signing secret once')
    .argument('<url>', 'https URL (plain http only to an allow-listed address)')
    .requiredOption(
      '--event <type>',
      'a notification type, a family (advisory.*) or *; repeatable, or comma-separated',
      collectCommaList,
      [],
    )
    .option('--description <text>', 'what it is for')
    .option('--tlp-ceiling <tlp>', 'the highest TLP it receives (default AMBER+STRICT)')
    .option('--sector <key>', 'only notifications about assets of these sectors; repeatable', collect, [])
    .option('--product <purl>', 'only notifications about these packages (purl without version); repeatable', collect, [])
    .action(
      async (
        url: string,
        flags: Flags & { event: string[]; description?: string; tlpCeiling?: string; sector: string[]; product: string[] },
      ) => {
        const body = {
          url,
          events: flags.event,
          ...(flags.description === undefined ? {} : { description: flags.description }),
          ...(flags.tlpCeiling === undefined ? {} : { tlpCeiling: flags.tlpCeiling }),
          ...(flags.sector.length === 0 ? {} : { sectors: flags.sector }),
          ...(flags.product.length === 0 ? {} : { products: flags.product }),
        };
        const created = await dispatchActing(
          deps,
          flags,
          (ctx) => registerWebhook(ctx, body),
          (api) => api.post<NewWebhook>('/api/v1/webhooks', body),
        );
        emit(deps.output, flags.json, created, (c) =>
          [`webhook ${c.id} registered for ${c.webhook.url}`, `signing secret (shown this once): ${c.secret}`].join('\n'),
        );
      },
    );

  withPaging(actingCommand(webhook, 'list', "your organisation's webhooks")).action(async (flags: Flags & PagingFlags) => {
    const page = await dispatchActing(
      deps,
      flags,
      (ctx) => pages(flags, (p) => listWebhooks(ctx, {}, p)),
      (api) => pages(flags, (p) => api.get<Page<Webhook>>(`/api/v1/webhooks${queryOf(p)}`)),
      { reads: true },
    );
    emit(deps.output, flags.json, page, listed(['ID', 'URL', 'EVENTS', 'TLP CEILING', 'CIRCUIT'], webhookRow));
  });

  actingCommand(webhook, 'remove', 'delete a webhook; its pending deliveries are cancelled (admins)')
    .argument('<id>', 'the webhook')
    .action(async (id: string, flags: Flags) => {
      await dispatchActing(
        deps,
        flags,
        (ctx) => deleteWebhook(ctx, id),
        (api) => api.delete<unknown>(`/api/v1/webhooks/${enc(id)}`),
      );
      emit(deps.output, flags.json, { id, removed: true }, () => `webhook ${id} removed`);
    });

  actingCommand(
    webhook,
    'update',
    "change a webhook's events, filters, URL (--endpoint), description or state (admins); what is not named stays",
  )
    .argument('<id>', 'the webhook')
    .option('--endpoint <url>', 'a new https URL to deliver to (plain http only to an allow-listed address)')
    .option('--event <type>', 'replaces the event types: a type, a family (advisory.*) or *; repeatable', collectCommaList, [])
    .option('--description <text>', 'what it is for')
    .option('--tlp-ceiling <tlp>', 'the highest TLP it receives')
    .option('--sector <key>', 'replaces the sector filter; repeatable', collect, [])
    .option('--all-sectors', 'drop the sector filter')
    .option('--product <purl>', 'replaces the package filter (purl without version); repeatable', collect, [])
    .option('--all-products', 'drop the package filter')
    .option('--enable', 'enable it (closes its circuit)')
    .option('--disable', 'disable it (its deliveries wait)')
    .action(
      async (
        id: string,
        flags: Flags & {
          endpoint?: string;
          event: string[];
          description?: string;
          tlpCeiling?: string;
          sector: string[];
          allSectors?: boolean;
          product: string[];
          allProducts?: boolean;
          enable?: boolean;
          disable?: boolean;
        },
      ) => {
        const clash = (a: string, b: string) =>
          new InputError(`${a} and ${b} exclude each other`, [{ pointer: a, detail: `excludes ${b}` }]);
        if (flags.enable === true && flags.disable === true) throw clash('--enable', '--disable');
        if (flags.allSectors === true && flags.sector.length > 0) throw clash('--all-sectors', '--sector');
        if (flags.allProducts === true && flags.product.length > 0) throw clash('--all-products', '--product');
        const body = {
          ...(flags.endpoint === undefined ? {} : { url: flags.endpoint }),
          ...(flags.event.length === 0 ? {} : { events: flags.event }),
          ...(flags.description === undefined ? {} : { description: flags.description }),
          ...(flags.tlpCeiling === undefined ? {} : { tlpCeiling: flags.tlpCeiling }),
          ...(flags.allSectors === true ? { sectors: null } : flags.sector.length === 0 ? {} : { sectors: flags.sector }),
          ...(flags.allProducts === true ? { products: null } : flags.product.length === 0 ? {} : { products: flags.product }),
          ...(flags.enable === true ? { enabled: true } : flags.disable === true ? { enabled: false } : {}),
        };
        if (Object.keys(body).length === 0)
          throw new InputError(
            'name at least one change (--endpoint, --event, --description, --tlp-ceiling, --sector, --product, --enable, …)',
            [{ pointer: '', detail: 'no change named' }],
          );
        const updated = await dispatchActing(
          deps,
          flags,
          (ctx) => updateWebhook(ctx, id, body),
          (api) => api.request<Webhook>('PATCH', `/api/v1/webhooks/${enc(id)}`, body),
        );
        emit(deps.output, flags.json, updated, (w) => table(['ID', 'URL', 'EVENTS', 'TLP CEILING', 'CIRCUIT'], [webhookRow(w)]));
      },
    );

  actingCommand(webhook, 'rotate', 'a new signing secret, shown once; the old one signs beside it for 24 hours (admins)')
    .argument('<id>', 'the webhook')
    .action(async (id: string, flags: Flags) => {
      const rotated = await dispatchActing(
        deps,
        flags,
        (ctx) => rotateWebhookSecret(ctx, id),
        (api) => api.post<{ secret: string; previousValidUntil: string }>(`/api/v1/webhooks/${enc(id)}/secret`, {}),
      );
      emit(deps.output, flags.json, { id, ...rotated }, (r) =>
        [`new signing secret (shown this once): ${r.secret}`, `the previous secret signs beside it until ${r.previousValidUntil}`].join(
          '\n',
        ),
      );
    });

  actingCommand(webhook, 'test', 'send a signed webhook.test message now (admins)')
    .argument('<id>', 'the webhook')
    .action(async (id: string, flags: Flags) => {
      const sent = await dispatchActing(
        deps,
        flags,
        (ctx) => testWebhook(ctx, id),
        (api) => api.post<{ deliveryId: string | null; notificationId: string }>(`/api/v1/webhooks/${enc(id)}/test`, {}),
      );
      emit(
        deps.output,
        flags.json,
        sent,
        (s) => `test message queued: delivery ${s.deliveryId ?? '-'} (see webhook dead-letters or the deliveries)`,
      );
    });

  withPaging(actingCommand(webhook, 'dead-letters', 'deliveries that failed for 24 hours, newest first'))
    .option('--webhook <id>', 'of this webhook only')
    .action(async (flags: Flags & PagingFlags & { webhook?: string }) => {
      const query = { status: 'dead', webhookId: flags.webhook };
      const page = await dispatchActing(
        deps,
        flags,
        (ctx) => pages(flags, (p) => listDeliveries(ctx, query, p)),
        (api) => pages(flags, (p) => api.get<Page<Delivery>>(`/api/v1/webhook-deliveries${queryOf({ ...query, ...p })}`)),
        { reads: true },
      );
      emit(deps.output, flags.json, page, listed(['DELIVERY', 'WEBHOOK', 'STATUS', 'ATTEMPTS', 'LAST'], deliveryRow));
    });

  actingCommand(webhook, 'replay', 'replay dead letters under their original webhook-id (admins): those named, or all of --webhook')
    .argument('[deliveryIds...]', 'dead deliveries')
    .option('--webhook <id>', 'every dead letter of this webhook')
    .action(async (deliveryIds: string[], flags: Flags & { webhook?: string }) => {
      const body = {
        ...(deliveryIds.length === 0 ? {} : { deliveryIds }),
        ...(flags.webhook === undefined ? {} : { webhookId: flags.webhook }),
      };
      const result = await dispatchActing(
        deps,
        flags,
        (ctx) => replayDeadLetters(ctx, body),
        (api) => api.post<{ replayed: number }>('/api/v1/webhook-deliveries/replay', body),
      );
      emit(deps.output, flags.json, result, (r) => `${r.replayed} dead letter(s) queued again`);
    });

  actingCommand(webhook, 'allowlist', 'non-public destinations allowed (coordinators)').action(async (flags: Flags) => {
    const entries = await dispatchActing(
      deps,
      flags,
      (ctx) => getAllowlist(ctx),
      async (api) => (await api.get<{ items: Awaited<ReturnType<typeof getAllowlist>> }>('/api/v1/webhook-allowlist')).items,
    );
    emit(deps.output, flags.json, entries, (list) =>
      list.length === 0
        ? '(none)'
        : table(
            ['ID', 'BLOCK', 'NOTE'],
            list.map((e) => [e.id, e.cidr, e.note ?? '']),
          ),
    );
  });

  withPaging(actingCommand(program, 'inbox', "your organisation's notifications, newest first; --read to mark them read"))
    .option('--unread', 'unread ones only')
    .option('--type <type>', 'of one notification type')
    .option('--read <id>', 'mark these read instead of listing (admins and analysts); repeatable', collect, [])
    .option('--read-all', 'mark every notification read instead of listing')
    .action(async (flags: Flags & PagingFlags & { unread?: boolean; type?: string; read: string[]; readAll?: boolean }) => {
      if (flags.read.length > 0 || flags.readAll === true) {
        const body = flags.readAll === true ? { all: true } : { ids: flags.read };
        const marked = await dispatchActing(
          deps,
          flags,
          (ctx) => markInboxRead(ctx, body),
          (api) => api.post<{ marked: number }>('/api/v1/inbox/read', body),
        );
        emit(deps.output, flags.json, marked, (m) => `${m.marked} marked read`);
        return;
      }
      const query = { ...(flags.unread === true ? { unread: true } : {}), ...(flags.type === undefined ? {} : { type: flags.type }) };
      const page = await dispatchActing(
        deps,
        flags,
        (ctx) => pages(flags, (p) => listInbox(ctx, query, p)),
        (api) => pages(flags, (p) => api.get<Page<Notification> & { unread: number }>(`/api/v1/inbox${queryOf({ ...query, ...p })}`)),
      );
      emit(deps.output, flags.json, page, (p) =>
        [
          `${p.unread} unread`,
          listed<Notification>(['ID', 'WHEN', 'TYPE', 'TLP', 'TITLE'], (n) => [
            `${n.readAt === null ? '*' : ' '}${n.id}`,
            n.createdAt,
            n.type,
            n.tlp,
            n.title,
          ])(p),
        ].join('\n'),
      );
    });
}

/** `clearinghouse remediation …`: report per advisory and asset, your open items, the coordinators' report. */
function registerRemediationCommands(program: Command, deps: CommandDeps): void {
  const remediation = program.command('remediation').description('remediation of notified advisories: report, list, oversee');
  actingCommand(remediation, 'set', "report an advisory's remediation on your notified assets (admins and analysts)")
    .argument('<advisory>', 'the advisory notified (id or alias)')
    .argument('<status>', 'received, acknowledged, patched, mitigated, not_affected or risk_accepted')
    .option('--asset <id>', 'only these assets (default: every notified one); repeatable', collect, [])
    .option('--mitigation <text>', 'mitigated: what was done instead of patching')
    .option('--justification <label>', 'not_affected: a VEX justification such as vulnerable_code_not_in_execute_path')
    .option('--expires-at <instant>', 'risk_accepted: when the item reopens')
    .option('--note <text>', 'a note for the record')
    .action(
      async (
        advisoryId: string,
        status: string,
        flags: Flags & { asset: string[]; mitigation?: string; justification?: string; expiresAt?: string; note?: string },
      ) => {
        const body = {
          advisoryId,
          status,
          ...(flags.asset.length === 0 ? {} : { assetIds: flags.asset }),
          ...(flags.mitigation === undefined ? {} : { mitigation: flags.mitigation }),
          ...(flags.justification === undefined ? {} : { justification: flags.justification }),
          ...(flags.expiresAt === undefined ? {} : { expiresAt: flags.expiresAt }),
          ...(flags.note === undefined ? {} : { note: flags.note }),
        };
        const items = await dispatchActing(
          deps,
          flags,
          (ctx) => reportRemediation(ctx, body, 'cli'),
          async (api) => (await api.post<{ items: RemediationItem[] }>('/api/v1/remediation', body)).items,
        );
        emit(deps.output, flags.json, items, (list) => table(['ADVISORY', 'ASSET', 'STATUS', 'DECISION', 'DUE'], list.map(itemRow)));
      },
    );

  withPaging(actingCommand(remediation, 'list', 'your open items, soonest due first (coordinators: --org or --advisory for any operator)'))
    .option('--advisory <id>', 'of one advisory')
    .option('--closed', 'closed items too')
    .option('--due-before <date>', 'only items due before this date')
    .option('--sector <key>', 'only assets of this sector')
    .action(async (flags: Flags & PagingFlags & { advisory?: string; closed?: boolean; dueBefore?: string; sector?: string }) => {
      const query = {
        ...(flags.advisory === undefined ? {} : { advisoryId: flags.advisory }),
        ...(flags.closed === true ? { open: false } : {}),
        ...(flags.dueBefore === undefined ? {} : { dueBefore: flags.dueBefore }),
        ...(flags.sector === undefined ? {} : { sector: flags.sector }),
      };
      const page = await dispatchActing(
        deps,
        flags,
        (ctx) => pages(flags, (p) => listRemediation(ctx, query, p)),
        (api) => pages(flags, (p) => api.get<Page<RemediationItem>>(`/api/v1/remediation${queryOf({ ...query, ...p })}`)),
        { reads: true },
      );
      emit(deps.output, flags.json, page, listed(['ADVISORY', 'ASSET', 'STATUS', 'DECISION', 'DUE'], itemRow));
    });

  remoteCommand(remediation, 'report', "one advisory's remediation across operators (coordinators): shares by sector, or --csv per asset")
    .argument('<advisory>', 'the advisory notified')
    .option('--csv', 'the per-asset table as CSV')
    .action(async (advisoryId: string, flags: RemoteFlags & { csv?: boolean }) => {
      if (flags.csv === true) {
        const csv = await dispatch(
          deps,
          flags,
          (rt) => advisoryRemediationCsv(rt.ctx, advisoryId),
          async (api) => (await api.bytes(`/api/v1/remediation/advisories/${enc(advisoryId)}/csv`)).toString('utf8'),
          { reads: true },
        );
        deps.output.out(csv.endsWith('\n') ? csv.slice(0, -1) : csv);
        return;
      }
      const report = await dispatch(
        deps,
        flags,
        (rt) => advisoryRemediation(rt.ctx, advisoryId),
        (api) => api.get<AdvisoryRemediation>(`/api/v1/remediation/advisories/${enc(advisoryId)}`),
        { reads: true },
      );
      emit(deps.output, flags.json, report, (r) =>
        [
          `${r.advisoryId}: ${r.operators.notified} operator(s) notified, ${r.operators.acknowledged} acknowledged, ${r.operators.patched} patched`,
          `assets: ${r.totals.assets}, acknowledged ${percent(r.totals.acknowledgedShare)}, patched ${percent(r.totals.patchedShare)}, overdue ${r.totals.overdue}`,
          table(
            ['SECTOR', 'ASSETS', 'ACKNOWLEDGED', 'PATCHED', 'OPEN', 'OVERDUE'],
            r.bySector.map((s) => [
              s.sector ?? '-',
              String(s.assets),
              percent(s.acknowledgedShare),
              percent(s.patchedShare),
              String(s.open),
              String(s.overdue),
            ]),
          ),
        ].join('\n'),
      );
    });
}
