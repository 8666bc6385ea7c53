import { createRequire } from 'node:module';
import { expect, it } from 'vitest';
import { caseSource } from '../test-support/sources.js';
import { csafDocument } from '../domain/csaf-document.js';
import { csafProblemsInThread, warmCsafValidator } from './csaf-validator-thread.js';

const VALIDATOR_ENTRIES = /csaf-validator-lib\/(validate|validateStrict|schemaTests|mandatoryTests)\.js$/;

// The server warms the validator as it starts: compiling its schemas takes seconds, and in the main thread it
// would hold every request (the first CSAF draft waited for it). It loads and runs in a thread of its own.
it('checks CSAF in its own thread: the event loop turns while it loads, and the main thread never loads it', async () => {
  let turns = 0;
  let turning = true;
  const turn = () => {
    turns++;
    if (turning) setImmediate(turn);
  };
  warmCsafValidator();
  setImmediate(turn);
  const valid = csafDocument(caseSource());
  const problems = await csafProblemsInThread(valid);
  turning = false;
  expect(problems).toEqual([]);
  // Loading the library takes far longer than one turn of the loop; in this thread it would have taken none.
  expect(turns).toBeGreaterThan(100);
  expect((await csafProblemsInThread({ ...valid, extra: true })).map((p) => p.test)).toContain('csaf_2_0_strict');
  const loaded = Object.keys(createRequire(import.meta.url).cache);
  expect(loaded.filter((k) => VALIDATOR_ENTRIES.test(k))).toEqual([]);
});
