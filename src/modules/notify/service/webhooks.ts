import type { ServiceContext } from '../../../platform/context.js';
import { serializeOn, withTransaction, type Page, type PageRequest } from '../../../platform/db/index.js';
import { ConflictError, InputError, NotFoundError, type FieldIssue } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { isTlp } from '../../../platform/tlp.js';
import { DAY } from '../../../platform/clock.js';
import { authorize, isSector } from '../../identity/index.js';
import { CLOSED_BREAKER } from '../domain/circuit-breaker.js';
import { DEFAULT_TLP_CEILING, eventPatternProblem } from '../domain/delivery-filter.js';
import { generateWebhookSecret } from '../domain/webhook-signature.js';
import { checkWebhookUrl } from '../domain/webhook-url.js';
import { presentNewWebhook, presentWebhook, type NewWebhook, type Webhook } from '../presenters.js';
import { cancelEndpointDeliveries } from '../store/deliveries.js';
import { findEndpoint, insertEndpoint, listEndpoints, updateEndpoint } from '../store/endpoints.js';
import type { EndpointRow } from '../store/tables.js';
import { requireMember, orgOf } from './access.js';
import { allowListBlocks } from './allowlist.js';

export const MAX_WEBHOOKS_PER_ORG = 20;
const MAX_EVENT_PATTERNS = 50;
const MAX_PRODUCTS = 200;

export interface WebhookFields {
  readonly url?: string;
  /** Event types: exact, `family.*` or `*`. */
  readonly events?: readonly string[];
  readonly description?: string | null;
  readonly tlpCeiling?: string;
  /** Sector keys, or null for all. */
  readonly sectors?: readonly string[] | null;
  /** Package URLs without version, or null for all. */
  readonly products?: readonly string[] | null;
  readonly enabled?: boolean;
}

type Checked = Omit<Partial<EndpointRow>, 'enabled'> & { enabled?: number };

/** Checks the fields given; every problem is named by its field. */
async function checkFields(ctx: ServiceContext, input: WebhookFields): Promise<Checked> {
  const issues: FieldIssue[] = [];
  const out: Checked = {};
  if (input.url !== undefined) {
    const check = checkWebhookUrl(input.url, await allowListBlocks(ctx));
    if (check.ok) out.url = check.url.href;
    else issues.push({ pointer: '/url', detail: check.reason });
  }
  if (input.events !== undefined) {
    if (input.events.length === 0 || input.events.length > MAX_EVENT_PATTERNS) {
      issues.push({ pointer: '/events', detail: `must list 1 to ${MAX_EVENT_PATTERNS} event types` });
    }
    input.events.forEach((pattern, i) => {
      const problem = eventPatternProblem(pattern);
      if (problem !== null) issues.push({ pointer: `/events/${i}`, detail: problem });
    });
    out.event_types = JSON.stringify([...new Set(input.events)]);
  }
  if (input.description !== undefined) {
    const d = input.description?.trim() ?? '';
    if (d.length > 200) issues.push({ pointer: '/description', detail: 'must be at most 200 characters' });
    out.description = d === '' ? null : d;
  }
  if (input.tlpCeiling !== undefined) {
    if (isTlp(input.tlpCeiling)) out.tlp_ceiling = input.tlpCeiling;
    else issues.push({ pointer: '/tlpCeiling', detail: 'must be one of CLEAR, GREEN, AMBER, AMBER+STRICT, RED' });
  }
  if (input.sectors !== undefined) {
    input.sectors?.forEach((s, i) => {
      if (!isSector(s)) issues.push({ pointer: `/sectors/${i}`, detail: 'must be a critical-infrastructure sector key' });
    });
    out.sectors = input.sectors === null ? null : JSON.stringify([...new Set(input.sectors)]);
  }
  if (input.products !== undefined) {
    if ((input.products?.length ?? 0) > MAX_PRODUCTS)
      issues.push({ pointer: '/products', detail: `must list at most ${MAX_PRODUCTS} packages` });
    input.products?.forEach((p, i) => {
      if (!/^pkg:[a-z][a-z0-9.+-]*\/\S{1,300}$/i.test(p))
        issues.push({ pointer: `/products/${i}`, detail: 'must be a package URL such as pkg:pypi/django' });
    });
    out.products = input.products === null ? null : JSON.stringify([...new Set(input.products)]);
  }
  if (input.enabled !== undefined) out.enabled = input.enabled ? 1 : 0;
  if (issues.length > 0)
    throw new InputError(`the webhook is not valid: ${issues.map((i) => `${i.pointer} ${i.detail}`).join('; ')}`, issues);
  return out;
}

