/**
 * MinHash signatures: a fixed-size summary of a set whose positions agree, between two sets, about as often
 * as the sets overlap (Jaccard similarity). Pure and deterministic: the same seed gives the same signatures in
 * every process, so signatures may be stored and compared later.
 */

export const MINHASH_SEED = 0x2026_0602;
export const MINHASH_SIZE = 64;

/** FNV-1a over UTF-16 code units: a fast, well-spread 32-bit string hash. */
function fnv1a(value: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** MurmurHash3's finalizer: turns `base ^ seed` into an independent-looking hash per seed. */
function mix(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const seedCache = new Map<string, Uint32Array>();

/** `size` seeds drawn from xorshift32 started at `seed`. */
function seeds(size: number, seed: number): Uint32Array {
  const key = `${size}:${seed}`;
  const cached = seedCache.get(key);
  if (cached) return cached;
  const out = new Uint32Array(size);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out[i] = state;
  }
  seedCache.set(key, out);
  return out;
}

/** The signature of a set of strings; an empty set gives all `0xffffffff`, which matches nothing (see {@link estimateJaccard}). */
export function minHashSignature(items: Iterable<string>, size: number = MINHASH_SIZE, seed: number = MINHASH_SEED): Uint32Array {
  const s = seeds(size, seed);
  const signature = new Uint32Array(size).fill(0xffffffff);
  for (const item of items) {
    const base = fnv1a(item);
    for (let i = 0; i < size; i++) {
      const h = mix(base ^ (s[i] as number));
      if (h < (signature[i] as number)) signature[i] = h;
    }
  }
  return signature;
}

/**
 * The fraction of positions where two signatures agree: an estimate of the Jaccard similarity of their sets.
 * Two empty sets are 0, not 1 — having no words in common is no evidence of sameness.
 */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let equal = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i] && a[i] !== 0xffffffff) equal++;
  return equal / a.length;
}
