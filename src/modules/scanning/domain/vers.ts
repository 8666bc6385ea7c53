import {
  allVersions,
  excludeVersion,
  normalizeIntervals,
  type Bound,
  type VersionInterval,
  type VersionScheme,
  type VersionSet,
} from './version-set.js';

/**
 * Version range specifiers (`vers:`, package-url/vers-spec core specification). Read strictly, as the
 * specification requires: a non-canonical string — white space, unsorted or duplicate versions, redundant
 * comparators, non-canonical percent-encoding — is an error naming the rule, never silently repaired.
 */

export type VersComparator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export interface VersConstraint {
  readonly comparator: VersComparator;
  /** Percent-decoded. */
  readonly version: string;
}

export interface Vers {
  /** The versioning type, lower case (by convention the purl type: `npm`, `pypi`, `maven`). */
  readonly type: string;
  /** `*` for every version. */
  readonly constraints: readonly VersConstraint[] | '*';
}

export type VersResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const fail = <T>(reason: string): VersResult<T> => ({ ok: false, reason: `non-canonical VERS: ${reason}` });

// The characters a version must percent-encode, and therefore the only ones it may.
const RESERVED = new Set(['>', '<', '=', '!', '*', '|', '%']);

function decodeVersion(raw: string): VersResult<string> {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] as string;
    if (ch !== '%') {
      if (RESERVED.has(ch)) return fail(`character ${JSON.stringify(ch)} in version ${JSON.stringify(raw)} must be percent-encoded`);
      out += ch;
      continue;
    }
    const hex = raw.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return fail('invalid percent-encoding in version');
    const decoded = String.fromCharCode(parseInt(hex, 16));
    if (hex !== hex.toUpperCase() || !RESERVED.has(decoded)) return fail('percent-encoding in version is not canonical');
    out += decoded;
    i += 2;
  }
  return { ok: true, value: out };
}

/** Reads the syntax of a `vers:` string (not yet ordering, which needs the type's version order). */
export function readVers(text: string): VersResult<Vers> {
  if (/\s/.test(text)) return fail('whitespace is not permitted');
  if (!/^[\x21-\x7e]*$/.test(text)) return fail('only printable ASCII is permitted');
  const colon = text.indexOf(':');
  if (colon === -1 || text.slice(0, colon) !== 'vers') return fail('must start with "vers:" in lower case');
  const rest = text.slice(colon + 1);
  const slash = rest.indexOf('/');
  if (slash === -1) return fail('the type must be followed by "/"');
  const type = rest.slice(0, slash);
  if (!/^[a-z][a-z0-9.-]*$/.test(type))
    return fail(`type ${JSON.stringify(type)} must be lower-case letters, digits, "." and "-", starting with a letter`);
  const body = rest.slice(slash + 1);
  if (body === '') return fail('constraints must not be empty');
  if (body === '*') return { ok: true, value: { type, constraints: '*' } };
  if (body.startsWith('|')) return fail('leading pipe is not permitted');
  if (body.endsWith('|')) return fail('trailing pipe is not permitted');
  const constraints: VersConstraint[] = [];
  for (const part of body.split('|')) {
    if (part === '') return fail('consecutive pipes are not permitted');
    const m = /^(>=|<=|!=|<|>|=)?(.*)$/.exec(part) as RegExpExecArray;
    const comparator = (m[1] ?? '=') as VersComparator;
    if (m[1] === '=') return fail(`the "=" comparator is written as the bare version (${JSON.stringify(part)})`);
    if (m[2] === '') return fail(`constraint ${JSON.stringify(part)} has no version`);
    if (m[2] === '*') return fail('"*" must be used alone');
    const version = decodeVersion(m[2] as string);
    if (!version.ok) return version;
    constraints.push({ comparator, version: version.value });
  }
  return { ok: true, value: { type, constraints } };
}

const LOWER: readonly VersComparator[] = ['>', '>='];
const UPPER: readonly VersComparator[] = ['<', '<='];

/**
 * Orders and checks the constraints under the type's version order and returns the version set they
 * denote: sorted by version, each version once, and (ignoring `!=`) `=`, `<`, `<=` followed only by `=`,
 * `>`, `>=`, while `>`, `>=` are followed only by `<`, `<=`. A version the order cannot read is an error.
 */
export function versionSetOfVers<P>(vers: Vers, scheme: VersionScheme<P>): VersResult<VersionSet<P>> {
  if (vers.constraints === '*') return { ok: true, value: allVersions(scheme) };
  const parsed: { comparator: VersComparator; bound: Bound<P> }[] = [];
  for (const c of vers.constraints) {
    const p = scheme.parse(c.version);
    if (p === null) return { ok: false, reason: `${JSON.stringify(c.version)} is not a valid ${scheme.scheme} version` };
    parsed.push({
      comparator: c.comparator,
      bound: { version: c.version, parsed: p, inclusive: c.comparator !== '<' && c.comparator !== '>' },
    });
  }
  for (let i = 1; i < parsed.length; i++) {
    const c = scheme.compareParsed(
      (parsed[i - 1] as (typeof parsed)[number]).bound.parsed,
      (parsed[i] as (typeof parsed)[number]).bound.parsed,
    );
    if (c > 0) return fail('constraints are not sorted by version');
    if (c === 0) return fail(`version ${JSON.stringify(parsed[i]?.bound.version)} occurs more than once`);
  }
  const signposts = parsed.filter((c) => c.comparator !== '!=');
  for (let i = 1; i < signposts.length; i++) {
    const current = (signposts[i - 1] as (typeof parsed)[number]).comparator;
    const next = (signposts[i] as (typeof parsed)[number]).comparator;
    const allowed: readonly VersComparator[] = LOWER.includes(current) ? UPPER : ['=', ...LOWER];
    if (!allowed.includes(next)) return fail(`"${current}" must not be followed by "${next}" (redundant or empty range)`);
  }
  const intervals: VersionInterval<P>[] = [];
  let open: Bound<P> | null | undefined;
  for (const { comparator, bound } of signposts) {
    if (comparator === '=') intervals.push({ low: bound, high: bound });
    else if (LOWER.includes(comparator)) open = bound;
    else {
      intervals.push({ low: open ?? null, high: bound });
      open = undefined;
    }
  }
  if (open !== undefined) intervals.push({ low: open, high: null });
  // Only `!=` constraints: every version but those.
  let set = signposts.length === 0 ? allVersions(scheme) : normalizeIntervals(scheme, intervals);
  for (const { comparator, bound } of parsed) if (comparator === '!=') set = excludeVersion(set, bound.version, bound.parsed);
  return { ok: true, value: set };
}
