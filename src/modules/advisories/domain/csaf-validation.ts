import { weaknesses } from '@secvisogram/csaf-validator-lib/cwe.js';
import * as mandatoryTests from '@secvisogram/csaf-validator-lib/mandatoryTests.js';
import { csaf_2_0_strict } from '@secvisogram/csaf-validator-lib/schemaTests.js';
import validateStrict from '@secvisogram/csaf-validator-lib/validateStrict.js';

/**
 * Every document we generate passes the CSAF 2.0 schema in its strict form (no unknown member) and every
 * mandatory test of §6.1, run by `@secvisogram/csaf-validator-lib`'s `validateStrict` (DESIGN §7). A document
 * that fails is never stored or served: the failure is a bug here, reported with the test and the pointer.
 */

export interface CsafProblem {
  /** `csaf_2_0_strict`, `mandatoryTest_6_1_11`… */
  readonly test: string;
  readonly pointer: string;
  readonly message: string;
}

const TESTS = [csaf_2_0_strict, ...Object.values(mandatoryTests)];

/** The problems the schema and the mandatory tests find; none for a valid document. */
export async function csafProblems(doc: unknown): Promise<CsafProblem[]> {
  const result = await validateStrict(TESTS, doc);
  return result.tests.flatMap((t) =>
    t.isValid ? [] : t.errors.map((e) => ({ test: t.name, pointer: e.instancePath, message: e.message })),
  );
}

/** Thrown when a generated document is not valid CSAF: a defect of the generator, never of user input. */
export class InvalidCsafError extends Error {
  constructor(readonly problems: readonly CsafProblem[]) {
    super(
      `generated CSAF is invalid: ${problems
        .slice(0, 5)
        .map((p) => `${p.test} ${p.pointer} ${p.message}`)
        .join('; ')}`,
    );
    this.name = 'InvalidCsafError';
  }
}

/** @throws InvalidCsafError naming the failed tests. */
export async function assertValidCsaf(doc: unknown): Promise<void> {
  const problems = await csafProblems(doc);
  if (problems.length > 0) throw new InvalidCsafError(problems);
}

const CWE_NAMES = new Map(weaknesses.map((w) => [w.id, w.name]));

/** The CWE's name as the CSAF validator knows it (§6.1.11 requires the exact name), or null. */
export function cweName(id: string): string | null {
  return CWE_NAMES.get(id) ?? null;
}
