import { InputError } from '../../src/platform/errors.js';

/** The InputError that `run` throws; fails the test when it returns or throws something else. */
export function rejection(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('the input was accepted');
}

/** The field issues of the InputError that `run` throws. */
export function issuesOf(run: () => unknown): InputError['issues'] {
  return rejection(run).issues;
}
