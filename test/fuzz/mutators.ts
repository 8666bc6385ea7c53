import { seededRandom } from '#test-support/seeded-random.js';

/**
 * Structure-aware mutators for the parser fuzzer. Each takes a seed input (a real document from
 * ../shared/data, or an inline one) and a seeded generator, and returns one hostile variant: the same run
 * with the same seed yields the same inputs, so a failure names a case that fails again.
 */

export type Rand = () => number;
export { seededRandom };

export const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
export const int = (rand: Rand, below: number): number => Math.floor(rand() * below);

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });
export const utf8 = (text: string): Uint8Array => encoder.encode(text);
export const text = (bytes: Uint8Array): string => decoder.decode(bytes);

/** Strings that have broken parsers before: control characters, lone surrogates, bidi and combining marks. */
export const ODD_STRINGS: readonly string[] = [
  '',
  '\u0000',
  '\uD800',
  '\uDFFF\uD800',
  '\u202E\u2066evil',
  'e\u0301\u0301\u0301',
  '\uFEFF',
  '\u2028\u2029',
  '𝕏'.repeat(64),
  'NaN',
  '-0',
  '1e999999',
  '9'.repeat(400),
  '../../../../etc/passwd',
  'pkg:',
  'pkg:npm/%',
  'CVE-0000-0000',
  'CVSS:3.1/AV:N/AV:N',
  '2026-02-30T25:61:61Z',
  '%00%ff%',
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  '=cmd|"/c calc"!A1',
];

/** Keys that must never reach an object's prototype chain. */
export const HOSTILE_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', ''];

const HUGE_STRING_BYTES = 1 << 20;

/** Values of the wrong type or shape, for type swaps. */
function hostileValue(rand: Rand): unknown {
  switch (int(rand, 12)) {
    case 0:
      return null;
    case 1:
      return pick(rand, [0, -1, 1e308, -1e308, 2 ** 53 + 2, 0.1, -0, 4294967296]);
    case 2:
      return pick(rand, ODD_STRINGS);
    case 3:
      return 'A'.repeat(int(rand, 2) === 0 ? 300 : HUGE_STRING_BYTES);
    case 4:
      return pick(rand, [true, false]);
    case 5:
      return [];
    case 6:
      return {};
    case 7:
      return [null, 1, 'x', {}];
    case 8:
      return Array.from({ length: 2_000 + int(rand, 20_000) }, (_, i) => i);
    case 9:
      return withKey({}, pick(rand, HOSTILE_KEYS), { polluted: 'yes' });
    case 10:
      return nested(120 + int(rand, 20), rand);
    default:
      return { '': [''] };
  }
}

/** An own, enumerable property even for `__proto__`, so JSON.stringify writes it out. */
function withKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

function nested(depth: number, rand: Rand): unknown {
  let value: unknown = 'deep';
  for (let i = 0; i < depth; i++) value = rand() < 0.5 ? [value] : { a: value };
  return value;
}

function containers(value: unknown): (Record<string, unknown> | unknown[])[] {
  const out: (Record<string, unknown> | unknown[])[] = [];
  const stack = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    out.push(node as Record<string, unknown>);
    stack.push(...Object.values(node));
  }
  return out;
}

/** The same value with another type: a string becomes a number, an array an object, and so on. */
function swapType(value: unknown, rand: Rand): unknown {
  if (typeof value === 'string') return pick(rand, [Number(value) || 0, [value], { value }, value.length > 0, null]);
  if (typeof value === 'number') return pick(rand, [String(value), [value], -value, value * 1e300, null]);
  if (typeof value === 'boolean') return pick(rand, [String(value), Number(value), null]);
  if (Array.isArray(value))
    return pick(rand, [Object.fromEntries(value.map((v, i) => [String(i), v])), value[0] ?? null, JSON.stringify(value)]);
  if (typeof value === 'object' && value !== null) return pick(rand, [Object.values(value), Object.keys(value), 'object']);
  return hostileValue(rand);
}

/**
 * One to three edits on a parsed document: delete a field, swap its type, replace it with a hostile value,
 * duplicate an array element or a sibling, add a `__proto__`/`constructor` key, or bury it deep.
 */
