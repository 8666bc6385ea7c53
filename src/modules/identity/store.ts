import type { Kysely } from 'kysely';
import { paginate, reusableQuery, tables, type Database, type Executor, type Page, type PageRequest } from '../../platform/db/index.js';

export interface OrgRow {
  id: string;
  name: string;
  name_key: string;
  kind: string;
  /** JSON array of sector keys. */
  sectors: string;
  created_at: string;
}

export interface UserRow {
  id: string;
  org_id: string;
  email: string;
  name: string;
  role: string;
  created_at: string;
  disabled_at: string | null;
}

export interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  hint: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface RecipientRow {
  record_id: string;
  org_id: string | null;
  user_id: string | null;
  scope: string;
}

export interface IdentityTables {
  identity_org: OrgRow;
  identity_user: UserRow;
  identity_token: TokenRow;
  identity_recipient: RecipientRow;
}

const t = (executor: Executor): Kysely<IdentityTables> => tables<IdentityTables>(executor);

export async function insertOrg(executor: Executor, row: OrgRow): Promise<void> {
  await t(executor).insertInto('identity_org').values(row).execute();
}

export async function findOrg(executor: Executor, id: string): Promise<OrgRow | undefined> {
  return t(executor).selectFrom('identity_org').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findOrgNames(executor: Executor, ids: readonly string[]): Promise<{ id: string; name: string }[]> {
  if (ids.length === 0) return [];
  return t(executor)
    .selectFrom('identity_org')
    .select(['id', 'name'])
    .where('id', 'in', [...ids])
    .execute();
}

export async function findOrgByNameKey(executor: Executor, nameKey: string): Promise<OrgRow | undefined> {
  return t(executor).selectFrom('identity_org').selectAll().where('name_key', '=', nameKey).executeTakeFirst();
}

export async function findFirstOrgOfKind(executor: Executor, kind: string): Promise<OrgRow | undefined> {
  return t(executor).selectFrom('identity_org').selectAll().where('kind', '=', kind).orderBy('id').limit(1).executeTakeFirst();
}

export async function listOrgs(
  executor: Executor,
  filter: { onlyId?: string | undefined; kind?: string | undefined },
  page: PageRequest,
): Promise<Page<OrgRow>> {
  const query = t(executor)
    .selectFrom('identity_org')
    .selectAll()
    .$if(filter.onlyId !== undefined, (q) => q.where('id', '=', filter.onlyId ?? ''))
    .$if(filter.kind !== undefined, (q) => q.where('kind', '=', filter.kind ?? ''));
  return paginate(query, page, { sort: 'identity_org.id', id: 'identity_org.id', sortOf: (r) => r.id, idOf: (r) => r.id });
}

export async function insertUser(executor: Executor, row: UserRow): Promise<void> {
  await t(executor).insertInto('identity_user').values(row).execute();
}

export async function findUser(executor: Executor, id: string): Promise<UserRow | undefined> {
  return t(executor).selectFrom('identity_user').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByEmail(executor: Executor, email: string): Promise<UserRow | undefined> {
  return t(executor).selectFrom('identity_user').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function findFirstAdminOfOrg(executor: Executor, orgId: string): Promise<UserRow | undefined> {
  return t(executor)
    .selectFrom('identity_user')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

export async function listUsers(executor: Executor, orgId: string, page: PageRequest): Promise<Page<UserRow>> {
  const query = t(executor).selectFrom('identity_user').selectAll().where('org_id', '=', orgId);
  return paginate(query, page, { sort: 'identity_user.id', id: 'identity_user.id', sortOf: (r) => r.id, idOf: (r) => r.id });
}

export async function insertToken(executor: Executor, row: TokenRow): Promise<void> {
  await t(executor).insertInto('identity_token').values(row).execute();
}

export async function findToken(executor: Executor, id: string): Promise<TokenRow | undefined> {
  return t(executor).selectFrom('identity_token').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findTokenByHash(executor: Executor, tokenHash: string): Promise<TokenRow | undefined> {
  return t(executor).selectFrom('identity_token').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export interface CredentialRow {
  token_id: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  user_id: string;
  role: string;
  disabled_at: string | null;
  org_id: string;
  org_kind: string;
}

const credentialQuery = reusableQuery<[string], CredentialRow>((executor, tokenHash) =>
  t(executor)
    .selectFrom('identity_token as tok')
    .innerJoin('identity_user as u', 'u.id', 'tok.user_id')
    .innerJoin('identity_org as o', 'o.id', 'u.org_id')
    .select([
      'tok.id as token_id',
      'tok.expires_at',
      'tok.revoked_at',
      'tok.last_used_at',
      'u.id as user_id',
      'u.role',
      'u.disabled_at',
      'o.id as org_id',
      'o.kind as org_kind',
    ])
    .where('tok.token_hash', '=', tokenHash),
);

/** The token with this hash, with its user and org, in one query: the hot path of every request. */
export async function findCredential(db: Database, tokenHash: string): Promise<CredentialRow | undefined> {
  return (await credentialQuery(db, tokenHash))[0];
}

export async function touchToken(executor: Executor, tokenId: string, at: string): Promise<void> {
  await t(executor).updateTable('identity_token').set({ last_used_at: at }).where('id', '=', tokenId).execute();
}

export async function listTokens(executor: Executor, userId: string, page: PageRequest): Promise<Page<TokenRow>> {
  const query = t(executor).selectFrom('identity_token').selectAll().where('user_id', '=', userId);
  return paginate(query, page, {
    sort: 'identity_token.id',
    id: 'identity_token.id',
    sortOf: (r) => r.id,
    idOf: (r) => r.id,
    direction: 'desc',
  });
}

export async function revokeToken(executor: Executor, id: string, at: string): Promise<void> {
  await t(executor).updateTable('identity_token').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

export async function replaceRecipients(
  executor: Executor,
  recordId: string,
  rows: readonly Omit<RecipientRow, 'record_id'>[],
): Promise<void> {
  await t(executor).deleteFrom('identity_recipient').where('record_id', '=', recordId).execute();
  if (rows.length > 0) {
    await t(executor)
      .insertInto('identity_recipient')
      .values(rows.map((r) => ({ ...r, record_id: recordId })))
      .execute();
  }
}

export async function recipientsOf(executor: Executor, recordIds: readonly string[]): Promise<RecipientRow[]> {
  if (recordIds.length === 0) return [];
  return t(executor).selectFrom('identity_recipient').selectAll().where('record_id', 'in', recordIds).execute();
}
