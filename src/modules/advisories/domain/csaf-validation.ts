import type * as Cwe from '@secvisogram/csaf-validator-lib/cwe.js';
import type * as MandatoryTests from '@secvisogram/csaf-validator-lib/mandatoryTests.js';
import type * as SchemaTests from '@secvisogram/csaf-validator-lib/schemaTests.js';
import type * as Validate from '@secvisogram/csaf-validator-lib/validate.js';
import { lazyPackage } from '../../../platform/lazy-package.js';

// Loaded on first use: the library compiles some forty schemas as it is imported, seconds of CPU that every
// command opening the database would otherwise pay (the composition root loads this module).
const cwe = lazyPackage<typeof Cwe>('@secvisogram/csaf-validator-lib/cwe.js');
const mandatoryTests = lazyPackage<typeof MandatoryTests>('@secvisogram/csaf-validator-lib/mandatoryTests.js');
const schemaTests = lazyPackage<typeof SchemaTests>('@secvisogram/csaf-validator-lib/schemaTests.js');
// `validate.js`, not `validateStrict.js`: the strict entry point only refuses test functions that are not the
// library's own, and to know them it imports the optional and informative tests we never run — four fifths of
// the first validation's time (10 s against 55 s, measured in one run on a loaded machine). We pass the
// library's own tests only, so the result is the same.
const validate = lazyPackage<typeof Validate>('@secvisogram/csaf-validator-lib/validate.js');

/**
 * Every document we generate passes the CSAF 2.0 schema in its strict form (no unknown member) and every
 * mandatory test of §6.1, run by `@secvisogram/csaf-validator-lib` (DESIGN §7). A document
 * that fails is never stored or served: the failure is a bug here, reported with the test and the pointer.
 */

export interface CsafProblem {
  /** `csaf_2_0_strict`, `mandatoryTest_6_1_11`… */
  readonly test: string;
  readonly pointer: string;
  readonly message: string;
}

let tests: unknown[] | undefined;
const TESTS = () => (tests ??= [schemaTests().csaf_2_0_strict, ...Object.values(mandatoryTests())]);

/** The problems the schema and the mandatory tests find; none for a valid document. */
export async function csafProblems(doc: unknown): Promise<CsafProblem[]> {
  const result = await validate().default(TESTS() as never, doc);
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

let cweNames: Map<string, string> | undefined;

/** The CWE's name as the CSAF validator knows it (§6.1.11 requires the exact name), or null. */
export function cweName(id: string): string | null {
  cweNames ??= new Map(cwe().weaknesses.map((w) => [w.id, w.name]));
  return cweNames.get(id) ?? null;
}
