import type { Tlp } from '../../src/platform/tlp.js';
import { submitDocument } from '../../src/modules/intake/index.js';
import { nativeDocument, nativeFinding } from '../../src/modules/intake/test-support/native.js';

export { osvRecord } from '../../src/modules/intake/test-support/native.js';
import type { Call } from './fixture.js';
import { anyOf, type Audience, type Member, type World } from './world.js';

/**
 * Reports and clusters the world is built on, shared by every module's fixtures (intake seeds them; the
 * modules after it read them through {@link intakeWorld}).
 */

/** A report seeded in the world: one submission of one finding, with canaries in every field a summary derives. */
export interface SeededReport {
  readonly submissionId: string;
  readonly findingId: string;
  readonly clusterId: string;
  readonly tlp: Tlp;
  readonly reporterOrgId: string;
  readonly audience: Audience;
  /** The document, to submit the same bytes again. */
  readonly bytes: Buffer;
}

/**
 * Submits one finding as `by` at `tlp`, shared as the world shares that label, with canaries in its title,
 * description, target, own alias, file name and time. `alias` joins it to others (not a canary);
 * `ownAlias: false` leaves the own alias out (a finding naming no vulnerability id).
 */
export async function seedReport(
  w: World,
  by: Member,
  tlp: Tlp,
  label: string,
  options: { alias?: string; text?: string; path?: string; purl?: string; fn?: string; ownAlias?: false } = {},
): Promise<SeededReport> {
  const pending = w.later();
  const c = (what: string) => w.canary(`${label} ${what}`, pending.audience);
  const pkg = c('target');
  const bytes = nativeDocument([
    nativeFinding({
      title: `Heap overflow ${c('title')}`,
      description: options.text ?? `The parser ${c('description')} overflows its frame buffer.`,
      target: { purl: options.purl ?? `pkg:npm/${pkg}@1.0.0` },
      aliases: [
        ...(options.ownAlias === false ? [] : [w.cve(`${label} alias`, pending.audience)]),
        ...(options.alias === undefined ? [] : [options.alias]),
      ],
      location: { path: options.path ?? `src/${pkg}.js`, function: options.fn ?? `parse_${pkg}` },
    }),
  ]);
  const at = w.tick();
  const answer = await submitDocument(w.t.as(by.user!), {
    bytes,
    tlp,
    recipients: w.sharing(tlp),
    filename: `${c('filename')}.json`,
  });
  const audience = pending.bind({ id: answer.submission.id, tlp, ownerOrgId: by.orgId!, createdBy: by.userId });
  w.plant(at, `${label} time`, audience);
  w.tick();
  await w.t.runtime.jobs.drain();
  const finding = answer.findings[0]!;
  const findingId = (
    await w.t.runtime.db.kysely
      .selectFrom('intake_finding')
      .select('id')
      .where('submission_id', '=', answer.submission.id)
      .executeTakeFirstOrThrow()
  ).id as string;
  return { submissionId: answer.submission.id, findingId, clusterId: finding.clusterId, tlp, reporterOrgId: by.orgId!, audience, bytes };
}

/** What intake seeds: one report per TLP in its own cluster, and a mixed cluster of a RED, an AMBER and a GREEN report. */
export interface IntakeWorld {
  readonly byTlp: Record<Tlp, SeededReport>;
  /** RED first (the researcher), then AMBER (the agency), then GREEN (the vendor), sharing one CVE id. */
  readonly mixed: { readonly clusterId: string; readonly sharedAlias: string; readonly reports: readonly SeededReport[] };
}

export function intakeWorld(w: World): IntakeWorld {
  return w.get<IntakeWorld>('intake');
}

/** Who may see a cluster: whoever may see one of its reports. */
export function clusterAudience(reports: readonly { audience: Audience }[]): Audience {
  return anyOf(...reports.map((r) => r.audience));
}

let fresh = 0;

/** A new cluster of one report at `tlp`, by the researcher's analyst, for writes. */
export async function freshCluster(
  w: World,
  tlp: Tlp,
  findings = 1,
): Promise<{ clusterId: string; findingIds: string[]; audience: Audience }> {
  const by = w.member('researcher.analyst');
  const pending = w.later();
  const alias = w.cve(`fresh ${tlp} cluster alias`, pending.audience);
  const at = w.tick();
  const answer = await submitDocument(w.t.as(by.user!), {
    bytes: nativeDocument(
      Array.from({ length: findings }, (_, i) =>
        nativeFinding({
          title: `Fresh ${w.canary(`fresh ${tlp} cluster title`, pending.audience)}`,
          aliases: [alias],
          location: { path: `src/fresh_${++fresh}.js`, function: `f${i}` },
        }),
      ),
    ),
    tlp,
    recipients: w.sharing(tlp),
  });
  const audience = pending.bind({ id: answer.submission.id, tlp, ownerOrgId: by.orgId!, createdBy: by.userId });
  w.plant(at, `fresh ${tlp} cluster time`, audience);
  w.tick();
  await w.t.runtime.jobs.drain();
  const rows = await w.t.runtime.db.kysely
    .selectFrom('intake_finding')
    .select('id')
    .where('submission_id', '=', answer.submission.id)
    .orderBy('position')
    .execute();
  return { clusterId: answer.findings[0]!.clusterId, findingIds: rows.map((r: { id: string }) => r.id), audience };
}

/** One call per seeded cluster (one per TLP, and the mixed one), naming it as the subject. */
export function clusterCases(w: World): Call[] {
  const i = intakeWorld(w);
  return [
    ...Object.values(i.byTlp).map((r) => ({
      label: `${r.tlp} cluster`,
      params: { id: r.clusterId },
      subject: { label: `${r.tlp} cluster`, audience: r.audience },
    })),
    {
      label: 'mixed cluster',
      params: { id: i.mixed.clusterId },
      subject: { label: 'mixed cluster', audience: clusterAudience(i.mixed.reports) },
    },
  ];
}
