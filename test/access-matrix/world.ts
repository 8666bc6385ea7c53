import { randomBytes } from 'node:crypto';
import type { HttpApp } from '../../src/platform/http/index.js';
import { TLP_LABELS, type Tlp } from '../../src/platform/tlp.js';
import type { TestRuntime, TestUser } from '#test-support/runtime.js';

/**
 * The world the access matrix runs in: a cast of every organisation kind × role (and an anonymous caller),
 * records seeded by each module at every TLP, and the canaries planted in them. A canary is a unique
 * string (a word, a CVE id, an instant) that stands for one record's content; its audience says who may
 * read that record. The matrix scans every answer for canaries its caller is not in the audience of.
 *
 * Audiences are this test's own statement of the rules (DESIGN §5), not a call into the policy under test.
 */

export const CAST_KINDS = ['coordinator', 'agency', 'model_developer', 'vendor', 'operator', 'researcher'] as const;
export type CastKind = (typeof CAST_KINDS)[number];
export const CAST_ROLES = ['admin', 'analyst', 'viewer'] as const;
export type CastRole = (typeof CAST_ROLES)[number];

/** One caller of the matrix. `user` is null for the anonymous caller. */
export interface Member {
  /** `vendor.viewer`, `anonymous`. */
  readonly key: string;
  readonly kind: CastKind | null;
  readonly role: CastRole | null;
  readonly user: TestUser | null;
  readonly orgId: string | null;
  readonly userId: string | null;
}

export interface CastOrg {
  readonly kind: CastKind;
  readonly orgId: string;
  readonly admin: Member;
  readonly analyst: Member;
  readonly viewer: Member;
}

/** Who may read something. */
export type Audience = (member: Member) => boolean;

export interface Canary {
  readonly value: string;
  /** What it stands for: `intake.finding.RED title`. */
  readonly label: string;
  readonly audience: Audience;
}

/** A report in a cluster: who reported it and who may see it. */
export interface ClusterReport {
  readonly reporterOrgId: string;
  readonly audience: Audience;
}

/** Recipients of a labelled record as identity stores them. */
export interface StoredRecipient {
  readonly orgId: string | null;
  readonly userId: string | null;
  readonly scope: string;
}

/** The label of a TLP-protected record, as created. */
export interface RecordLabel {
  readonly id: string;
  readonly tlp: Tlp;
  readonly ownerOrgId: string;
  readonly createdBy: string | null;
}

export const everyone: Audience = () => true;
export const signedIn: Audience = (m) => m.user !== null;
export const nobody: Audience = () => false;
export const coordinatorStaff: Audience = (m) => m.kind === 'coordinator' && m.role !== 'viewer';
export const coordinatorMembers: Audience = (m) => m.kind === 'coordinator';
export const membersOf =
  (...orgIds: string[]): Audience =>
  (m) =>
    m.orgId !== null && orgIds.includes(m.orgId);
export const adminsOf =
  (...orgIds: string[]): Audience =>
  (m) =>
    m.role === 'admin' && m.orgId !== null && orgIds.includes(m.orgId);
export const users =
  (...userIds: (string | null)[]): Audience =>
  (m) =>
    m.userId !== null && userIds.includes(m.userId);
export const anyOf =
  (...audiences: Audience[]): Audience =>
  (m) =>
    audiences.some((a) => a(m));
export const allOf =
  (...audiences: Audience[]): Audience =>
  (m) =>
    audiences.every((a) => a(m));

export class World {
  readonly canaries = new Map<string, Canary>();
  /** Named things modules seed for each other's fixtures (`intake.cluster.mixed`). */
  readonly things = new Map<string, unknown>();
  /** Clusters whose reports the world knows, to check every count shown of them. */
  readonly clusters = new Map<string, { readonly label: string; readonly reports: readonly ClusterReport[] }>();
  readonly members: Member[];
  readonly orgs: Record<CastKind, CastOrg>;
  readonly anonymous: Member;
  #recipients = new Map<string, StoredRecipient[]>();
  #labels = new Map<string, RecordLabel>();
  #instant: number;
  #cveNumber = 10_000 + Math.floor(Math.random() * 80_000);