export function mutateValue(doc: unknown, rand: Rand): unknown {
  const copy = structuredClone(doc);
  const edits = 1 + int(rand, 3);
  for (let e = 0; e < edits; e++) {
    const nodes = containers(copy);
    const node = pick(rand, nodes);
    if (node === undefined) break;
    const keys = Object.keys(node);
    const action = int(rand, 8);
    if (action === 6 && !Array.isArray(node)) {
      withKey(node, pick(rand, HOSTILE_KEYS), pick<unknown>(rand, [{ polluted: 'yes' }, 'yes', [], null, { toString: 'x' }]));
      continue;
    }
    if (keys.length === 0) continue;
    const key = pick(rand, keys);
    const index = Number(key);
    const current = (node as Record<string, unknown>)[key];
    if (action === 0) {
      if (Array.isArray(node)) node.splice(index, 1);
      else delete node[key];
    } else if (action === 1) (node as Record<string, unknown>)[key] = swapType(current, rand);
    else if (action === 2 || action === 6) (node as Record<string, unknown>)[key] = hostileValue(rand);
    else if (action === 3 && Array.isArray(node)) node.push(...Array.from({ length: 1 + int(rand, 50) }, () => structuredClone(current)));
    else if (action === 3)
      withKey(node as Record<string, unknown>, `${key}${pick(rand, ['_', '\u0000', ' ', 'S'])}`, structuredClone(current));
    else if (action === 4) (node as Record<string, unknown>)[key] = nested(1 + int(rand, 140), rand);
    else if (action === 5) (node as Record<string, unknown>)[key] = pick(rand, ODD_STRINGS);
    else (node as Record<string, unknown>)[key] = Array.isArray(current) ? [] : {};
  }
  return copy;
}

/** Truncation, byte flips, inserted and deleted runs, invalid UTF-8. */
export function mutateBytes(bytes: Uint8Array, rand: Rand): Uint8Array {
  const action = int(rand, 6);
  if (bytes.length === 0) return Uint8Array.of(int(rand, 256));
  if (action === 0) return bytes.slice(0, int(rand, bytes.length));
  if (action === 1) return bytes.slice(int(rand, bytes.length));
  const out = Uint8Array.from(bytes);
  if (action === 2 || action === 3) {
    const flips = 1 + int(rand, action === 2 ? 4 : 64);
    for (let i = 0; i < flips; i++) out[int(rand, out.length)] = int(rand, 256);
    return out;
  }
  const at = int(rand, bytes.length);
  if (action === 4) {
    const insert = pick(rand, [
      Uint8Array.of(0xff, 0xfe),
      Uint8Array.of(0xc0, 0x80),
      Uint8Array.of(0xed, 0xa0, 0x80),
      Uint8Array.of(0),
      utf8('\uFEFF'),
    ]);
    return concat(bytes.slice(0, at), insert, bytes.slice(at));
  }
  return concat(bytes.slice(0, at), bytes.slice(Math.min(bytes.length, at + 1 + int(rand, 256))));
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** JSON text edits that a parsed value cannot express: duplicate keys, huge numbers, deep nesting. */
export function mutateJsonText(source: string, rand: Rand): string {
  const keys = [...source.matchAll(/"((?:[^"\\]|\\.){1,60})"\s*:/g)];
  const key = keys.length > 0 ? pick(rand, keys) : undefined;
  const at = key?.index ?? (source.indexOf('{') + 1 || 0);
  const insert = (fragment: string): string => `${source.slice(0, at)}${fragment}${source.slice(at)}`;
  const name = key?.[1] ?? 'id';
  const depth = pick(rand, [200, 5_000, 100_000]);
  switch (int(rand, 7)) {
    case 0:
      return insert(`"${name}": ${JSON.stringify(hostileValue(rand))}, `);
    case 1:
      return insert(`"__proto__": {"polluted": "yes", "toString": 1}, "constructor": {"prototype": {"polluted": "yes"}}, `);
    case 2:
      return insert(
        `"${name}": ${pick(rand, ['1e999999', '-1e999999', '9'.repeat(5_000), '0.' + '0'.repeat(5_000) + '1', '-0', '1E+308'])}, `,
      );
    case 3:
      return insert(`"${name}": ${'['.repeat(depth)}${']'.repeat(depth)}, `);
    case 4:
      return insert(`"${name}": ${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}, `);
    case 5:
      return insert(`"${name}": "${'\\u0000\\ud800\\u202e'.repeat(1 + int(rand, 20_000))}", `);
    default:
      return insert(`"${name}": "${'x'.repeat(HUGE_STRING_BYTES * (1 + int(rand, 4)))}", `);
  }
}