/**
 * Registers a webhook for an organisation (the caller's by default): an https URL that passes the SSRF
 * check, the event types it wants, and optional filters (TLP ceiling, default AMBER+STRICT; sectors;
 * packages). Answers the signing secret once. The organisation's admins; at most 20 per organisation.
 * Audited `notify.webhook.create` (without the secret).
 */
export async function registerWebhook(ctx: ServiceContext, input: WebhookFields & { readonly orgId?: string }): Promise<NewWebhook> {
  const orgId = orgOf(ctx.actor, input.orgId);
  authorize(ctx.actor, 'notify.webhook.manage', { ownerOrgId: orgId });
  const missing: FieldIssue[] = [];
  if (input.url === undefined) missing.push({ pointer: '/url', detail: 'is required' });
  if (input.events === undefined) missing.push({ pointer: '/events', detail: 'is required' });
  if (missing.length > 0) throw new InputError('a webhook needs a url and the events it wants', missing);
  const fields = await checkFields(ctx, input);
  const now = ctx.clock.now().toISOString();
  const secret = generateWebhookSecret();
  const row: EndpointRow = {
    id: newId('whk'),
    org_id: orgId,
    url: fields.url as string,
    description: fields.description ?? null,
    secrets: JSON.stringify([secret]),
    previous_secret_until: null,
    event_types: fields.event_types as string,
    tlp_ceiling: fields.tlp_ceiling ?? DEFAULT_TLP_CEILING,
    sectors: fields.sectors ?? null,
    products: fields.products ?? null,
    enabled: fields.enabled ?? 1,
    disabled_reason: null,
    breaker_status: CLOSED_BREAKER.status,
    breaker_failures: 0,
    breaker_trips: 0,
    breaker_open_until: null,
    created_by: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
    created_at: now,
    updated_at: now,
    deleted_at: null,
  };
  return withTransaction(ctx.db, async (trx) => {
    // Two registrations at once must not both pass the limit (PostgreSQL; SQLite serializes writers).
    await serializeOn(trx, ctx.db.caps, `notify.webhooks:${orgId}`);
    const existing = await listEndpoints(trx, orgId, { limit: MAX_WEBHOOKS_PER_ORG });
    if (existing.items.length >= MAX_WEBHOOKS_PER_ORG) {
      throw new ConflictError(`an organisation has at most ${MAX_WEBHOOKS_PER_ORG} webhooks; delete one first`, { code: 'webhook-limit' });
    }
    await insertEndpoint(trx, row);
    const { secrets: _secrets, ...audited } = row;
    await ctx.audit.record(trx, ctx.actor, {
      action: 'notify.webhook.create',
      subject: { type: 'webhook', id: row.id },
      orgId,
      diff: auditable(audited),
    });
    return presentNewWebhook(row, secret);
  });
}

/**
 * A webhook is its organisation's own, yet audit lines are read by the coordinators: they record where it
 * points (the origin) but not its path and query — which often carry the receiver's own credentials — nor
 * the organisation's description of it.
 */
function originOf(url: string): string {
  return new URL(url).origin;
}

function auditable(row: Omit<EndpointRow, 'secrets'>): Record<string, unknown> {
  return { ...row, url: originOf(row.url), description: row.description === null ? null : 'set' };
}

/** A webhook of the caller's organisation; NotFoundError for any other. */
export async function getWebhook(ctx: ServiceContext, id: string): Promise<Webhook> {
  return presentWebhook(await visibleEndpoint(ctx, id));
}

/** The live endpoint `id` if the caller's organisation owns it; NotFoundError otherwise. */
export async function visibleEndpoint(ctx: ServiceContext, id: string): Promise<EndpointRow> {
  const row = await findEndpoint(ctx.db.kysely, id);
  if (row === undefined) throw new NotFoundError(`no webhook ${id}`);
  requireMember(ctx.actor, row.org_id, `webhook ${id}`);
  authorize(ctx.actor, 'notify.webhook.list', { ownerOrgId: row.org_id });
  return row;
}