  constructor(
    readonly t: TestRuntime,
    readonly app: HttpApp,
    orgs: Record<CastKind, CastOrg>,
  ) {
    this.orgs = orgs;
    this.anonymous = { key: 'anonymous', kind: null, role: null, user: null, orgId: null, userId: null };
    this.members = [this.anonymous, ...CAST_KINDS.flatMap((k) => CAST_ROLES.map((r) => orgs[k][r]))];
    this.#instant = t.clock.now().getTime();
  }

  /**
   * An organisation as the receiver of something computed for it as a whole (an export for it, its inbox,
   * its webhooks' payloads): any of its members may read what it receives, none of them as a named
   * recipient — so it may carry only what the organisation's viewer, unnamed, may read.
   */
  recipientOrg(orgId: string): Member {
    const cast = CAST_KINDS.find((k) => this.orgs[k].orgId === orgId);
    const viewer = cast === undefined ? null : this.orgs[cast].viewer;
    return {
      key: `${cast ?? orgId}.organisation`,
      kind: cast ?? null,
      role: 'viewer',
      // Signed in as far as audiences ask; never used to call (it is no caller).
      user: viewer?.user ?? { actor: null as never, token: '', orgId, userId: '' },
      orgId,
      userId: null,
    };
  }

  member(key: `${CastKind}.${CastRole}`): Member {
    const [kind, role] = key.split('.') as [CastKind, CastRole];
    return this.orgs[kind][role];
  }

  /** A unique word standing for content only `audience` may read. */
  canary(label: string, audience: Audience): string {
    const value = `cnry${randomBytes(5).toString('hex')}`;
    this.canaries.set(value, { value, label, audience });
    return value;
  }

  /** A unique CVE id (CVE-2099-…) as a canary. */
  cve(label: string, audience: Audience): string {
    const value = `CVE-2099-${++this.#cveNumber}`;
    this.canaries.set(value, { value, label, audience });
    return value;
  }

