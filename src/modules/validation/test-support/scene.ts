import type { TestRuntime, TestUser } from '#test-support/runtime.js';
import { NATIVE_FINDINGS_SCHEMA, submitDocument } from '../../intake/index.js';

let counter = 0;

/** A native finding distinct from every other one made here (its own path and function), with overrides. */
export function distinctFinding(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    title: `Command injection number ${counter}`,
    description: 'A request parameter reaches a shell command unescaped.',
    target: { purl: 'pkg:pypi/shopfront@2.3.1' },
    cwe: ['CWE-78'],
    location: { path: `shopfront/module_${counter}.py`, function: `handler_${counter}` },
    ...overrides,
  };
}

const DEFAULT_PROVENANCE = { tool: { name: 'deepscan', version: '1.4.0' }, aiGenerated: true };

/** A native findings document, as bytes. */
export function findingsDocument(findings: Record<string, unknown>[], provenance: Record<string, unknown> = DEFAULT_PROVENANCE): Buffer {
  return Buffer.from(JSON.stringify({ schema: NATIVE_FINDINGS_SCHEMA.properties.schema.const, provenance, findings }));
}

export interface SubmitOptions {
  /** Shared with these organisations (TLP:AMBER), so that their validators see the cluster. */
  readonly shareWith?: readonly string[];
  readonly provenance?: Record<string, unknown>;
}

/**
 * Submits findings as `who` and delivers the resulting events (the triage consumer), answering the
 * cluster id of each finding in order.
 */
export async function report(
  t: TestRuntime,
  who: TestUser,
  findings: Record<string, unknown>[],
  options: SubmitOptions = {},
): Promise<string[]> {
  const answer = await submitDocument(t.as(who), {
    bytes: findingsDocument(findings, options.provenance),
    tlp: 'AMBER',
    recipients: { orgIds: [...(options.shareWith ?? [])] },
  });
  await t.runtime.jobs.drain();
  return answer.findings.map((f) => f.clusterId);
}

/** An attempt that reproduced on the affected build and not on the fixed one. */
export function reproduced(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    artifact: 'pkg:pypi/shopfront',
    affectedBuild: '2.3.1',
    fixedBuild: '2.3.2',
    environment: 'sandbox: Python 3.12',
    reproducedOnAffected: true,
    reproducedOnFixed: false,
    ...overrides,
  };
}

export function notReproduced(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    artifact: 'pkg:pypi/shopfront',
    affectedBuild: '2.3.1',
    environment: 'sandbox: Python 3.12',
    reproducedOnAffected: false,
    ...overrides,
  };
}

/** The code of a rejected promise's error (`illegal-transition`, `not-found`…). */
export async function errorOf(promise: Promise<unknown>): Promise<{ code: string; message: string; name: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code?: string; message: string; name: string };
    return { code: e.code ?? '', message: e.message, name: e.name };
  }
  throw new Error('expected the call to fail');
}