export async function listWebhooks(ctx: ServiceContext, query: { readonly orgId?: string }, request: PageRequest): Promise<Page<Webhook>> {
  const orgId = orgOf(ctx.actor, query.orgId);
  requireMember(ctx.actor, orgId, `organisation ${orgId}`);
  authorize(ctx.actor, 'notify.webhook.list', { ownerOrgId: orgId });
  const page = await listEndpoints(ctx.db.kysely, orgId, request);
  return { items: page.items.map(presentWebhook), nextCursor: page.nextCursor };
}

/**
 * Changes a webhook's URL, events, filters, description or enabled state. Re-enabling one that a 410 or an
 * admin disabled closes its circuit. Audited `notify.webhook.update` with what changed.
 */
export async function updateWebhook(ctx: ServiceContext, id: string, input: WebhookFields): Promise<Webhook> {
  const row = await visibleEndpoint(ctx, id);
  authorize(ctx.actor, 'notify.webhook.manage', { ownerOrgId: row.org_id });
  const fields = await checkFields(ctx, input);
  const now = ctx.clock.now().toISOString();
  const changes: Partial<EndpointRow> = { ...fields, updated_at: now };
  if (fields.enabled === 1 && row.enabled === 0) Object.assign(changes, { disabled_reason: null, ...breakerReset });
  if (fields.enabled === 0 && row.enabled === 1) changes.disabled_reason = `disabled by an admin at ${now}`;
  const diff: Record<string, unknown> = Object.fromEntries(
    Object.entries(fields)
      .filter(([k, v]) => row[k as keyof EndpointRow] !== v)
      .map(([k, v]) => [k, [row[k as keyof EndpointRow], v]]),
  );
  if ('url' in diff) diff.url = [originOf(row.url), originOf(fields.url as string)];
  if ('description' in diff) diff.description = 'changed';
  return withTransaction(ctx.db, async (trx) => {
    await updateEndpoint(trx, id, changes);
    await ctx.audit.record(trx, ctx.actor, { action: 'notify.webhook.update', subject: { type: 'webhook', id }, orgId: row.org_id, diff });
    return presentWebhook({ ...row, ...changes });
  });
}

const breakerReset = { breaker_status: 'closed', breaker_failures: 0, breaker_trips: 0, breaker_open_until: null } as const;

/** Deletes a webhook: nothing more is sent to it, and its pending deliveries are cancelled. Audited. */
export async function deleteWebhook(ctx: ServiceContext, id: string): Promise<void> {
  const row = await visibleEndpoint(ctx, id);
  authorize(ctx.actor, 'notify.webhook.manage', { ownerOrgId: row.org_id });
  const now = ctx.clock.now().toISOString();
  await withTransaction(ctx.db, async (trx) => {
    await updateEndpoint(trx, id, { deleted_at: now, enabled: 0, disabled_reason: 'deleted', updated_at: now });
    const cancelled = await cancelEndpointDeliveries(trx, id, 'the webhook was deleted', now);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'notify.webhook.delete',
      subject: { type: 'webhook', id },
      orgId: row.org_id,
      diff: { url: originOf(row.url), cancelled },
    });
  });
}

/**
 * Gives a webhook a new secret, shown once. The old one keeps signing beside it for 24 hours (the
 * `webhook-signature` header then carries both), so that the receiver can switch without losing a message.
 */
export async function rotateWebhookSecret(
  ctx: ServiceContext,
  id: string,
): Promise<{ readonly secret: string; readonly previousValidUntil: string }> {
  const row = await visibleEndpoint(ctx, id);
  authorize(ctx.actor, 'notify.webhook.manage', { ownerOrgId: row.org_id });
  const now = ctx.clock.now();
  const secret = generateWebhookSecret();
  const previousValidUntil = new Date(now.getTime() + DAY).toISOString();
  const current = (JSON.parse(row.secrets) as string[])[0] as string;
  await withTransaction(ctx.db, async (trx) => {
    await updateEndpoint(trx, id, {
      secrets: JSON.stringify([secret, current]),
      previous_secret_until: previousValidUntil,
      updated_at: now.toISOString(),
    });
    await ctx.audit.record(trx, ctx.actor, {
      action: 'notify.webhook.rotate',
      subject: { type: 'webhook', id },
      orgId: row.org_id,
      diff: { previousValidUntil },
    });
  });
  return { secret, previousValidUntil };
}
