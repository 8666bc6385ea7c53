import { sql, type Expression, type SqlBool } from 'kysely';
import type { Actor } from '../../platform/actor.js';
import { holds } from '../identity/index.js';

/**
 * A fact the cases module lends (to advisories): the SQL condition "the actor may read the case whose id is
 * in column `caseIdColumn`" — the twin of `readableCase` for lists filtered in the database. Coordinators
 * (`cases.case.oversee`) and the system read every case; an organisation reads the cases it takes part in
 * as an active participant; nobody else any.
 */
export function caseReadableBy(actor: Actor, caseIdColumn: string): Expression<SqlBool> {
  if (actor.kind === 'system' || holds(actor, 'cases.case.oversee')) return sql<SqlBool>`1 = 1`;
  if (actor.kind !== 'user') return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`exists (select 1 from cases_participant cp where cp.case_id = ${sql.ref(caseIdColumn)}
    and cp.org_id = ${actor.orgId} and cp.state = 'active')`;
}
