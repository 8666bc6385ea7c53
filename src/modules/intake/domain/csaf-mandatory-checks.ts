import type * as MandatoryTests from '@secvisogram/csaf-validator-lib/mandatoryTests.js';
import type { FieldIssue } from '../../../platform/errors.js';
import { lazyPackage } from '../../../platform/lazy-package.js';

const mandatoryTests = lazyPackage<typeof MandatoryTests>('@secvisogram/csaf-validator-lib/mandatoryTests.js');

/**
 * The mandatory tests of CSAF 2.0 §6.1, run after the schema. They report as warnings, not rejections:
 * real advisories break the document-metadata ones (Red Hat's RHSA-2003:315 orders its revision history
 * wrongly, §6.1.14 and §6.1.21) while their vulnerability content is sound, and refusing such a document would
 * lose a real advisory. Each warning names the test, e.g. `CSAF 6.1.14: the items must be in ascending order`.
 */
export function csafMandatoryWarnings(doc: unknown): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const [name, test] of Object.entries(mandatoryTests())) {
    const id = name.replace(/^mandatoryTest_/, '').replace(/_/g, '.');
    let result: ReturnType<typeof test>;
    try {
      result = test(doc);
    } catch {
      // A crash inside a third-party check on a schema-valid document must not cost the submission.
      out.push({ pointer: '', detail: `CSAF ${id}: the check could not run on this document` });
      continue;
    }
    // Every test is synchronous today; one that turns asynchronous would be skipped here, not awaited.
    if (result instanceof Promise || result.isValid !== false) continue;
    for (const error of result.errors ?? []) out.push({ pointer: error.instancePath, detail: `CSAF ${id}: ${error.message}` });
  }
  return out;
}
