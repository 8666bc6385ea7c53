import { createRequire } from 'node:module';
import { expect, it } from 'vitest';
import { caseSource } from '../test-support/sources.js';
import { csafDocument } from './csaf-document.js';
import { csafProblems } from './csaf-validation.js';

const OPTIONAL_ENTRIES = /csaf-validator-lib\/(validateStrict|optionalTests|informativeTests|full|extended)\.js$/;

// The library's strict entry point imports its optional and informative tests only to recognise them; they made
// most of the first validation's time (the first CSAF draft waited for them). Schema and mandatory tests only.
it('validates with the strict schema and the mandatory tests, loading none of the optional or informative ones', async () => {
  const valid = csafDocument(caseSource());
  expect(await csafProblems(valid)).toEqual([]);
  // A member the strict schema does not know.
  const unknownMember = { ...valid, extra: true };
  expect((await csafProblems(unknownMember)).map((p) => p.test)).toContain('csaf_2_0_strict');
  const loaded = Object.keys(createRequire(import.meta.url).cache);
  expect(loaded.filter((k) => k.includes('csaf-validator-lib/'))).not.toEqual([]);
  expect(loaded.filter((k) => OPTIONAL_ENTRIES.test(k))).toEqual([]);
});
