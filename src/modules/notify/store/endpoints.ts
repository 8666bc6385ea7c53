import type { Executor, Page, PageRequest } from '../../../platform/db/index.js';
import { chunks, paginate } from '../../../platform/db/index.js';
import type { BreakerState } from '../domain/circuit-breaker.js';
import { t, type EndpointRow } from './tables.js';

export async function insertEndpoint(executor: Executor, row: EndpointRow): Promise<void> {
  await t(executor).insertInto('notify_endpoint').values(row).execute();
}

/** A live (not deleted) endpoint. */
export async function findEndpoint(executor: Executor, id: string): Promise<EndpointRow | undefined> {
  return t(executor).selectFrom('notify_endpoint').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

export async function findEndpoints(executor: Executor, ids: readonly string[]): Promise<EndpointRow[]> {
  const out: EndpointRow[] = [];
  for (const part of chunks([...new Set(ids)])) {
    out.push(...(await t(executor).selectFrom('notify_endpoint').selectAll().where('id', 'in', part).execute()));
  }
  return out;
}

export async function listEndpoints(executor: Executor, orgId: string, request: PageRequest): Promise<Page<EndpointRow>> {
  const query = t(executor).selectFrom('notify_endpoint').selectAll().where('org_id', '=', orgId).where('deleted_at', 'is', null);
  return paginate(query, request, { sort: 'notify_endpoint.id', id: 'notify_endpoint.id', sortOf: (r) => r.id, idOf: (r) => r.id });
}

/** The enabled endpoints of these organisations, for fan-out. */
export async function enabledEndpointsOf(executor: Executor, orgIds: readonly string[]): Promise<EndpointRow[]> {
  const out: EndpointRow[] = [];
  for (const part of chunks([...new Set(orgIds)])) {
    out.push(
      ...(await t(executor)
        .selectFrom('notify_endpoint')
        .selectAll()
        .where('org_id', 'in', part)
        .where('enabled', '=', 1)
        .where('deleted_at', 'is', null)
        .orderBy('id')
        .execute()),
    );
  }
  return out;
}

export async function updateEndpoint(executor: Executor, id: string, changes: Partial<EndpointRow>): Promise<void> {
  await t(executor).updateTable('notify_endpoint').set(changes).where('id', '=', id).execute();
}

export function breakerOf(row: EndpointRow): BreakerState {
  return {
    status: row.breaker_status as BreakerState['status'],
    consecutiveFailures: row.breaker_failures,
    trips: row.breaker_trips,
    openUntil: row.breaker_open_until,
  };
}

export async function saveBreaker(executor: Executor, id: string, state: BreakerState, now: string): Promise<void> {
  await t(executor)
    .updateTable('notify_endpoint')
    .set({
      breaker_status: state.status,
      breaker_failures: state.consecutiveFailures,
      breaker_trips: state.trips,
      breaker_open_until: state.openUntil,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}
