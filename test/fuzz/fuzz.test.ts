import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedData } from '#test-support/shared-data.js';
import { fuzzTarget, type FuzzResult } from './runner.js';
import { TARGETS } from './targets.js';

/**
 * A short fixed-seed run of the parser fuzzer (`npm run fuzz` runs it for as long as asked): every parser,
 * a few dozen mutated inputs each, and every one of them must be read or refused with the product's own
 * input error — no TypeError, no blown stack, no polluted prototype. The same seed gives the same inputs,
 * so a failure here is a case that fails again.
 */

const SEED = 20260602;
const INPUTS_PER_PARSER = 30;

/** What a failure looks like in the test output: the signature and the start of the input. */
function failuresOf(result: FuzzResult): string[] {
  return result.failures.map(
    (f) => `${f.kind}: ${f.signature}\n  input: ${JSON.stringify(new TextDecoder().decode(f.input.subarray(0, 300)))}`,
  );
}

describe('parser fuzzing, fixed seed', () => {
  for (const target of TARGETS) {
    const absent = target.corpus !== null && !hasSharedData(target.corpus);
    if (absent)
      console.warn(`skipping fuzzing of ${target.name}: ${sharedData(target.corpus ?? '')} is absent (see ../shared/data/README.md)`);
    it.skipIf(absent)(`${target.name}: every mutated input is read or refused cleanly`, () => {
      const result = fuzzTarget(target, { seed: SEED, maxInputs: INPUTS_PER_PARSER, keepPerSignature: 1 });
      expect(result.seeds).toBeGreaterThan(0);
      expect(result.inputs).toBe(INPUTS_PER_PARSER);
      expect(failuresOf(result)).toEqual([]);
      // The run must reach both outcomes, or the mutations are not exercising the parser.
      expect(result.refused).toBeGreaterThan(0);
    });
  }
});
