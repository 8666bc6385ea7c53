import { sql } from 'kysely';
import { systemActor } from '../../../platform/actor.js';
import { asActor, type ServiceContext } from '../../../platform/context.js';
import { paginate, withTransaction, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { ConflictError, InputError, NotFoundError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import {
  caseReadableBy,
  getCase,
  listStatements,
  organisationReader,
  type CaseDetail,
  type CaseVulnerability,
  type CnaIdentity,
} from '../../cases/index.js';
import { authorize, getOrg, holds, listOrgs, visibleTo } from '../../identity/index.js';
import type { AdvisoryCategory, CsafRevision } from '../domain/advisory-source.js';
import { publishedProducts } from '../domain/published-products.js';
import { csafDocument, csafFileName } from '../domain/csaf-document.js';
import { documentPath, hashFile, tlpDirectory } from '../domain/provider-files.js';
import { ADVISORY_PUBLISHED, type AdvisoryPublishedPayload } from '../events.js';
import { assertValidCsafInThread } from './csaf-validator-thread.js';
import { presentAdvisory, presentRevision, providerPath, type AdvisoryDetail, type AdvisorySummary } from '../presenters.js';
import {
  advisoryMeets,
  advisoryOfCase,
  findAdvisory,
  insertAdvisory,
  insertRevision,
  readableAdvisories,
  revisionsOf,
  updateAdvisory,
} from '../store/advisories.js';
import type { AdvisoryRow } from '../store/tables.js';
import { advisorySource, caseVulnerabilities, sourceFingerprint, type CaseSourceInput, type Publisher } from './case-source.js';
import { csafSigner } from './signing-key.js';

/**
 * Advisories: a case's CSAF document, generated as a draft for the case's participants while the case is
 * under embargo (TLP:AMBER, or RED when asked), published by a coordinator once the embargo has ended
 * (TLP:CLEAR, signed, hashed, stored as blobs and listed by the CSAF provider), and published again as the
 * next revision when what it says has changed (a new or changed approved statement).
 *
 * Who reads: coordinators (`advisories.advisory.oversee`) every advisory; anyone a published one (it is
 * TLP:CLEAR, identity's `visibleTo`); the case's active participants (the cases module's fact) its drafts.
 * Nobody else learns that an advisory exists.
 */

/** What the provider is: where it is served, who publishes, and the key it signs with. */
export interface ProviderSettings {
  /** The server's public base URL, without a trailing slash. */
  readonly baseUrl: string;
  readonly publisher: Publisher;
  /** The armored OpenPGP private key file, created there when missing. */
  readonly keyFile: string;
  readonly engineVersion: string;
  /**
   * The stand-in CNA the CVE records name until a coordinator admin sets the disclosure policy's `cna` (the CVE
   * Program's UUID of the coordinator and its short name).
   */
  readonly cna: CnaIdentity;
}

export const ADVISORY_CATEGORIES = ['csaf_security_advisory', 'csaf_vex'] as const;
const DRAFT_TLPS = ['AMBER', 'RED'] as const;

export interface GenerateInput {
  /** `csaf_security_advisory` (default) or `csaf_vex`; kept from the first generation unless given. */
  readonly category?: unknown;
  /** The draft's TLP: AMBER (default) or RED. */
  readonly tlp?: unknown;
}

export interface AdvisoryQuery extends PageRequest {
  readonly status?: 'draft' | 'published';
}

/** The condition "the actor may read this advisory" on `advisories_advisory as a`. */
export function readable(ctx: ServiceContext) {
  if (holds(ctx.actor, 'advisories.advisory.oversee')) return sql<boolean>`1 = 1`;
  return sql<boolean>`(${visibleTo(ctx.actor, 'a')} or ${caseReadableBy(ctx.actor, 'a.case_id')})`;
}

/** Whether the actor may read the advisory's draft: the case's readers. */
async function draftReadable(ctx: ServiceContext, row: AdvisoryRow): Promise<boolean> {
  return advisoryMeets(ctx.db.kysely, row.id, caseReadableBy(ctx.actor, 'a.case_id'));
}

async function readableAdvisory(ctx: ServiceContext, idOrTrackingId: string, executor: Executor = ctx.db.kysely): Promise<AdvisoryRow> {
  const row = await findAdvisory(executor, idOrTrackingId, readable(ctx));
  if (row === undefined) throw new NotFoundError(`no advisory ${idOrTrackingId}`);
  return row;
}

function readGenerate(input: GenerateInput, current: AdvisoryRow | undefined): { category: AdvisoryCategory; tlp: 'AMBER' | 'RED' } {
  const issues = [];
  const category = input.category ?? current?.category ?? 'csaf_security_advisory';
  if (typeof category !== 'string' || !(ADVISORY_CATEGORIES as readonly string[]).includes(category))
    issues.push({ pointer: '/category', detail: `must be one of ${ADVISORY_CATEGORIES.join(', ')}` });
  const tlp = input.tlp ?? (current?.status === 'draft' ? current.tlp : 'AMBER');
  if (typeof tlp !== 'string' || !(DRAFT_TLPS as readonly string[]).includes(tlp))
    issues.push({ pointer: '/tlp', detail: `must be one of ${DRAFT_TLPS.join(', ')} (a draft is for the case's participants)` });
  if (issues.length > 0)
    throw new InputError(`the advisory cannot be generated: ${issues.map((i) => `${i.pointer} ${i.detail}`).join('; ')}`, issues);
  return { category: category as AdvisoryCategory, tlp: tlp as 'AMBER' | 'RED' };
}

/**
 * The case with each vulnerability's ids and weaknesses cut to those every participant organisation may
 * read itself: a draft is read by every participant and a publication by everyone, so an id that only a
 * report hidden from one of them names (a TLP:RED report's CVE) is not the advisory's to tell. Participants
 * that may no longer read the case do not read the draft either.
 */
async function asEveryParticipantReadsIt(ctx: ServiceContext, detail: CaseDetail): Promise<CaseDetail> {
  const orgIds = [...new Set(detail.participants.filter((p) => p.role !== 'coordinator').map((p) => p.orgId))];
  const views = (
    await Promise.all(
      orgIds.map(async (orgId) =>
        getCase(asActor(ctx, await organisationReader(ctx, orgId)), detail.id).catch((error: unknown) => {
          if (error instanceof NotFoundError) return null;
          throw error;
        }),
      ),
    )
  ).filter((view): view is CaseDetail => view !== null);
  const everyoneReads = (clusterId: string, pick: (v: CaseVulnerability) => readonly string[]) => (value: string) =>
    views.every((view) => view.vulnerabilities.some((v) => v.clusterId === clusterId && pick(v).includes(value)));
  return {
    ...detail,
    vulnerabilities: detail.vulnerabilities.map((v) => ({
      ...v,
      aliases: v.aliases.filter(everyoneReads(v.clusterId, (x) => x.aliases)),
      cwes: v.cwes.filter(everyoneReads(v.clusterId, (x) => x.cwes)),
      cvssVectors: v.cvssVectors.filter(everyoneReads(v.clusterId, (x) => x.cvssVectors)),
      references: v.references.filter(everyoneReads(v.clusterId, (x) => x.references)),
      credits: v.credits.filter(everyoneReads(v.clusterId, (x) => x.credits)),
    })),
  };
}

/** What the case says now, read as the system (the caller's right to act was checked). */
async function gatherCase(ctx: ServiceContext, caseIdOrNumber: string, category: AdvisoryCategory, settings: ProviderSettings) {
  const system = asActor(ctx, systemActor('advisories'));
  const detail = await getCase(system, caseIdOrNumber);
  const statements = await listStatements(system, detail.id);
  const vendorNames = new Map<string, string>();
  for (const orgId of new Set(statements.map((s) => s.vendorOrgId)))
    vendorNames.set(orgId, (await getOrg(system, orgId).catch(() => null))?.name ?? orgId);
  const input: CaseSourceInput = {
    detail: await asEveryParticipantReadsIt(ctx, detail),
    statements,
    vendorNames,
    category,
    publisher: settings.publisher,
    engineVersion: settings.engineVersion,
  };
  const vulnerabilities = caseVulnerabilities(input);
  if (vulnerabilities.length === 0)
    throw new ConflictError(`case ${detail.number} has no approved statement yet: an advisory needs at least one`, {
      code: 'no-approved-statements',
    });
  return { detail, input, vulnerabilities, fingerprint: sourceFingerprint(category, detail.title, vulnerabilities) };
}

function serialize(doc: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(doc, null, 2)}\n`, 'utf8');
}

/**
 * Generates (or refreshes) the case's advisory draft from the case's approved statements: a CSAF document
 * at TLP:AMBER (or RED), status `draft`, version 0, held to the CSAF 2.0 strict schema and every mandatory test before it
 * is stored. One advisory per case, also when two coordinators generate at once. Audited
 * `advisories.advisory.generate`.
 *
 * @throws NotAllowedError for all but the coordinator's analysts and admins.
 * @throws NotFoundError for an unknown case. @throws InputError naming `/category` or `/tlp`.
 * @throws ConflictError `no-approved-statements`.
 */
export async function generateAdvisory(
  ctx: ServiceContext,
  caseIdOrNumber: string,
  input: GenerateInput,
  settings: ProviderSettings,
): Promise<AdvisoryDetail> {
  authorize(ctx.actor, 'advisories.advisory.generate');
  const caseId = (await getCase(asActor(ctx, systemActor('advisories')), caseIdOrNumber)).id;
  const wanted = readGenerate(input, await advisoryOfCase(ctx.db.kysely, caseId));
  const { detail, input: sourceInput, vulnerabilities, fingerprint } = await gatherCase(ctx, caseId, wanted.category, settings);
  const at = ctx.clock.now().toISOString();
  const doc = csafDocument(
    advisorySource(sourceInput, vulnerabilities, { tlp: wanted.tlp, status: 'draft', revisions: [], generatedAt: at, selfUrl: null }),
  );
  await assertValidCsafInThread(doc);
  const blob = await ctx.blobs.put(serialize(doc));
  const id = await withTransaction(
    ctx.db,
    async (trx) => {
      const current = await advisoryOfCase(trx, caseId);
      if (current === undefined) {
        const row: AdvisoryRow = {
          id: newId('adv'),
          case_id: caseId,
          tracking_id: detail.number,
          category: wanted.category,
          title: detail.title,
          status: 'draft',
          tlp: wanted.tlp,
          owner_org_id: await ownerOrg(ctx),
          created_by: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
          draft_sha256: blob.sha256,
          draft_fingerprint: fingerprint,
          version: 0,
          path: null,
          published_fingerprint: null,
          published_at: null,
          current_release_at: null,
          created_at: at,
          updated_at: at,
        };
        await insertAdvisory(trx, row);
        await ctx.audit.record(trx, ctx.actor, {
          action: 'advisories.advisory.generate',
          subject: { type: 'csaf_advisory', id: row.id },
          orgId: row.owner_org_id,
          diff: { caseId, trackingId: row.tracking_id, category: row.category, tlp: row.tlp, draftSha256: blob.sha256 },
        });
        return row.id;
      }
      // A published advisory stays CLEAR; its refreshed draft is the next revision's, for the case's readers.
      const fields: Partial<AdvisoryRow> = {
        category: wanted.category,
        title: detail.title,
        draft_sha256: blob.sha256,
        draft_fingerprint: fingerprint,
        updated_at: at,
        ...(current.status === 'draft' ? { tlp: wanted.tlp } : {}),
      };
      await updateAdvisory(trx, current.id, fields);
      await ctx.audit.record(trx, ctx.actor, {
        action: 'advisories.advisory.generate',
        subject: { type: 'csaf_advisory', id: current.id },
        orgId: current.owner_org_id,
        diff: { category: [current.category, wanted.category], draftSha256: [current.draft_sha256, blob.sha256] },
      });
      return current.id;
    },
    { replayOnUniqueViolation: true },
  );
  return getAdvisory(ctx, id);
}

/** The coordinator organisation the advisory belongs to: the acting coordinator's, or the first one. */
async function ownerOrg(ctx: ServiceContext): Promise<string> {
  if (ctx.actor.kind === 'user') return ctx.actor.orgId;
  const orgs = await listOrgs(asActor(ctx, systemActor('advisories')), { kind: 'coordinator', limit: 1 });
  const first = orgs.items[0];
  if (first === undefined) throw new NotFoundError('no coordinator organisation: run clearinghouse init first');
  return first.id;
}

/**
 * Publishes the advisory as TLP:CLEAR once its case's embargo has ended (or never began): the document is
 * generated afresh from the approved statements with its revision history, held to the strict schema and the mandatory tests,
 * signed with the provider's OpenPGP key, and stored with its `.sha256`, `.sha512` and `.asc` files as
 * blobs; the CSAF provider lists it at once (index.txt, changes.csv, the ROLIE feed). Publishing again
 * after a statement changed makes the next revision; publishing what is already published changes nothing.
 * Audited `advisories.advisory.publish`; emits `advisories.advisory.published`.
 *
 * @throws NotAllowedError for all but the coordinator's analysts and admins. @throws NotFoundError.
 * @throws ConflictError `embargo-active`, `no-approved-statements`.
 */
export async function publishAdvisory(ctx: ServiceContext, idOrTrackingId: string, settings: ProviderSettings): Promise<AdvisoryDetail> {
  // Who may not see the advisory learns nothing of it, not even that publishing it is not theirs to do.
  const row = await readableAdvisory(ctx, idOrTrackingId);
  authorize(ctx.actor, 'advisories.advisory.publish');
  const category = row.category as AdvisoryCategory;
  const { detail, input, vulnerabilities, fingerprint } = await gatherCase(ctx, row.case_id, category, settings);
  if (!['none', 'exited'].includes(detail.embargo.state))
    throw new ConflictError(`case ${detail.number} is under embargo (${detail.embargo.state}): publish when it has ended`, {
      code: 'embargo-active',
      extensions: { embargoState: detail.embargo.state },
    });
  const signer = await csafSigner(settings.keyFile, ctx.clock.now());
  await withTransaction(
    ctx.db,
    async (trx) => {
      const current = await readableAdvisory(ctx, row.id, trx);
      if (current.status === 'published' && current.published_fingerprint === fingerprint) return;
      const at = ctx.clock.now().toISOString();
      const previous = await revisionsOf(trx, current.id);
      const number = current.version + 1;
      const revisions: CsafRevision[] = [
        ...previous.map((r) => ({ number: String(r.number), date: r.published_at, summary: r.summary })),
        { number: String(number), date: at, summary: number === 1 ? 'Initial publication.' : 'Updated vendor statements.' },
      ];
      const firstDate = revisions[0]!.date;
      const relative = current.path ?? documentPath(firstDate, csafFileName(current.tracking_id));
      const selfUrl = `${settings.baseUrl}${tlpDirectory('WHITE')}/${relative}`;
      const doc = csafDocument(
        advisorySource(input, vulnerabilities, { tlp: 'CLEAR', status: 'final', revisions, generatedAt: at, selfUrl }),
      );
      await assertValidCsafInThread(doc);
      const bytes = serialize(doc);
      const fileName = csafFileName(current.tracking_id);
      const [document, sha256, sha512, asc] = await Promise.all([
        ctx.blobs.put(bytes),
        ctx.blobs.put(Buffer.from(hashFile('sha256', bytes, fileName))),
        ctx.blobs.put(Buffer.from(hashFile('sha512', bytes, fileName))),
        signer.sign(bytes).then((signature) => ctx.blobs.put(Buffer.from(signature))),
      ]);
      await insertRevision(trx, {
        advisory_id: current.id,
        number,
        summary: revisions.at(-1)!.summary,
        document_sha256: document.sha256,
        sha256_file: sha256.sha256,
        sha512_file: sha512.sha256,
        asc_file: asc.sha256,
        key_fingerprint: signer.fingerprint,
        published_by: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
        published_at: at,
      });
      await updateAdvisory(trx, current.id, {
        status: 'published',
        tlp: 'CLEAR',
        title: detail.title,
        version: number,
        path: relative,
        published_fingerprint: fingerprint,
        published_at: current.published_at ?? at,
        current_release_at: at,
        updated_at: at,
      });
      await ctx.audit.record(trx, ctx.actor, {
        action: 'advisories.advisory.publish',
        subject: { type: 'csaf_advisory', id: current.id },
        orgId: current.owner_org_id,
        diff: {
          version: [current.version, number],
          tlp: [current.tlp, 'CLEAR'],
          documentSha256: document.sha256,
          keyFingerprint: signer.fingerprint,
        },
      });
      const statements = vulnerabilities.flatMap((v) => v.statements);
      const payload: AdvisoryPublishedPayload = {
        advisoryId: current.id,
        caseId: current.case_id,
        caseNumber: detail.number,
        trackingId: current.tracking_id,
        version: String(number),
        category: category === 'csaf_vex' ? 'csaf_vex' : 'csaf_security_advisory',
        tlp: 'CLEAR',
        title: detail.title,
        cveIds: [...new Set(vulnerabilities.flatMap((v) => (v.cve === null ? [] : [v.cve])))],
        purls: [
          ...new Set(
            statements
              .filter((s) => s.status === 'affected' || s.status === 'fixed')
              .flatMap((s) => (s.product.purl === null ? [] : [s.product.purl])),
          ),
        ],
        products: publishedProducts(statements),
        path: providerPath({ path: relative })!,
        publishedAt: at,
      };
      await ctx.events.emit(trx, { type: ADVISORY_PUBLISHED, subjectId: current.id, orgId: current.owner_org_id, payload });
    },
    { replayOnUniqueViolation: true },
  );
  return getAdvisory(ctx, row.id);
}

/** The advisory as the reader may see it. @throws NotFoundError when hidden or unknown. */
export async function getAdvisory(ctx: ServiceContext, idOrTrackingId: string): Promise<AdvisoryDetail> {
  const row = await readableAdvisory(ctx, idOrTrackingId);
  const revisions = await revisionsOf(ctx.db.kysely, row.id);
  return { ...presentAdvisory(row), revisions: revisions.map(presentRevision), draftReadable: await draftReadable(ctx, row) };
}

/** Advisories the reader may see, newest first, filtered in the database. */
export async function listAdvisories(ctx: ServiceContext, query: AdvisoryQuery): Promise<Page<AdvisorySummary>> {
  const page = await paginate(readableAdvisories(ctx.db.kysely, readable(ctx), query.status), query, {
    sort: 'a.created_at',
    id: 'a.id',
    sortOf: (r) => r.created_at,
    idOf: (r) => r.id,
    direction: 'desc',
  });
  return { items: page.items.map(presentAdvisory), nextCursor: page.nextCursor };
}

/**
 * The advisory's CSAF document as bytes: the published one (`which: 'published'`, the latest revision, or
 * `revision` n), or the current draft (`which: 'draft'`, the case's readers only).
 *
 * @throws NotFoundError when hidden, or when there is no such document.
 */
export async function advisoryDocument(
  ctx: ServiceContext,
  idOrTrackingId: string,
  which: { kind: 'draft' } | { kind: 'published'; revision?: number },
): Promise<{ bytes: Buffer; fileName: string; sha256: string }> {
  const row = await readableAdvisory(ctx, idOrTrackingId);
  let sha: string | undefined;
  if (which.kind === 'draft') {
    if (await draftReadable(ctx, row)) sha = row.draft_sha256;
  } else {
    const revisions = await revisionsOf(ctx.db.kysely, row.id);
    sha = (which.revision === undefined ? revisions.at(-1) : revisions.find((r) => r.number === which.revision))?.document_sha256;
  }
  const bytes = sha === undefined ? null : await ctx.blobs.get(sha);
  if (bytes === null || sha === undefined) throw new NotFoundError(`no ${which.kind} document of advisory ${idOrTrackingId}`);
  return { bytes, fileName: csafFileName(row.tracking_id), sha256: sha };
}
