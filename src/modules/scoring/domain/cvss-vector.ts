import { CVSS_METRICS, CVSS_VERSIONS, cvssMetric, notDefinedValue, type CvssMetricGroup, type CvssVersion } from './cvss-metrics.js';
import { IssueList, rejectInput } from './input-issues.js';

/** A vector that passed the grammar of its version. */
export interface CvssVector {
  readonly version: CvssVersion;
  /**
   * The canonical spelling: the version prefix (none for v2, which has no prefix), then every metric with
   * a defined value in specification order. Two vectors that mean the same thing spell the same.
   */
  readonly vector: string;
  /** Metric abbreviation → value, for the metrics the vector defines (Not Defined ones are left out). */
  readonly metrics: Readonly<Record<string, string>>;
  /** The groups in which the vector defines at least one metric; always includes `base`. */
  readonly groups: ReadonlySet<CvssMetricGroup>;
}

export interface ParseCvssOptions {
  /** JSON pointer of the field that held the vector, used in the issues; default `''` (the input itself). */
  readonly pointer?: string;
}

/** Longer than any real vector (a v4 vector with every metric is about 250 characters). */
export const MAX_CVSS_VECTOR_LENGTH = 512;

const PREFIX = /^CVSS:([^/]*)\//;
const COMPONENT = /^([^:]+):(.+)$/;

function splitVersion(text: string, issues: IssueList, pointer: string): { version: CvssVersion; body: string } | null {
  const prefix = PREFIX.exec(text);
  if (prefix === null) {
    if (text.startsWith('CVSS:')) {
      issues.add(pointer, `'${text.slice(0, 12)}…' has no "/" after the version prefix`);
      return null;
    }
    // v2 vectors carry no prefix (NVD writes them bare, older feeds in parentheses).
    const bare = text.startsWith('(') && text.endsWith(')') ? text.slice(1, -1) : text;
    return { version: '2.0', body: bare };
  }
  const version = CVSS_VERSIONS.find((v) => v === prefix[1]);
  if (version === undefined) {
    issues.add(pointer, `CVSS version '${prefix[1] ?? ''}' is not supported (supported: ${CVSS_VERSIONS.join(', ')})`);
    return null;
  }
  return { version, body: text.slice(prefix[0].length) };
}

/**
 * Parses a CVSS 2.0, 3.0, 3.1 or 4.0 vector against its version's grammar. The version comes from the
 * `CVSS:x.y/` prefix; a vector without one is read as v2.0 (whose own form has no prefix), so
 * `CVSS:2.0/…` is accepted too. Metrics may come in any order (v3.x §6 requires readers to accept that;
 * the v4.0 text contradicts itself on it, and real feeds do reorder), but each at most once, and every
 * base metric must be present. Values are case-sensitive, as the specifications write them.
 *
 * @throws InputError with one issue per offending metric, each detail starting with the metric's
 *   abbreviation (`AV: 'Q' is not one of N, A, L, P`), or naming the component that is not `METRIC:VALUE`.
 */
export function parseCvssVector(input: string, options: ParseCvssOptions = {}): CvssVector {
  const pointer = options.pointer ?? '';
  const issues = new IssueList();
  const text = input.trim();
  if (text === '') issues.add(pointer, 'the CVSS vector is empty');
  else if (text.length > MAX_CVSS_VECTOR_LENGTH) issues.add(pointer, `the CVSS vector is longer than ${MAX_CVSS_VECTOR_LENGTH} characters`);
  issues.throwIfAny('invalid CVSS vector');

  const split = splitVersion(text, issues, pointer);
  if (split === null) return rejectInput('invalid CVSS vector', issues.issues);
  const { version, body } = split;
  const summary = `invalid CVSS ${version} vector`;

  const given = new Map<string, string>();
  body.split('/').forEach((part, index) => {
    const match = COMPONENT.exec(part);
    if (match === null) {
      issues.add(pointer, `component ${index + 1} ('${part}') is not METRIC:VALUE`);
      return;
    }
    const [, key = '', value = ''] = match;
    const spec = cvssMetric(version, key);
    if (spec === undefined) issues.add(pointer, `${key}: not a CVSS ${version} metric`);
    else if (given.has(key)) issues.add(pointer, `${key}: given more than once`);
    else if (!spec.values.includes(value)) issues.add(pointer, `${key}: '${value}' is not one of ${spec.values.join(', ')}`);
    given.set(key, value);
  });
  for (const spec of CVSS_METRICS[version]) {
    if (spec.group === 'base' && !given.has(spec.key)) issues.add(pointer, `${spec.key}: base metric is missing`);
  }
  issues.throwIfAny(summary);

  const notDefined = notDefinedValue(version);
  const metrics: Record<string, string> = {};
  const groups = new Set<CvssMetricGroup>(['base']);
  const parts: string[] = version === '2.0' ? [] : [`CVSS:${version}`];
  for (const spec of CVSS_METRICS[version]) {
    const value = given.get(spec.key);
    if (value === undefined || value === notDefined) continue;
    metrics[spec.key] = value;
    groups.add(spec.group);
    parts.push(`${spec.key}:${value}`);
  }
  return { version, vector: parts.join('/'), metrics: Object.freeze(metrics), groups };
}
