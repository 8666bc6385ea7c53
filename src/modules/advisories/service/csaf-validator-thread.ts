import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { InvalidCsafError, type CsafProblem } from '../domain/csaf-validation.js';

const resolve = createRequire(import.meta.url).resolve;

// Plain CommonJS, evaluated, so that it runs the same from sources and from the build: it loads the validator
// library at once (compiling its schemas is seconds of CPU), then answers one document per message with the
// same tests as the domain's csafProblems: the strict schema and every mandatory test.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const schemaTests = require(workerData.schemaTests);
const mandatoryTests = require(workerData.mandatoryTests);
const validate = require(workerData.validate).default;
const tests = [schemaTests.csaf_2_0_strict, ...Object.values(mandatoryTests)];
parentPort.on('message', async ({ id, doc }) => {
  try {
    const result = await validate(tests, doc);
    const problems = result.tests.flatMap((t) =>
      t.isValid ? [] : t.errors.map((e) => ({ test: t.name, pointer: e.instancePath, message: e.message })),
    );
    parentPort.postMessage({ id, problems });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.stack ? error.stack : error) });
  }
});
`;

interface Pending {
  readonly resolve: (problems: CsafProblem[]) => void;
  readonly reject: (error: Error) => void;
}

let worker: Worker | undefined;
const pending = new Map<number, Pending>();
let nextId = 0;

function failAll(error: Error): void {
  worker = undefined;
  for (const p of pending.values()) p.reject(error);
  pending.clear();
}

function thread(): Worker {
  if (worker !== undefined) return worker;
  const started = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      schemaTests: resolve('@secvisogram/csaf-validator-lib/schemaTests.js'),
      mandatoryTests: resolve('@secvisogram/csaf-validator-lib/mandatoryTests.js'),
      validate: resolve('@secvisogram/csaf-validator-lib/validate.js'),
    },
  });
  started.on('message', (message: { id: number; problems?: CsafProblem[]; error?: string }) => {
    const waiting = pending.get(message.id);
    if (waiting === undefined) return;
    pending.delete(message.id);
    if (pending.size === 0) started.unref();
    if (message.error !== undefined) waiting.reject(new Error(`the CSAF validator failed: ${message.error}`));
    else waiting.resolve(message.problems ?? []);
  });
  started.on('error', (error) => failAll(error));
  started.on('exit', (code) => failAll(new Error(`the CSAF validator thread exited (code ${code})`)));
  // Idle, it never keeps the process alive: a CLI command ends when its work does.
  started.unref();
  worker = started;
  return started;
}

/**
 * Starts the CSAF validator's thread now, so that it has loaded the library by the time the first advisory
 * draft needs it (the server calls this once it listens). The loading happens beside the event loop, never on
 * it: requests are answered meanwhile. Idempotent.
 */
export function warmCsafValidator(): void {
  thread();
}

/** The problems the strict schema and the mandatory tests find in `doc` (none for a valid document), off the main thread. */
export function csafProblemsInThread(doc: unknown): Promise<CsafProblem[]> {
  const w = thread();
  const id = nextId++;
  return new Promise<CsafProblem[]>((resolveProblems, reject) => {
    pending.set(id, { resolve: resolveProblems, reject });
    // Held while a document is being checked, so that the process waits for the answer.
    w.ref();
    w.postMessage({ id, doc });
  });
}

/** @throws InvalidCsafError naming the failed tests. */
export async function assertValidCsafInThread(doc: unknown): Promise<void> {
  const problems = await csafProblemsInThread(doc);
  if (problems.length > 0) throw new InvalidCsafError(problems);
}
