import type { TestRuntime, TestUser } from '#test-support/runtime.js';
import type { Tlp } from '../../../platform/tlp.js';
import type { RecipientInput } from '../../identity/index.js';
import { NATIVE_FINDINGS_SCHEMA, recordClusterState, submitDocument } from '../../intake/index.js';

let counter = 0;

/** A native findings document, as bytes. */
export function findingsDocument(findings: readonly Record<string, unknown>[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      schema: NATIVE_FINDINGS_SCHEMA.properties.schema.const,
      provenance: { tool: { name: 'deepscan', version: '1.4.0' }, aiGenerated: false },
      findings,
    }),
  );
}

/** A native finding about `purl`, distinct from every other one made here (its own path and function). */
export function distinctFinding(purl: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    title: `Path traversal number ${counter}`,
    description: 'A file name from the request is joined to the upload directory unchecked.',
    target: { purl },
    cwe: ['CWE-22'],
    location: { path: `lib/upload_${counter}.js`, function: `store_${counter}` },
    ...overrides,
  };
}

/**
 * A cluster reported by `reporter` (native findings about `purl`, with `aliases`) and accepted for
 * coordination. The state is recorded as validation would record it at quorum: the cases module's tests
 * start where validation ends.
 */
export async function acceptedCluster(
  t: TestRuntime,
  reporter: TestUser,
  options: { purl?: string; aliases?: string[]; title?: string; tlp?: Tlp; recipients?: RecipientInput } = {},
): Promise<string> {
  const finding = distinctFinding(options.purl ?? 'pkg:npm/%40acme/uploader@1.2.3', {
    ...(options.title === undefined ? {} : { title: options.title }),
    ...(options.aliases === undefined ? {} : { aliases: options.aliases }),
  });
  const answer = await submitDocument(t.as(reporter), {
    bytes: findingsDocument([finding]),
    tlp: options.tlp ?? 'AMBER',
    recipients: options.recipients ?? {},
  });
  await t.runtime.jobs.drain();
  const clusterId = answer.findings[0]!.clusterId;
  await recordClusterState(t.runtime.db.kysely, clusterId, 'accepted', t.clock.now().toISOString());
  return clusterId;
}
