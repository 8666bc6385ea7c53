import { parsePurl } from '../../../../platform/software/index.js';
import { CsafProductTree } from '../../../intake/pure.js';
import type { OsvAffectedInput, OsvEvent, PublishedAdvisory } from './osv-export.js';

/**
 * What a published CSAF advisory says of each of its vulnerabilities, as the OSV export's input: one
 * {@link PublishedAdvisory} per vulnerability. Products are packages only where their purl maps to an OSV
 * ecosystem (the one purl reader); a product named by CPE or name only has no OSV package and is left out.
 *
 * Versions claim nothing beyond the statements: `versions` lists the versions stated affected, and a range
 * is written only where a vendor named a fixed version — from the first affected version stated (`0` when
 * none is) to that fix, as "fixed in X" says.
 */

type Json = Record<string, unknown>;
const record = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const strings = (v: unknown): string[] => list(v).filter((x): x is string => typeof x === 'string');

const AFFECTED = ['known_affected', 'first_affected', 'last_affected'];
const FIXED = ['fixed', 'first_fixed'];

interface PackageVersions {
  readonly ecosystem: string;
  readonly name: string;
  readonly purl: string;
  readonly affected: string[];
  readonly fixed: string[];
}

function packagesOf(vulnerability: Json, tree: CsafProductTree): OsvAffectedInput[] {
  const packages = new Map<string, PackageVersions>();
  const status = record(vulnerability['product_status']);
  for (const [statuses, into] of [
    [AFFECTED, 'affected'],
    [FIXED, 'fixed'],
  ] as const) {
    for (const s of statuses)
      for (const id of strings(status[s])) {
        const purl = tree.product(id)?.purl ?? null;
        const parsed = purl === null ? null : parsePurl(purl);
        if (parsed === null || !parsed.ok || parsed.value.ecosystem === null) continue;
        const p = parsed.value;
        const entry = packages.get(p.identity) ?? { ecosystem: p.ecosystem!, name: p.name, purl: p.identity, affected: [], fixed: [] };
        if (p.version !== null && !entry[into].includes(p.version)) entry[into].push(p.version);
        packages.set(p.identity, entry);
      }
  }
  return [...packages.values()]
    .filter((p) => p.affected.length > 0 || p.fixed.length > 0)
    .map((p) => {
      const fix = p.fixed[0];
      const events: OsvEvent[] = fix === undefined ? [] : [{ introduced: p.affected[0] ?? '0' }, { fixed: fix }];
      return {
        ecosystem: p.ecosystem,
        name: p.name,
        purl: p.purl,
        versions: p.affected,
        ranges: events.length === 0 ? [] : [{ type: 'ECOSYSTEM' as const, events }],
      };
    });
}

function cvssOf(vulnerability: Json): PublishedAdvisory['cvss'] {
  const out: { version: '2.0' | '3.0' | '3.1' | '4.0'; vector: string }[] = [];
  for (const s of list(vulnerability['scores'])) {
    const score = record(s);
    for (const key of ['cvss_v2', 'cvss_v3']) {
      const cvss = record(score[key]);
      const vector = text(cvss['vectorString']);
      const version = text(cvss['version']);
      if (vector === null || (version !== '2.0' && version !== '3.0' && version !== '3.1')) continue;
      if (!out.some((c) => c.vector === vector)) out.push({ version, vector });
    }
  }
  return out;
}

/**
 * The OSV inputs of a published CSAF document: one per vulnerability, with the id `<tracking id>` when the
 * document has one vulnerability, `<tracking id>-<n>` (counted from 1) when it has several.
 */
export function publishedAdvisoriesOfCsaf(csaf: Json): PublishedAdvisory[] {
  const document = record(csaf['document']);
  const tracking = record(document['tracking']);
  const trackingId = text(tracking['id']) ?? 'unknown';
  const tree = new CsafProductTree(record(csaf['product_tree']));
  const self = list(document['references'])
    .map(record)
    .filter((r) => r['category'] === 'self')
    .map((r) => ({ type: 'ADVISORY' as const, url: String(r['url']) }));
  const vulnerabilities = list(csaf['vulnerabilities']).map(record);
  return vulnerabilities.map((v, i) => {
    const notes = list(v['notes']).map(record);
    const cve = text(v['cve']);
    const ids = list(v['ids']).map((x) => text(record(x)['text']));
    const cwe = text(record(v['cwe'])['id']);
    return {
      advisoryId: vulnerabilities.length === 1 ? trackingId : `${trackingId}-${i + 1}`,
      // The advisory's own id is the record's id already, not an alias.
      aliases: [cve, ...ids].filter((x): x is string => x !== null && x !== trackingId),
      title: text(v['title']) ?? text(document['title']) ?? trackingId,
      details: text(notes.find((n) => n['category'] === 'description')?.['text']) ?? text(document['title']) ?? trackingId,
      publishedAt: text(v['release_date']) ?? text(tracking['initial_release_date']) ?? String(tracking['current_release_date']),
      modifiedAt: String(tracking['current_release_date']),
      withdrawnAt: null,
      cvss: cvssOf(v),
      cwes: cwe === null ? [] : [cwe],
      affected: packagesOf(v, tree),
      references: [
        ...self,
        ...list(v['references'])
          .map(record)
          .filter((r) => text(r['url']) !== null)
          .map((r) => ({ type: 'WEB' as const, url: String(r['url']) })),
      ],
      credits: list(v['acknowledgments'])
        .flatMap((a) => strings(record(a)['names']))
        .map((name) => ({ name, type: 'FINDER' as const })),
    };
  });
}
