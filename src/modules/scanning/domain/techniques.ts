/**
 * Scanning techniques and which of them touch a live system. Reading code (`source_review`, `sast`) never
 * does; `dynamic`, `network` and `fuzzing` do when pointed at a live network target, and run in the
 * scanner's own lab when pointed at software (a package, repository or product the scanner runs itself).
 */
export const TECHNIQUES = ['source_review', 'sast', 'fuzzing', 'dynamic', 'network'] as const;
export type Technique = (typeof TECHNIQUES)[number];

export function isTechnique(value: unknown): value is Technique {
  return typeof value === 'string' && (TECHNIQUES as readonly string[]).includes(value);
}

/** Techniques that send traffic to what they scan. */
export const LIVE_TECHNIQUES: readonly Technique[] = ['fuzzing', 'dynamic', 'network'];

/** Techniques that only read code; they make no sense against an address. */
export const CODE_TECHNIQUES: readonly Technique[] = ['source_review', 'sast'];

export type TargetClass = 'software' | 'network';

/**
 * Whether a technique against a target of this class is active scanning (the operator's policy applies),
 * or why the pair makes no sense.
 */
export function techniqueActivity(
  technique: Technique,
  targetClass: TargetClass,
): { readonly active: boolean } | { readonly invalid: string } {
  if (targetClass === 'network') {
    if (CODE_TECHNIQUES.includes(technique))
      return { invalid: `${technique} reads code; it needs a software target (purl, repository or CPE), not a network target` };
    return { active: true };
  }
  if (technique === 'network') return { invalid: 'network scanning needs a network target (CIDR or host name)' };
  return { active: false };
}

/** Requests per second and parallel connections an active campaign may use. */
export interface Intensity {
  readonly requestsPerSecond: number;
  readonly concurrency: number;
}

/** Whether `asked` stays within `allowed`, or the first limit it exceeds, for messages. */
export function intensityWithin(asked: Intensity, allowed: Intensity): string | null {
  if (asked.requestsPerSecond > allowed.requestsPerSecond) {
    return `${asked.requestsPerSecond} requests per second exceeds the ${allowed.requestsPerSecond} allowed`;
  }
  if (asked.concurrency > allowed.concurrency) return `concurrency ${asked.concurrency} exceeds the ${allowed.concurrency} allowed`;
  return null;
}
