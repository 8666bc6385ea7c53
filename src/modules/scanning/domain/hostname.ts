import { readIpAddress } from './ip-address.js';

/**
 * Host names as network targets: fully qualified DNS names (RFC 1123 labels), lower-cased, without a
 * trailing dot, internationalized names in their A-label (punycode) form, and wildcards `*.example.com`
 * that stand for every name below `example.com` at any depth (not `example.com` itself).
 */
export interface HostPattern {
  /** `portal.grid.example` or, for a wildcard, the name below which it applies. */
  readonly name: string;
  readonly wildcard: boolean;
  /** Canonical text: `portal.grid.example`, `*.grid.example`. */
  readonly text: string;
}

export type HostReadResult = { readonly ok: true; readonly host: HostPattern } | { readonly ok: false; readonly reason: string };

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

function toAscii(name: string): string | null {
  try {
    // The WHATWG URL parser applies UTS #46 (IDNA) mapping: what a browser would resolve.
    return new URL(`http://${name}/`).hostname;
  } catch {
    return null;
  }
}

/** Reads a host name or wildcard; IP literals are refused (a network is a CIDR target). */
export function readHostname(text: string): HostReadResult {
  let raw = text.trim();
  if (raw.endsWith('.')) raw = raw.slice(0, -1);
  const wildcard = raw.startsWith('*.');
  const rest = wildcard ? raw.slice(2) : raw;
  if (rest === '') return { ok: false, reason: 'a host name must not be empty' };
  if (readIpAddress(rest.replace(/^\[|\]$/g, '')) !== null) {
    return { ok: false, reason: `${JSON.stringify(text)} is an IP address; give it as a CIDR target (e.g. ${rest}/32)` };
  }
  if (/[\s/:@?#*]/.test(rest)) return { ok: false, reason: `${JSON.stringify(text)} is not a host name (only a leading "*." is allowed)` };
  const ascii = toAscii(rest);
  if (ascii === null) return { ok: false, reason: `${JSON.stringify(text)} is not a valid host name` };
  const labels = ascii.split('.');
  if (labels.length < 2) return { ok: false, reason: `${JSON.stringify(text)} must be fully qualified (at least two labels)` };
  if (ascii.length > 253) return { ok: false, reason: `${JSON.stringify(text)} is longer than 253 characters` };
  const bad = labels.find((l) => !LABEL.test(l));
  if (bad !== undefined)
    return { ok: false, reason: `label ${JSON.stringify(bad)} of ${JSON.stringify(text)} must be 1–63 letters, digits or inner hyphens` };
  return { ok: true, host: { name: ascii, wildcard, text: wildcard ? `*.${ascii}` : ascii } };
}

/** The proper DNS suffixes of a name, nearest first: `a.b.c` → `b.c`, `c`. */
export function properSuffixes(name: string): string[] {
  const out: string[] = [];
  for (let i = name.indexOf('.'); i !== -1; i = name.indexOf('.', i + 1)) out.push(name.slice(i + 1));
  return out;
}

function isBelow(name: string, base: string): boolean {
  return name.length > base.length && name.endsWith(`.${base}`);
}

/** Whether some name matches both patterns. */
export function hostsOverlap(a: HostPattern, b: HostPattern): boolean {
  if (!a.wildcard && !b.wildcard) return a.name === b.name;
  if (a.wildcard && b.wildcard) return a.name === b.name || isBelow(a.name, b.name) || isBelow(b.name, a.name);
  const [pattern, host] = a.wildcard ? [a, b] : [b, a];
  return isBelow(host.name, pattern.name);
}

/** Whether every name `inner` matches is matched by `outer`. */
export function hostCovers(outer: HostPattern, inner: HostPattern): boolean {
  if (!outer.wildcard) return !inner.wildcard && inner.name === outer.name;
  return isBelow(inner.name, outer.name) || (inner.wildcard && inner.name === outer.name);
}
