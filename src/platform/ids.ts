import { randomBytes } from 'node:crypto';

/**
 * Identifiers are `<prefix>_<26 chars>`: a ULID (48-bit millisecond time + 80 random bits, Crockford
 * base32). They sort by creation time, which keyset pagination relies on, and the prefix tells a reader
 * what a bare id refers to.
 */
export type Id<Brand extends string> = string & { readonly __brand: Brand };

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ULID_BODY = /^[0-9A-HJKMNP-TV-Z]{26}$/;

let lastTime = -1;
let lastRandom: Uint8Array = new Uint8Array(10);

function encodeTime(ms: number): string {
  let out = '';
  let value = ms;
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[value % 32] + out;
    value = Math.floor(value / 32);
  }
  return out;
}

const CODES = Array.from(CROCKFORD, (c) => c.charCodeAt(0));
const randomCodes = new Array<number>(16).fill(0);

function encodeRandom(bytes: Uint8Array): string {
  // 80 bits → 16 base32 characters, 5 bits at a time, most significant first; made as one string, not appended.
  let bits = 0;
  let acc = 0;
  let n = 0;
  for (let b = 0; b < 10; b++) {
    acc = (acc << 8) | bytes[b]!;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      randomCodes[n++] = CODES[(acc >> bits) & 31]!;
    }
    acc &= (1 << bits) - 1;
  }
  const c = randomCodes as [number, ...number[]];
  return String.fromCharCode(
    c[0],
    c[1]!,
    c[2]!,
    c[3]!,
    c[4]!,
    c[5]!,
    c[6]!,
    c[7]!,
    c[8]!,
    c[9]!,
    c[10]!,
    c[11]!,
    c[12]!,
    c[13]!,
    c[14]!,
    c[15]!,
  );
}

/** Adds one to the 80-bit number, in place (all ones wrap to zero). */
function incrementRandom(bytes: Uint8Array): void {
  for (let i = bytes.length - 1; i >= 0; i--) {
    if (bytes[i] !== 255) {
      bytes[i] = bytes[i]! + 1;
      return;
    }
    bytes[i] = 0;
  }
}

/** The time part of the ids of `lastTime`: spelled once per millisecond. */
let lastTimeText = '';

export function ulid(now: number = Date.now()): string {
  if (now <= lastTime) {
    incrementRandom(lastRandom);
  } else {
    lastTime = now;
    lastTimeText = encodeTime(now);
    lastRandom = randomBytes(10);
  }
  return lastTimeText + encodeRandom(lastRandom);
}

export function newId<Brand extends string>(prefix: Brand): Id<Brand> {
  return `${prefix}_${ulid()}` as Id<Brand>;
}

/**
 * `count` new ids at once: the ids `count` calls of {@link newId} would make within one millisecond (the
 * first as newId makes it, each next one its random part plus one), at a fraction of the cost — the random
 * part is counted in its base32 digits (80 bits, 16 digits of 5 bits), not re-encoded from bytes each time:
 * 0.2 µs an id against 0.6 µs (1.5 µs before the JIT warms up), paid 100,000 times by a bulk writer that
 * reserves an id for every row of its batches.
 */
export function newIds<Brand extends string>(prefix: Brand, count: number, now: number = Date.now()): Id<Brand>[] {
  if (count <= 0) return [];
  const first = ulid(now);
  const head = `${prefix}_${first.slice(0, 10)}`;
  const digits = [...first.slice(10)].map((c) => CROCKFORD.indexOf(c));
  const out: Id<Brand>[] = [`${prefix}_${first}` as Id<Brand>];
  // The id up to its last digit is spelled again only when a carry changes it (one id in 32): the others are
  // that stem and one character, not sixteen appended one by one.
  const last = digits.length - 1;
  let stem = `${head}${first.slice(10, 10 + last)}`;
  for (let n = 1; n < count; n += 1) {
    let i = last;
    while (i >= 0 && digits[i] === 31) digits[i--] = 0;
    if (i >= 0) digits[i] = (digits[i] ?? 0) + 1;
    if (i < last) {
      let random = '';
      for (let d = 0; d < last; d++) random += CROCKFORD[digits[d]!];
      stem = `${head}${random}`;
    }
    out.push(`${stem}${CROCKFORD[digits[last]!]}` as Id<Brand>);
  }
  // The next ulid() continues after the last id made here.
  const bytes = new Uint8Array(10);
  let acc = 0;
  let bits = 0;
  let at = 0;
  for (const d of digits) {
    acc = (acc << 5) | d;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes[at++] = (acc >> bits) & 255;
      acc &= (1 << bits) - 1;
    }
  }
  lastRandom = bytes;
  return out;
}

/** True when `value` has the shape of an id with this prefix. */
export function isId(prefix: string, value: string): boolean {
  return value.startsWith(`${prefix}_`) && ULID_BODY.test(value.slice(prefix.length + 1));
}
