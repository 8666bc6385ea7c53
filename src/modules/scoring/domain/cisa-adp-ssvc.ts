import { decisionValueOf, type DecisionPoint } from './decision-table.js';
import { IssueList, rejectInput } from '../../../platform/input/issues.js';
import {
  AUTOMATABLE,
  EXPLOITATION,
  TECHNICAL_IMPACT,
  type Automatable,
  type Exploitation,
  type TechnicalImpact,
} from './ssvc-decision-points.js';

/**
 * CISA's "Vulnrichment" enrichment of CVE records: an ADP container (`providerMetadata.shortName` "CISA-ADP")
 * whose `metrics` carry `other` entries of type `ssvc` (CISA's coordinator-tree values for the CVE) and, for
 * CVEs in the KEV catalog, of type `kev`.
 */

export const CISA_ADP_SHORT_NAME = 'CISA-ADP';

/** The SSVC decision points CISA assessed for a CVE. Mission & well-being is not among them: it is ours. */
export interface CisaAdpSsvc {
  /** `content.id`. */
  readonly cveId: string;
  /** `content.role`, "CISA Coordinator" in every record seen. */
  readonly role: string;
  /** `content.version`, the coordinator tree's version ("2.0.3"). */
  readonly version: string;
  /** `content.timestamp`: when CISA assessed it. */
  readonly timestamp: string;
  readonly exploitation: Exploitation;
  readonly automatable: Automatable;
  readonly technicalImpact: TechnicalImpact;
  /** JSON pointer of the metric in the record, for the explanation. */
  readonly pointer: string;
}

export interface CisaAdpKev {
  /** `YYYY-MM-DD` as the enrichment states it; the KEV catalog itself is the authority on the date. */
  readonly dateAdded: string;
  readonly reference: string | null;
  readonly pointer: string;
}

export interface CisaAdpEnrichment {
  readonly cveId: string;
  /** The CISA-ADP container's `providerMetadata.dateUpdated`, when given. */
  readonly dateUpdated: string | null;
  readonly ssvc: CisaAdpSsvc | null;
  readonly kev: CisaAdpKev | null;
}

type Json = Readonly<Record<string, unknown>>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const asArray = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);
const asString = (value: unknown): string | null => (typeof value === 'string' ? value : null);

// CISA writes the option names as SSVC's decision-point names and the values mostly lower-case ("poc"), now
// and then capitalized ("Active", "Yes"); decisionValueOf accepts both.
const OPTIONS: readonly { readonly field: 'exploitation' | 'automatable' | 'technicalImpact'; readonly point: DecisionPoint }[] = [
  { field: 'exploitation', point: EXPLOITATION },
  { field: 'automatable', point: AUTOMATABLE },
  { field: 'technicalImpact', point: TECHNICAL_IMPACT },
];

function readSsvc(content: unknown, pointer: string, issues: IssueList): CisaAdpSsvc | null {
  if (!isObject(content)) {
    issues.add(`${pointer}/content`, 'must be an object');
    return null;
  }
  const found: Partial<Record<(typeof OPTIONS)[number]['field'], string>> = {};
  const named = new Set<string>();
  asArray(content['options']).forEach((option, i) => {
    if (!isObject(option)) return;
    for (const [name, raw] of Object.entries(option)) {
      const spec = OPTIONS.find((o) => o.point.name.toLowerCase() === name.toLowerCase());
      if (spec === undefined) continue; // a decision point we do not use
      named.add(spec.field);
      const value = typeof raw === 'string' ? decisionValueOf(spec.point, raw) : undefined;
      if (value === undefined)
        issues.add(
          `${pointer}/content/options/${i}/${name}`,
          `${JSON.stringify(raw)} is not one of ${spec.point.values.map((v) => v.value).join(', ')}`,
        );
      else found[spec.field] = value;
    }
  });
  for (const { field, point } of OPTIONS) {
    if (!named.has(field)) issues.add(`${pointer}/content/options`, `has no ${point.name}`);
  }
  const cveId = asString(content['id']);
  if (cveId === null) issues.add(`${pointer}/content/id`, 'is required');
  if (!issues.empty) return null;
  return {
    cveId: cveId ?? '',
    role: asString(content['role']) ?? '',
    version: asString(content['version']) ?? '',
    timestamp: asString(content['timestamp']) ?? '',
    exploitation: found.exploitation as Exploitation,
    automatable: found.automatable as Automatable,
    technicalImpact: found.technicalImpact as TechnicalImpact,
    pointer,
  };
}

function readKev(content: unknown, pointer: string, issues: IssueList): CisaAdpKev | null {
  const dateAdded = isObject(content) ? asString(content['dateAdded']) : null;
  if (dateAdded === null || !/^\d{4}-\d{2}-\d{2}$/.test(dateAdded)) {
    issues.add(`${pointer}/content/dateAdded`, 'must be a YYYY-MM-DD date');
    return null;
  }
  return { dateAdded, reference: isObject(content) ? asString(content['reference']) : null, pointer };
}

/**
 * Reads CISA's ADP enrichment from a parsed CVE JSON 5 record (the intake module validates records against
 * the CVE schema; this reads only what it needs and checks that). The first SSVC and the first KEV metric of
 * the first CISA-ADP container are taken; CISA publishes one of each.
 *
 * @returns null when the record has no CISA-ADP container; otherwise its SSVC and KEV parts, each null when absent.
 * @throws InputError naming the field by JSON pointer when the record has no CVE id, or when an SSVC metric
 *   lacks a decision point, holds a value outside it, or is about another CVE.
 */
export function readCisaAdpEnrichment(record: unknown): CisaAdpEnrichment | null {
  const meta = isObject(record) ? record['cveMetadata'] : undefined;
  const cveId = isObject(meta) ? asString(meta['cveId']) : null;
  if (cveId === null) return rejectInput('not a CVE record', [{ pointer: '/cveMetadata/cveId', detail: 'is required' }]);
  const containers = isObject(record) ? record['containers'] : undefined;
  const adp = asArray(isObject(containers) ? containers['adp'] : undefined);
  const index = adp.findIndex(
    (c) => isObject(c) && isObject(c['providerMetadata']) && c['providerMetadata']['shortName'] === CISA_ADP_SHORT_NAME,
  );
  const container = adp[index];
  if (!isObject(container)) return null;

  const issues = new IssueList();
  let ssvc: CisaAdpSsvc | null = null;
  let kev: CisaAdpKev | null = null;
  asArray(container['metrics']).forEach((metric, i) => {
    const other = isObject(metric) ? metric['other'] : undefined;
    if (!isObject(other)) return;
    const pointer = `/containers/adp/${index}/metrics/${i}/other`;
    if (other['type'] === 'ssvc' && ssvc === null) ssvc = readSsvc(other['content'], pointer, issues);
    if (other['type'] === 'kev' && kev === null) kev = readKev(other['content'], pointer, issues);
  });
  // TypeScript does not see the assignments inside the callback and would narrow `ssvc` to null here.
  const found = ssvc as CisaAdpSsvc | null;
  if (found !== null && found.cveId !== cveId) issues.add(`${found.pointer}/content/id`, `is ${found.cveId}, but the record is ${cveId}`);
  issues.throwIfAny(`the CISA-ADP enrichment of ${cveId} is malformed`);
  const provider = container['providerMetadata'] as Json;
  return { cveId, dateUpdated: asString(provider['dateUpdated']), ssvc: found, kev };
}
