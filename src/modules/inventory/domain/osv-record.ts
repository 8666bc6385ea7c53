import { InputError, type FieldIssue } from '../../../platform/errors.js';

/**
 * The part of an OSV record (ossf/osv-schema 1.x) that matching reads, and a reader that checks it.
 * Intake owns the full record; this module only needs identity, withdrawal and `affected`.
 */

export interface OsvEvent {
  readonly introduced?: string;
  readonly fixed?: string;
  readonly last_affected?: string;
  readonly limit?: string;
}

export interface OsvRange {
  /** "SEMVER", "ECOSYSTEM", "GIT" — or a type this code does not know, which evaluates to "unknown". */
  readonly type: string;
  readonly repo?: string;
  readonly events: readonly OsvEvent[];
}

export interface OsvPackage {
  readonly ecosystem: string;
  readonly name: string;
  readonly purl?: string;
}

export interface OsvAffected {
  readonly package?: OsvPackage;
  readonly ranges?: readonly OsvRange[];
  readonly versions?: readonly string[];
}

export interface OsvRecord {
  readonly id: string;
  readonly modified?: string;
  /** Set when the advisory was withdrawn; a withdrawn advisory affects nothing. */
  readonly withdrawn?: string;
  readonly aliases?: readonly string[];
  readonly summary?: string;
  readonly affected?: readonly OsvAffected[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function optionalString(issues: FieldIssue[], obj: Json, key: string, pointer: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') issues.push({ pointer: `${pointer}/${key}`, detail: 'must be a string' });
  return typeof v === 'string' ? v : undefined;
}

function stringArray(issues: FieldIssue[], v: unknown, pointer: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) {
    issues.push({ pointer, detail: 'must be an array of strings' });
    return undefined;
  }
  return v as string[];
}

const EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;

function readEvent(issues: FieldIssue[], v: unknown, pointer: string): OsvEvent | null {
  if (!isObject(v)) {
    issues.push({ pointer, detail: 'must be an object' });
    return null;
  }
  const keys = EVENT_KEYS.filter((k) => v[k] !== undefined);
  if (keys.length !== 1) {
    issues.push({ pointer, detail: 'must have exactly one of introduced, fixed, last_affected, limit' });
    return null;
  }
  const key = keys[0] as (typeof EVENT_KEYS)[number];
  const value = v[key];
  if (typeof value !== 'string' || value === '') {
    issues.push({ pointer: `${pointer}/${key}`, detail: 'must be a non-empty string' });
    return null;
  }
  return { [key]: value };
}

function readRange(issues: FieldIssue[], v: unknown, pointer: string): OsvRange | null {
  if (!isObject(v) || typeof v['type'] !== 'string' || !Array.isArray(v['events'])) {
    issues.push({ pointer, detail: 'must have a string "type" and an "events" array' });
    return null;
  }
  const events = (v['events'] as unknown[]).map((e, i) => readEvent(issues, e, `${pointer}/events/${i}`)).filter((e) => e !== null);
  const repo = optionalString(issues, v, 'repo', pointer);
  return { type: v['type'], events, ...(repo === undefined ? {} : { repo }) };
}

function readAffected(issues: FieldIssue[], v: unknown, pointer: string): OsvAffected | null {
  if (!isObject(v)) {
    issues.push({ pointer, detail: 'must be an object' });
    return null;
  }
  let pkg: OsvPackage | undefined;
  if (v['package'] !== undefined) {
    const p = v['package'];
    if (!isObject(p) || typeof p['ecosystem'] !== 'string' || typeof p['name'] !== 'string') {
      issues.push({ pointer: `${pointer}/package`, detail: 'must have string "ecosystem" and "name"' });
    } else {
      const purl = optionalString(issues, p, 'purl', `${pointer}/package`);
      pkg = { ecosystem: p['ecosystem'], name: p['name'], ...(purl === undefined ? {} : { purl }) };
    }
  }
  const rawRanges = v['ranges'];
  if (rawRanges !== undefined && !Array.isArray(rawRanges)) issues.push({ pointer: `${pointer}/ranges`, detail: 'must be an array' });
  const ranges = Array.isArray(rawRanges)
    ? rawRanges.map((r, i) => readRange(issues, r, `${pointer}/ranges/${i}`)).filter((r) => r !== null)
    : undefined;
  const versions = stringArray(issues, v['versions'], `${pointer}/versions`);
  return { ...(pkg ? { package: pkg } : {}), ...(ranges ? { ranges } : {}), ...(versions ? { versions } : {}) };
}

/**
 * Reads the matching-relevant part of a parsed OSV JSON/YAML document. Unknown fields are ignored;
 * unknown range types are kept (they evaluate to "unknown", never silently to "not affected").
 * @throws InputError naming each malformed field by JSON pointer (missing `id`, a non-array `affected`, an
 * event with zero or two keys, …).
 */
export function readOsvRecord(json: unknown): OsvRecord {
  const issues: FieldIssue[] = [];
  if (!isObject(json)) throw new InputError('an OSV record must be a JSON object', [{ pointer: '', detail: 'must be an object' }]);
  const id = json['id'];
  if (typeof id !== 'string' || id === '') issues.push({ pointer: '/id', detail: 'is required' });
  const rawAffected = json['affected'];
  if (rawAffected !== undefined && rawAffected !== null && !Array.isArray(rawAffected)) {
    issues.push({ pointer: '/affected', detail: 'must be an array' });
  }
  const affected = Array.isArray(rawAffected)
    ? rawAffected.map((a, i) => readAffected(issues, a, `/affected/${i}`)).filter((a) => a !== null)
    : undefined;
  const aliases = stringArray(issues, json['aliases'], '/aliases');
  const modified = optionalString(issues, json, 'modified', '');
  const withdrawn = optionalString(issues, json, 'withdrawn', '');
  const summary = optionalString(issues, json, 'summary', '');
  if (issues.length > 0) {
    throw new InputError(
      `OSV record ${typeof id === 'string' ? id : '(no id)'}: ${issues.map((i) => `${i.pointer}: ${i.detail}`).join('; ')}`,
      issues,
      {
        code: 'invalid-osv',
      },
    );
  }
  return {
    id: id as string,
    ...(modified === undefined ? {} : { modified }),
    ...(withdrawn === undefined ? {} : { withdrawn }),
    ...(aliases === undefined ? {} : { aliases }),
    ...(summary === undefined ? {} : { summary }),
    ...(affected === undefined ? {} : { affected }),
  };
}
