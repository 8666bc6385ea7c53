import { performance } from 'node:perf_hooks';
import { InputError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../../src/platform/errors.js';
import { int, seededRandom } from './mutators.js';
import { mutate, type FuzzTarget } from './targets.js';

/**
 * The oracle: each input ends in a return or in one of the product's input errors (what the routes answer
 * with 4xx problem+json and the CLI with exit 2). Anything else — a TypeError, a RangeError from a blown
 * stack, a polluted Object.prototype — is a failure, kept with its input. Inputs slower than a second are
 * reported, not failed: time on a shared machine is no oracle.
 */

export const SLOW_MS = 1_000;

export interface Failure {
  readonly kind: 'crash' | 'prototype';
  /** The error's name, message and first frame: equal signatures are one defect. */
  readonly signature: string;
  readonly input: Uint8Array;
}

export interface SlowInput {
  readonly ms: number;
  readonly input: Uint8Array;
}

export interface FuzzResult {
  readonly parser: string;
  readonly seeds: number;
  readonly inputs: number;
  readonly accepted: number;
  readonly refused: number;
  readonly failures: readonly Failure[];
  /** Distinct failure signatures and how often each came. */
  readonly signatures: Readonly<Record<string, number>>;
  readonly slow: readonly SlowInput[];
  readonly maxMs: number;
  readonly elapsedMs: number;
}

export interface FuzzOptions {
  readonly seed: number;
  /** Stop after this many inputs… */
  readonly maxInputs?: number;
  /** …or after this long, whichever comes first. */
  readonly durationMs?: number;
  /** Inputs kept per signature (the rest only counted). */
  readonly keepPerSignature?: number;
}

const EXPECTED = [InputError, PayloadTooLargeError, UnsupportedMediaTypeError];

const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype];
const baseline = PROTOTYPES.map((p) => new Set(Reflect.ownKeys(p)));

/** Keys added to a built-in prototype since load; removes them so the run goes on clean. */
export function prototypePollution(): string[] {
  const added: string[] = [];
  PROTOTYPES.forEach((proto, i) => {
    for (const key of Reflect.ownKeys(proto)) {
      if (baseline[i]?.has(key)) continue;
      added.push(String(key));
      delete (proto as Record<PropertyKey, unknown>)[key];
    }
  });
  return added;
}

export function signatureOf(error: unknown): string {
  if (!(error instanceof Error)) return `non-error thrown: ${String(error).slice(0, 80)}`;
  const frame = (error.stack ?? '').split('\n').find((l) => l.includes('/src/') || l.includes('node_modules')) ?? '';
  const where = frame
    .trim()
    .replace(/^at /, '')
    .replace(/\(?file:\/\/\S*?\/((?:src|node_modules)\/[^:)]+)(:\d+)?:\d+\)?/, '$1$2');
  return `${error.name}: ${error.message.slice(0, 120).replace(/\s+/g, ' ')} @ ${where}`;
}

/** Runs one input through the target; `null` when it ended as the oracle allows. */
export function judge(target: FuzzTarget, input: Uint8Array): { outcome: 'accepted' | 'refused'; failure: Failure | null; ms: number } {
  const started = performance.now();
  let outcome: 'accepted' | 'refused' = 'accepted';
  let failure: Failure | null = null;
  try {
    target.run(input);
  } catch (error) {
    if (EXPECTED.some((type) => error instanceof type)) outcome = 'refused';
    else failure = { kind: 'crash', signature: signatureOf(error), input };
  }
  const ms = performance.now() - started;
  const polluted = prototypePollution();
  if (polluted.length > 0) failure = { kind: 'prototype', signature: `prototype polluted with ${polluted.join(', ')}`, input };
  return { outcome, failure, ms };
}

/** Fuzzes one parser from its seeds; deterministic for a given seed and input count. */
export function fuzzTarget(target: FuzzTarget, options: FuzzOptions): FuzzResult {
  const seeds = target.seeds();
  const rand = seededRandom(options.seed);
  const keep = options.keepPerSignature ?? 3;
  const maxInputs = options.maxInputs ?? Number.POSITIVE_INFINITY;
  // The first document read whole compiles the format's schemas (seconds for CSAF); that is start-up, not an
  // input's time. Some seeds are refused before any schema is loaded, so warm up until one is read.
  for (const seed of seeds.slice(0, 20)) if (judge(target, seed).outcome === 'accepted') break;
  const started = performance.now();
  const deadline = started + (options.durationMs ?? Number.POSITIVE_INFINITY);
  const failures: Failure[] = [];
  const signatures: Record<string, number> = {};
  const slow: SlowInput[] = [];
  let inputs = 0;
  let accepted = 0;
  let maxMs = 0;
  while (seeds.length > 0 && inputs < maxInputs && performance.now() < deadline) {
    const seed = seeds[int(rand, seeds.length)] as Uint8Array;
    // The seed itself now and then: the unmutated corpus must pass too.
    const input = inputs % 50 === 0 ? seed : mutate(target, seed, rand);
    const result = judge(target, input);
    inputs += 1;
    if (result.outcome === 'accepted' && result.failure === null) accepted += 1;
    maxMs = Math.max(maxMs, result.ms);
    if (result.ms > SLOW_MS && slow.length < 20) slow.push({ ms: Math.round(result.ms), input });
    if (result.failure !== null) {
      const count = (signatures[result.failure.signature] ?? 0) + 1;
      signatures[result.failure.signature] = count;
      if (count <= keep) failures.push(result.failure);
    }
  }
  const failed = Object.values(signatures).reduce((a, b) => a + b, 0);
  return {
    parser: target.name,
    seeds: seeds.length,
    inputs,
    accepted,
    refused: inputs - accepted - failed,
    failures,
    signatures,
    slow,
    maxMs: Math.round(maxMs),
    elapsedMs: Math.round(performance.now() - started),
  };
}

/**
 * A smaller input failing with the same signature: cuts chunks out while the failure stays, a bounded
 * number of tries, so a regression test can carry the input.
 */
export function minimize(target: FuzzTarget, failure: Failure, maxTries = 400): Uint8Array {
  let best = failure.input;
  let tries = 0;
  const same = (candidate: Uint8Array): boolean => judge(target, candidate).failure?.signature === failure.signature;
  for (let chunk = Math.floor(best.length / 2); chunk >= 1 && tries < maxTries; chunk = Math.floor(chunk / 2)) {
    for (let at = 0; at < best.length && tries < maxTries;) {
      const candidate = new Uint8Array(best.length - Math.min(chunk, best.length - at));
      candidate.set(best.subarray(0, at));
      candidate.set(best.subarray(at + chunk), at);
      tries += 1;
      if (same(candidate)) best = candidate;
      else at += chunk;
    }
  }
  return best;
}
