import { sql } from 'kysely';
import type { Executor } from '../../../platform/db/index.js';
import type { ScanTarget } from '../domain/scan-target.js';
import { mayOverlap } from './network-filters.js';
import { t, type LeaseRow } from './tables.js';

/**
 * Takes the (target, technique) slot for a new lease in one statement: inserted when the slot is new,
 * taken over when the lease in it has expired or was released, left alone otherwise. The unique key
 * and the conditional upsert make the database the judge — of two processes claiming at once, one gets
 * the row and the other sees it held. Returns the new lease, or undefined when the slot is held.
 */
export async function claimSlot(executor: Executor, lease: LeaseRow, now: string): Promise<LeaseRow | undefined> {
  return t(executor)
    .insertInto('scanning_lease')
    .values(lease)
    .onConflict((oc) =>
      oc
        .columns(['target_key', 'technique'])
        .doUpdateSet((eb) => ({
          id: eb.ref('excluded.id'),
          kind: eb.ref('excluded.kind'),
          text: eb.ref('excluded.text'),
          net_low: eb.ref('excluded.net_low'),
          net_high: eb.ref('excluded.net_high'),
          host_name: eb.ref('excluded.host_name'),
          owner_org_id: eb.ref('excluded.owner_org_id'),
          created_by: eb.ref('excluded.created_by'),
          campaign_id: eb.ref('excluded.campaign_id'),
          claimed_at: eb.ref('excluded.claimed_at'),
          expires_at: eb.ref('excluded.expires_at'),
          released_at: eb.ref('excluded.released_at'),
        }))
        .where((eb) => eb.or([eb('scanning_lease.expires_at', '<=', now), eb('scanning_lease.released_at', 'is not', null)])),
    )
    .returningAll()
    .executeTakeFirst();
}

export async function findSlot(executor: Executor, targetKey: string, technique: string): Promise<LeaseRow | undefined> {
  return t(executor)
    .selectFrom('scanning_lease')
    .selectAll()
    .where('target_key', '=', targetKey)
    .where('technique', '=', technique)
    .executeTakeFirst();
}

export async function findLease(executor: Executor, id: string): Promise<LeaseRow | undefined> {
  return t(executor).selectFrom('scanning_lease').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Moves a live lease's expiry; false when it is no longer live (expired, released or taken over). */
export async function extendLease(executor: Executor, id: string, expiresAt: string, now: string): Promise<boolean> {
  const r = await t(executor)
    .updateTable('scanning_lease')
    .set({ expires_at: expiresAt })
    .where('id', '=', id)
    .where('released_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Ends a live lease; false when it was not live. */
export async function endLease(executor: Executor, id: string, now: string): Promise<boolean> {
  const r = await t(executor)
    .updateTable('scanning_lease')
    .set({ released_at: now })
    .where('id', '=', id)
    .where('released_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Ends every live lease held under a campaign (it ended); their ids. */
export async function endCampaignLeases(executor: Executor, campaignId: string, now: string): Promise<string[]> {
  const rows = await t(executor)
    .updateTable('scanning_lease')
    .set({ released_at: now })
    .where('campaign_id', '=', campaignId)
    .where('released_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Live leases of a technique (any when null) on targets that may overlap `target`, except `exceptId`. */
export async function liveLeasesNear(
  executor: Executor,
  target: ScanTarget,
  technique: string | null,
  now: string,
  exceptId: string | null = null,
): Promise<LeaseRow[]> {
  return t(executor)
    .selectFrom('scanning_lease as l')
    .selectAll('l')
    .where(mayOverlap('l', [target]))
    .$if(technique !== null, (w) => w.where('l.technique', '=', technique ?? ''))
    .$if(exceptId !== null, (w) => w.where('l.id', '!=', exceptId ?? ''))
    .where('l.released_at', 'is', null)
    .where('l.expires_at', '>', now)
    .orderBy('l.expires_at')
    .execute();
}

/** How many live leases there are, for the benchmark's check. */
export async function countLiveLeases(executor: Executor, now: string): Promise<number> {
  const row = await t(executor)
    .selectFrom('scanning_lease')
    .select(sql<number>`count(*)`.as('n'))
    .where('released_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