  /**
   * Moves the clock to a new, unique instant and returns it. With an audience, the instant is a canary: a
   * record created now carries a time only its audience may learn (a "first seen" derived from it leaks).
   */
  tick(label?: string, audience?: Audience): string {
    this.#instant += 61_000 + Math.floor(Math.random() * 1000);
    const at = new Date(this.#instant).toISOString();
    this.t.clock.set(at);
    if (label !== undefined && audience !== undefined) this.canaries.set(at, { value: at, label: `${label} time`, audience });
    return at;
  }

  /** Registers a string already in a record (an id, an instant) as a canary. */
  plant(value: string, label: string, audience: Audience): void {
    this.canaries.set(value, { value, label, audience });
  }

  /**
   * An audience to use before the record exists (canaries go into the record being created): `bind` it to
   * the record's label once created.
   */
  later(): { readonly audience: Audience; bind(label: RecordLabel): Audience } {
    let bound: Audience | null = null;
    return {
      audience: (m) => {
        if (bound === null) throw new Error('an audience was used before its record was created');
        return bound(m);
      },
      bind: (label) => (bound = this.label(label)),
    };
  }

  /**
   * How the world shares a record at each TLP (the owner org aside): AMBER with the vendor and, served
   * by it, the operator; AMBER+STRICT with the vendor and one named agency analyst; RED with the vendor's
   * analyst only — so that every label has named and unnamed recipients in the cast.
   */
  sharing(tlp: Tlp): { orgIds?: string[]; servedOrgIds?: string[]; userIds?: string[] } {
    const vendor = this.orgs.vendor;
    switch (tlp) {
      case 'CLEAR':
      case 'GREEN':
        return {};
      case 'AMBER':
        return { orgIds: [vendor.orgId], servedOrgIds: [this.orgs.operator.orgId] };
      case 'AMBER+STRICT':
        return { orgIds: [vendor.orgId], userIds: [this.orgs.agency.analyst.userId ?? ''] };
      case 'RED':
        return { userIds: [vendor.analyst.userId ?? ''] };
    }
  }

  /** Declares a cluster's reports, so that every count shown of it is checked against what its viewer may see. */
  knownCluster(id: string, label: string, reports: readonly ClusterReport[]): void {
    this.clusters.set(id, { label, reports });
  }

  put<T>(name: string, value: T): T {
    this.things.set(name, value);
    return value;
  }

  get<T>(name: string): T {
    if (!this.things.has(name)) throw new Error(`the access matrix world has no "${name}": seed it first`);
    return this.things.get(name) as T;
  }

  /** Registers a labelled record; its audience follows TLP and the recipients identity stores for it. */
  label(record: RecordLabel): Audience {
    this.#labels.set(record.id, record);
    return (m) => this.mayRead(m, record.id);
  }

  /** Re-reads every record's recipients (after a change that may have shared something). */
  async refresh(): Promise<void> {
    const rows = (await this.t.runtime.db.kysely
      .selectFrom('identity_recipient')
      .select(['record_id', 'org_id', 'user_id', 'scope'])
      .execute()) as { record_id: string; org_id: string | null; user_id: string | null; scope: string }[];
    const fresh = new Map<string, StoredRecipient[]>();
    for (const r of rows) {
      const list = fresh.get(r.record_id) ?? [];
      list.push({ orgId: r.org_id, userId: r.user_id, scope: r.scope });
      fresh.set(r.record_id, list);
    }
    this.#recipients = fresh;
  }

  /**
   * TLP 2.0 as DESIGN §5 states it: CLEAR anyone; GREEN every signed-in member; AMBER the owner org,
   * recipient orgs and the orgs they serve; AMBER+STRICT the owner and recipient orgs; RED the creator and
   * named users. Named users see AMBER and AMBER+STRICT too. The coordinator's analysts and admins are
   * recipients of every record ("the clearinghouse reads what it is sent").
   */
  mayRead(m: Member, recordId: string): boolean {
    const record = this.#labels.get(recordId);
    if (record === undefined) throw new Error(`record ${recordId} was never labelled in the world`);
    if (record.tlp === 'CLEAR') return true;
    if (m.user === null) return false;
    if (coordinatorStaff(m)) return true;
    const recipients = this.#recipients.get(recordId) ?? [];
    const named = recipients.some((r) => r.userId !== null && r.userId === m.userId && r.scope === 'recipient');
    const orgIs = (scopes: string[]) => recipients.some((r) => r.orgId !== null && r.orgId === m.orgId && scopes.includes(r.scope));
    switch (record.tlp) {
      case 'GREEN':
        return true;
      case 'AMBER':
        return m.orgId === record.ownerOrgId || orgIs(['recipient', 'served']) || named;
      case 'AMBER+STRICT':
        return m.orgId === record.ownerOrgId || orgIs(['recipient']) || named;
      case 'RED':
        return (record.createdBy !== null && m.userId === record.createdBy) || named;
    }
  }

  /** Every TLP label, most open first. */
  readonly tlps: readonly Tlp[] = TLP_LABELS;
}

// Canaries: words, hashes, CVE ids, instants, and ids (`org_…`, `usr_…`) planted where who it is is the secret.
const CANDIDATE =
  /cnry[0-9a-f]{10}|[0-9a-f]{64}|CVE-2099-\d{5}|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z|\b[a-z]{3}_[0-9A-HJKMNP-TV-Z]{26}\b/g;

/** The canaries in a text. */
export function canariesIn(world: World, text: string): Canary[] {
  const found = new Map<string, Canary>();
  for (const match of text.matchAll(CANDIDATE)) {
    const canary = world.canaries.get(match[0]);
    if (canary !== undefined) found.set(canary.value, canary);
  }
  return [...found.values()];
}