/** YAML edits: alias bombs, custom and unsafe tags, merge keys, deep flow nesting. */
export function mutateYamlText(source: string, rand: Rand): string {
  const depth = pick(rand, [200, 5_000, 50_000]);
  const bomb = [
    'lol0: &a0 [x, x, x, x, x, x, x, x, x]',
    ...Array.from(
      { length: 9 },
      (_, i) => `lol${i + 1}: &a${i + 1} [*a${i}, *a${i}, *a${i}, *a${i}, *a${i}, *a${i}, *a${i}, *a${i}, *a${i}]`,
    ),
  ].join('\n');
  const fragments = [
    bomb,
    'summary: !!js/function "function () { return process.exit(1) }"',
    'summary: !<tag:yaml.org,2002:js/undefined> ""',
    'summary: !foo bar',
    'details: !!binary aGVsbG8=',
    'base: &b {__proto__: {polluted: yes}, constructor: {prototype: {polluted: yes}}}\nextra:\n  <<: *b',
    `deep: ${'['.repeat(depth)}${']'.repeat(depth)}`,
    `deep: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`,
    'self: &s [*s]',
    'id: 1\nid: 2',
    `summary: ${'x'.repeat(HUGE_STRING_BYTES)}`,
    '%YAML 1.1\n---',
    '--- !!set\n? a\n? b',
  ];
  const fragment = pick(rand, fragments);
  return rand() < 0.5 ? `${fragment}\n${source}` : `${source}\n${fragment}\n`;
}

/** XML edits: external entities, entity expansion bombs, deep nesting, hostile element names. */
export function mutateXmlText(source: string, rand: Rand): string {
  const body = source.replace(/^\s*<\?xml[^>]*>\s*/, '').replace(/<!DOCTYPE[^>]*>/, '');
  const root = /<([A-Za-z_][\w:.-]*)/.exec(body)?.[1] ?? 'bom';
  const tags = [...body.matchAll(/<([A-Za-z_][\w:.-]*)[^>]*>([^<]*)<\/\1>/g)];
  const tag = tags.length > 0 ? pick(rand, tags) : undefined;
  const replaceTag = (replacement: string): string =>
    tag?.index === undefined ? body : `${body.slice(0, tag.index)}${replacement}${body.slice(tag.index + tag[0].length)}`;
  const laughs = Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');
  const depth = pick(rand, [500, 20_000]);
  switch (int(rand, 8)) {
    case 0:
      return `<?xml version="1.0"?><!DOCTYPE ${root} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${replaceTag(`<name>&xxe;</name>`)}`;
    case 1:
      return `<?xml version="1.0"?><!DOCTYPE ${root} [<!ENTITY l0 "lol">${laughs}]>${replaceTag(`<name>&l9;</name>`)}`;
    case 2:
      return `<?xml version="1.0"?><!DOCTYPE ${root} [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>${body}`;
    case 3:
      return replaceTag(`${'<components><component type="library">'.repeat(depth)}${'</component></components>'.repeat(depth)}`);
    case 4:
      return replaceTag(
        `<${pick(rand, ['__proto__', 'constructor', 'prototype'])} ${pick(rand, ['__proto__', 'constructor'])}="x"><polluted>yes</polluted></${'__proto__'}>`,
      );
    case 5:
      return tag === undefined ? body : replaceTag(`<${tag[1]}>${escapeXml(pick(rand, ODD_STRINGS))}</${tag[1]}>${tag[0]}`);
    case 6:
      return replaceTag(`<![CDATA[${'x'.repeat(HUGE_STRING_BYTES)}]]>`);
    default:
      return tag === undefined ? body : replaceTag(tag[0].repeat(2 + int(rand, 2_000)));
  }
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Line-based edits for CSV and SPDX tag-value: drop, repeat, swap and spoil lines and fields. */
export function mutateLines(source: string, rand: Rand, separator: RegExp): string {
  const lines = source.split(/\r?\n/);
  const at = int(rand, lines.length);
  const line = lines[at] ?? '';
  switch (int(rand, 7)) {
    case 0:
      lines.splice(at, 1);
      break;
    case 1:
      lines.splice(at, 0, ...Array.from({ length: 1 + int(rand, 5_000) }, () => line));
      break;
    case 2: {
      const fields = line.split(separator);
      fields[int(rand, fields.length)] = pick(rand, [...ODD_STRINGS, '"', '"a""b', '<text>', '</text>', 'x'.repeat(HUGE_STRING_BYTES)]);
      lines[at] = fields.join(line.match(separator)?.[0] ?? ',');
      break;
    }
    case 3:
      lines[at] = `${line}${separator.source === ',' ? ',extra,"x' : '\nNoAssertion: <text>'}`;
      break;
    case 4:
      lines.splice(at, 0, pick(rand, ['', '#', '\u0000', '\uFEFF' + line, line.toUpperCase(), line.replace(/\d/g, '9'.repeat(400))]));
      break;
    case 5:
      lines.splice(int(rand, lines.length), 0, lines.splice(at, 1)[0] ?? '');
      break;
    default:
      return lines.join(pick(rand, ['\r', '\r\n', '\n\n', '\u2028']));
  }
  return lines.join('\n');
}
