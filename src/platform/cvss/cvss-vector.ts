import {
  CVSS_METRICS,
  CVSS_VERSIONS,
  cvssMetric,
  notDefinedValue,
  type CvssMetricGroup,
  type CvssMetricSpec,
  type CvssVersion,
} from './cvss-metrics.js';
import { IssueList, rejectInput } from '../input/issues.js';

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
  /**
   * The same metrics by position, for the formulas' hot loops: per metric of `CVSS_METRICS[version]`, in
   * that order, the index of its value in the metric's `values`, or -1 when absent or Not Defined.
   */
  readonly codes: readonly number[];
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

/** Every `METRIC:VALUE` a version allows, with the metric's position in specification order. */
interface Component {
  readonly index: number;
  readonly spec: CvssMetricSpec;
  readonly value: string;
  /** `METRIC:VALUE`. */
  readonly text: string;
  /** The value's index in `spec.values`. */
  readonly code: number;
  readonly notDefined: boolean;
}

function hashOf(text: string, from: number, to: number): number {
  let hash = 0;
  for (let i = from; i < to; i += 1) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) & 0x3fffffff;
  return hash;
}

/**
 * A version's components by a hash of their text, so that a component can be found where it stands in
 * the vector without cutting it out (bulk scoring spent more time allocating substrings than scoring).
 */
class ComponentIndex {
  readonly #byHash = new Map<number, Component[]>();

  constructor(version: CvssVersion) {
    CVSS_METRICS[version].forEach((spec, index) => {
      spec.values.forEach((value, code) => {
        const text = `${spec.key}:${value}`;
        const hash = hashOf(text, 0, text.length);
        this.#byHash.set(hash, [
          ...(this.#byHash.get(hash) ?? []),
          { index, spec, value, text, code, notDefined: value === notDefinedValue(version) },
        ]);
      });
    });
  }

  /** The component spelled by `text` from `from` to `to` (exclusive), if any. */
  find(text: string, from: number, to: number): Component | undefined {
    const candidates = this.#byHash.get(hashOf(text, from, to));
    if (candidates === undefined) return undefined;
    for (const candidate of candidates) if (candidate.text.length === to - from && text.startsWith(candidate.text, from)) return candidate;
    return undefined;
  }
}

const COMPONENTS = new Map(CVSS_VERSIONS.map((version) => [version, new ComponentIndex(version)] as const));
const PLACED = new Map(CVSS_VERSIONS.map((version) => [version, new Array<Component | undefined>(CVSS_METRICS[version].length)] as const));

const PREFIXES = CVSS_VERSIONS.filter((v) => v !== '2.0').map((version) => ({ version, prefix: `CVSS:${version}/` }));
const BASE_METRICS = new Map(CVSS_VERSIONS.map((v) => [v, CVSS_METRICS[v].filter((m) => m.group === 'base').length]));

const GROUP_ORDER: readonly CvssMetricGroup[] = ['base', 'temporal', 'threat', 'environmental', 'supplemental'];
// One shared set per combination of groups: a vector's groups never change, and there are at most 32.
const GROUP_SETS: readonly ReadonlySet<CvssMetricGroup>[] = Array.from(
  { length: 2 ** GROUP_ORDER.length },
  (_, mask) => new Set(GROUP_ORDER.filter((_g, i) => (mask & (2 ** i)) !== 0)),
);
const GROUP_BIT = new Map(GROUP_ORDER.map((g, i) => [g, 2 ** i]));

/**
 * Builds the parsed vector from its components in specification order, spelling the canonical vector as
 * it goes unless the input is canonical already (`canonical`).
 */
function assemble(version: CvssVersion, components: readonly (Component | undefined)[], canonical: string | null): CvssVector {
  const specs = CVSS_METRICS[version];
  // A dictionary from the start: vectors define a hundred different sets of metrics, and building plain
  // objects of that many shapes cost more than the scoring.
  const metrics = Object.create(null) as Record<string, string>;
  let groups = GROUP_BIT.get('base') ?? 1;
  const codes = new Array<number>(specs.length).fill(-1);
  let vector = canonical ?? (version === '2.0' ? '' : `CVSS:${version}`);
  for (const component of components) {
    if (component === undefined || component.notDefined) continue;
    metrics[component.spec.key] = component.value;
    codes[component.index] = component.code;
    groups |= GROUP_BIT.get(component.spec.group) ?? 0;
    if (canonical === null) vector += vector === '' ? component.text : `/${component.text}`;
  }
  // Read-only by type, not frozen: freezing a dictionary-mode object cost 7 % of bulk scoring, and a parsed
  // vector is never shared (the shared, cached results of scoreCvss are frozen).
  return { version, vector, metrics, groups: GROUP_SETS[groups] ?? new Set(['base']), codes };
}

/**
 * The common case, a well-formed vector, with no regular expression: each component is looked up whole.
 * Returns null at the first thing it does not expect, and {@link parseCvssVector} then runs
 * {@link validateCvssVector}, which names every fault; so this path needs no messages of its own. This
 * is the hot path of bulk scoring: a vector in specification order (the usual case) is read in one pass
 * and, when it holds no Not Defined metric, is its own canonical spelling.
 */
function parseWellFormed(text: string): CvssVector | null {
  let version: CvssVersion = '2.0';
  let from = 0;
  let to = text.length;
  if (text.startsWith('CVSS:')) {
    const prefixed = PREFIXES.find((p) => text.startsWith(p.prefix));
    if (prefixed === undefined) return null;
    version = prefixed.version;
    from = prefixed.prefix.length;
  } else if (text.startsWith('(') && text.endsWith(')')) {
    from = 1; // v2 vectors carry no prefix, and older feeds put them in parentheses
    to -= 1;
  }
  const known = COMPONENTS.get(version);
  if (known === undefined) return null;
  // Reused between calls (parsing is synchronous and never re-entered): one allocation less per vector.
  const placed = PLACED.get(version) ?? [];
  placed.fill(undefined);
  // A vector in specification order with no Not Defined metric is its own canonical spelling (the usual case).
  let canonical = to === text.length && (from === 0 || version !== '2.0');
  let bases = 0;
  let last = -1;
  while (from <= to) {
    let end = text.indexOf('/', from);
    if (end < 0 || end > to) end = to;
    const component = known.find(text, from, end);
    if (component === undefined || placed[component.index] !== undefined) return null;
    placed[component.index] = component;
    if (component.index < last || component.notDefined) canonical = false;
    if (component.spec.group === 'base') bases += 1;
    last = component.index;
    from = end + 1;
  }
  return bases === BASE_METRICS.get(version) ? assemble(version, placed, canonical ? text : null) : null;
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
  const text = input.trim();
  return (text.length <= MAX_CVSS_VECTOR_LENGTH ? parseWellFormed(text) : null) ?? validateCvssVector(input, options);
}

/** The grammar check with every fault named: the slow path of {@link parseCvssVector}. */
function validateCvssVector(input: string, options: ParseCvssOptions): CvssVector {
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

  // Every component is known now (the checks above passed): place them as the fast path does.
  const known = COMPONENTS.get(version);
  const placed = CVSS_METRICS[version].map((spec) => {
    const value = given.get(spec.key);
    const text = `${spec.key}:${value ?? ''}`;
    return value === undefined ? undefined : known?.find(text, 0, text.length);
  });
  return assemble(version, placed, null);
}
