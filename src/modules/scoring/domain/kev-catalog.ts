import type { AnySchemaObject } from 'ajv';
import kevSchema from '../schemas/kev-catalog-schema.json' with { type: 'json' };
import { decodeFeedText, parseFeedJson, type FeedInputOptions } from './feed-input.js';
import { IssueList, rejectInput } from '../../../platform/input/issues.js';
import { OWN_SCHEMA, schemaValidator } from '../../../platform/input/json-schema.js';

/** One entry of CISA's Known Exploited Vulnerabilities catalog, with the catalog it came from. */
export interface KevEntry {
  readonly cveId: string;
  readonly vendorProject: string;
  readonly product: string;
  readonly vulnerabilityName: string;
  /** `YYYY-MM-DD`: when CISA added it to the catalog. */
  readonly dateAdded: string;
  /** `YYYY-MM-DD`: when federal agencies must have acted (BOD 22-01). */
  readonly dueDate: string;
  /** CISA's `knownRansomwareCampaignUse`: `Known`, or `Unknown` (also when the field is absent). */
  readonly knownRansomwareCampaignUse: 'known' | 'unknown';
  /** The release of the catalog this entry was read from, so that an explanation can cite it. */
  readonly catalogVersion: string;
  readonly dateReleased: string;
}

export interface KevCatalog {
  readonly catalogVersion: string;
  /** As published: an ISO 8601 date-time (`2025-08-25T17:04:19.9796Z`). */
  readonly dateReleased: string;
  /** In the catalog's order. */
  readonly entries: readonly KevEntry[];
}

/** The catalog's fields this module reads, once the schema has vouched for their types. */
interface KevDocument {
  readonly catalogVersion: string;
  readonly dateReleased: string;
  readonly count: number;
  readonly vulnerabilities: readonly {
    readonly cveID: string;
    readonly vendorProject: string;
    readonly product: string;
    readonly vulnerabilityName: string;
    readonly dateAdded: string;
    readonly dueDate: string;
    readonly knownRansomwareCampaignUse?: string;
  }[];
}

const validateKev = schemaValidator('draft-07', kevSchema as AnySchemaObject, { ...OWN_SCHEMA, annotations: ['url'] });
const RANSOMWARE_USE = { known: 'known', unknown: 'unknown' } as const;

/**
 * Rules the schema leaves out but a catalog we act on must keep: `count` agrees with the list (a truncated
 * download otherwise passes), each CVE appears once (the diff is keyed by CVE), and ransomware use is one of
 * CISA's two words (the schema allows any string).
 */
function checkConsistency(doc: KevDocument, issues: IssueList): void {
  if (doc.count !== doc.vulnerabilities.length) {
    issues.add('/count', `says ${doc.count} but the catalog lists ${doc.vulnerabilities.length} vulnerabilities`);
  }
  const firstSeen = new Map<string, number>();
  doc.vulnerabilities.forEach((v, i) => {
    const earlier = firstSeen.get(v.cveID);
    if (earlier === undefined) firstSeen.set(v.cveID, i);
    else issues.add(`/vulnerabilities/${i}/cveID`, `repeats ${v.cveID} (first at /vulnerabilities/${earlier})`);
    const use = v.knownRansomwareCampaignUse;
    if (use !== undefined && !Object.hasOwn(RANSOMWARE_USE, use.toLowerCase())) {
      issues.add(`/vulnerabilities/${i}/knownRansomwareCampaignUse`, `must be Known or Unknown, not '${use}'`);
    }
  });
}

/**
 * Parses and validates CISA's KEV catalog JSON (`known_exploited_vulnerabilities.json`): against CISA's
 * schema (vendored, draft-07, with formats), then for the consistency rules above.
 *
 * @param input the file's text or bytes (gzip accepted).
 * @param options `maxBytes`, default 64 MiB.
 * @throws InputError naming each offending field by JSON pointer (`/vulnerabilities/12/dueDate`).
 * @throws PayloadTooLargeError beyond `maxBytes`.
 */
export function parseKevCatalog(input: string | Uint8Array, options: FeedInputOptions = {}): KevCatalog {
  const text = decodeFeedText(input, 'the KEV catalog', options);
  if (/^\uFEFF?\s*"?cveID"?,/.test(text)) {
    rejectInput('the KEV catalog is the CSV edition', [
      {
        pointer: '',
        detail:
          "load CISA's JSON edition (known_exploited_vulnerabilities.json) instead: only it carries the catalog version and release date that imports are ordered and explained by",
      },
    ]);
  }
  const json = parseFeedJson(text, 'the KEV catalog');
  const schemaIssues = validateKev(json);
  if (schemaIssues.length > 0) rejectInput('the KEV catalog does not match its schema', schemaIssues);
  const doc = json as KevDocument;
  const issues = new IssueList();
  checkConsistency(doc, issues);
  issues.throwIfAny('the KEV catalog is inconsistent');

  const { catalogVersion, dateReleased } = doc;
  const entries = doc.vulnerabilities.map((v): KevEntry => ({
    cveId: v.cveID,
    vendorProject: v.vendorProject,
    product: v.product,
    vulnerabilityName: v.vulnerabilityName,
    dateAdded: v.dateAdded,
    dueDate: v.dueDate,
    knownRansomwareCampaignUse: v.knownRansomwareCampaignUse?.toLowerCase() === 'known' ? 'known' : 'unknown',
    catalogVersion,
    dateReleased,
  }));
  return { catalogVersion, dateReleased, entries };
}
