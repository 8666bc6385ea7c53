/**
 * CPE names (NIST IR 7695): the 2.3 formatted string `cpe:2.3:part:vendor:product:version:…` and the 2.2
 * URI `cpe:/part:vendor:product:version:…`, read to part, vendor, product and version with a version-free
 * identity `cpe:<part>:<vendor>:<product>` (lower-cased, escapes kept), the key products are compared on.
 */

export interface CpeName {
  /** As given, trimmed. */
  readonly cpe: string;
  /** `a` application, `o` operating system, `h` hardware, `*` any. */
  readonly part: string;
  readonly vendor: string;
  readonly product: string;
  /** The version with escapes removed; null when the name says ANY (`*`, empty in 2.2) or NA (`-`). */
  readonly version: string | null;
  readonly identity: string;
}

// CPE 2.3 formatted strings escape ':' with a backslash; split on the unescaped ones only.
function splitCpe23(value: string): string[] {
  return value.split(/(?<!\\):/);
}

function unescape23(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

function decode22(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Reads a CPE 2.3 formatted string or 2.2 URI; null when it is neither or lacks vendor or product. */
export function readCpe(raw: string): CpeName | null {
  const cpe = raw.trim();
  let parts: string[];
  let version: string | null;
  if (/^cpe:2\.3:/i.test(cpe)) {
    parts = splitCpe23(cpe).slice(2);
    const v = parts[3];
    version = v === undefined || v === '*' || v === '-' || v === '' ? null : unescape23(v);
  } else if (/^cpe:\/[aho]?/i.test(cpe)) {
    parts = cpe.slice(5).split(':');
    const v = parts[3];
    version = v === undefined || v === '' || v === '-' ? null : decode22(v);
  } else {
    return null;
  }
  const [part, vendor, product] = parts.map((p) => p.toLowerCase());
  if (!part || !/^[aho*]$/.test(part) || !vendor || !product) return null;
  return { cpe, part, vendor, product, version, identity: `cpe:${part}:${vendor}:${product}` };
}

const PLACEHOLDERS = new Set(['', 'n/a', 'na', 'unknown', '-', '*']);

/**
 * The identity of a vendor/product pair (CVE 5 `affected` without a package URL, an operator's declared
 * product): `product:<vendor>/<product>`, lower-cased with runs of white space as one space. Null when either
 * is a placeholder such as `n/a`.
 */
export function productIdentity(vendor: string, product: string): string | null {
  const v = vendor.trim();
  const p = product.trim();
  if (PLACEHOLDERS.has(v.toLowerCase()) || PLACEHOLDERS.has(p.toLowerCase())) return null;
  return `product:${v}/${p}`.toLowerCase().replace(/\s+/g, ' ');
}
