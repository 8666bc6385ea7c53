import type * as Argon2 from '@node-rs/argon2';
import { lazyPackage } from '../../../platform/lazy-package.js';

/**
 * Argon2id through `@node-rs/argon2` (prebuilt native binaries published as optional packages of the
 * registry, so nothing is downloaded or compiled at install; Argon2id is its default algorithm). Loaded on
 * first use: only sign-in and setting a password pay for it.
 */
const argon2 = lazyPackage<typeof Argon2>('@node-rs/argon2');

/** OWASP's Argon2id minimum: 19 MiB of memory, 2 passes, 1 lane (about 0.15 s here). */
const PARAMETERS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** A hash of a password nobody has, verified against when the e-mail is unknown, so both take as long. */
let decoy: Promise<string> | undefined;

export function hashPassword(password: string): Promise<string> {
  return argon2().hash(password, PARAMETERS);
}

/** Whether `password` matches `hash`; with no hash, spends the same time and answers false. */
export async function verifyPassword(hash: string | undefined, password: string): Promise<boolean> {
  if (hash === undefined) {
    decoy ??= hashPassword('no user has this password: it only makes an unknown e-mail cost a verification');
    await argon2().verify(await decoy, password);
    return false;
  }
  return argon2().verify(hash, password);
}
