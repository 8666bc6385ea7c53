import { sql, type Expression, type SqlBool } from 'kysely';
import type { Actor } from '../../platform/actor.js';
import { isCoordinatorRecipient } from './domain/access-policy.js';

/**
 * The SQL twin of `canSee` (domain/access-policy.ts): a condition on a table whose rows carry `id`,
 * `owner_org_id`, `tlp` and `created_by`, true exactly for the rows the actor may see. Lists filter with it
 * in the database, never after fetching. `table` is the table name or alias used in the query.
 */
export function visibleTo(actor: Actor, table: string): Expression<SqlBool> {
  if (actor.kind === 'system' || isCoordinatorRecipient(actor)) return sql<SqlBool>`1 = 1`;
  const tlp = sql.ref(`${table}.tlp`);
  if (actor.kind !== 'user') return sql<SqlBool>`${tlp} = 'CLEAR'`;
  const id = sql.ref(`${table}.id`);
  const owner = sql.ref(`${table}.owner_org_id`);
  const createdBy = sql.ref(`${table}.created_by`);
  const { orgId, userId } = actor;
  return sql<SqlBool>`(
    ${tlp} in ('CLEAR', 'GREEN')
    or (${tlp} = 'AMBER' and (${owner} = ${orgId} or exists (
      select 1 from identity_recipient r where r.record_id = ${id}
        and (r.org_id = ${orgId} or (r.user_id = ${userId} and r.scope = 'recipient')))))
    or (${tlp} = 'AMBER+STRICT' and (${owner} = ${orgId} or exists (
      select 1 from identity_recipient r where r.record_id = ${id} and r.scope = 'recipient'
        and (r.org_id = ${orgId} or r.user_id = ${userId}))))
    or (${tlp} = 'RED' and (${createdBy} = ${userId} or exists (
      select 1 from identity_recipient r where r.record_id = ${id} and r.scope = 'recipient' and r.user_id = ${userId})))
  )`;
}
