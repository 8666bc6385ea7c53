import type { Clock } from '../clock.js';

/**
 * Failed authentications per client address, in fixed windows, in this process's memory (like the request
 * rate limit): once an address has failed `limit` times in a window, its requests that carry credentials
 * are refused until the window ends, without the credentials being looked at, so that tokens cannot be
 * guessed at the rate the server answers. Successes do not reset the count: one valid token must not
 * buy unlimited guesses.
 */
export class AuthFailureLimiter {
  readonly #windows = new Map<string, { startsAt: number; failures: number }>();
  #lastSweep = 0;

  constructor(
    private readonly clock: Clock,
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Seconds until the address may try again, or null when it may try now. */
  retryAfterSeconds(address: string): number | null {
    const now = this.clock.now().getTime();
    const window = this.#windows.get(address);
    if (window === undefined || now - window.startsAt >= this.windowMs || window.failures < this.limit) return null;
    return Math.max(1, Math.ceil((window.startsAt + this.windowMs - now) / 1000));
  }

  recordFailure(address: string): void {
    const now = this.clock.now().getTime();
    this.#sweep(now);
    const window = this.#windows.get(address);
    if (window === undefined || now - window.startsAt >= this.windowMs) this.#windows.set(address, { startsAt: now, failures: 1 });
    else window.failures += 1;
  }

  /** Forgets ended windows now and then, so that addresses seen once do not accumulate. */
  #sweep(now: number): void {
    if (now - this.#lastSweep < this.windowMs) return;
    this.#lastSweep = now;
    for (const [address, window] of this.#windows) if (now - window.startsAt >= this.windowMs) this.#windows.delete(address);
  }
}
