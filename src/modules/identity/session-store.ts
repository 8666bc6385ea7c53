import type { Kysely } from 'kysely';
import { tables, type Database, type Executor } from '../../platform/db/index.js';
import type { IdentityTables } from './store.js';

export interface PasswordRow {
  user_id: string;
  password_hash: string;
  set_at: string;
}

export interface SessionRow {
  id: string;
  secret_hash: string;
  user_id: string;
  /** How the user signed in: `password` or `token`. */
  method: string;
  created_at: string;
  expires_at: string;
  ended_at: string | null;
}

interface SessionTables extends IdentityTables {
  identity_password: PasswordRow;
  identity_session: SessionRow;
}

const t = (executor: Executor): Kysely<SessionTables> => tables<SessionTables>(executor);

/** A user with an e-mail, its password hash (if set), org and role: what a password sign-in needs. */
export async function findPasswordLogin(executor: Executor, email: string) {
  return t(executor)
    .selectFrom('identity_user as u')
    .innerJoin('identity_org as o', 'o.id', 'u.org_id')
    .leftJoin('identity_password as p', 'p.user_id', 'u.id')
    .select(['u.id as user_id', 'u.role', 'u.disabled_at', 'o.id as org_id', 'o.kind as org_kind', 'p.password_hash'])
    .where('u.email', '=', email)
    .executeTakeFirst();
}

export async function upsertPassword(executor: Executor, row: PasswordRow): Promise<void> {
  await t(executor)
    .insertInto('identity_password')
    .values(row)
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ password_hash: row.password_hash, set_at: row.set_at }))
    .execute();
}

export async function insertSession(executor: Executor, row: SessionRow): Promise<void> {
  await t(executor).insertInto('identity_session').values(row).execute();
}

/** The session with this secret hash, with its user and org, in one query: every console request. */
export async function findSession(db: Database, secretHash: string) {
  return t(db.kysely)
    .selectFrom('identity_session as s')
    .innerJoin('identity_user as u', 'u.id', 's.user_id')
    .innerJoin('identity_org as o', 'o.id', 'u.org_id')
    .select(['s.id', 's.expires_at', 's.ended_at', 'u.id as user_id', 'u.role', 'u.disabled_at', 'o.id as org_id', 'o.kind as org_kind'])
    .where('s.secret_hash', '=', secretHash)
    .executeTakeFirst();
}

export async function endSession(executor: Executor, id: string, at: string): Promise<number> {
  const result = await t(executor)
    .updateTable('identity_session')
    .set({ ended_at: at })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Ends every open session of a user (their password changed). */
export async function endSessionsOf(executor: Executor, userId: string, at: string): Promise<void> {
  await t(executor)
    .updateTable('identity_session')
    .set({ ended_at: at })
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .execute();
}
