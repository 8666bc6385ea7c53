import type { TestRuntime, TestUser } from '../../../../test/support/runtime.js';
import { NATIVE_FINDINGS_SCHEMA, recordClusterState, submitDocument } from '../../intake/index.js';

let counter = 0;

/**
 * A cluster reported by `reporter` (native findings about `purl`, with `aliases`) and accepted for
 * coordination. The state is recorded as validation would record it at quorum: the cases module's tests
 * start where validation ends.
 */
export async function acceptedCluster(
  t: TestRuntime,
  reporter: TestUser,
  options: { purl?: string; aliases?: string[]; title?: string } = {},
): Promise<string> {
  counter += 1;
  const finding = {
    title: options.title ?? `Path traversal number ${counter}`,
    description: 'A file name from the request is joined to the upload directory unchecked.',
    target: { purl: options.purl ?? 'pkg:npm/%40acme/uploader@1.2.3' },
    cwe: ['CWE-22'],
    location: { path: `lib/upload_${counter}.js`, function: `store_${counter}` },
    ...(options.aliases === undefined ? {} : { aliases: options.aliases }),
  };
  const bytes = Buffer.from(
    JSON.stringify({
      schema: NATIVE_FINDINGS_SCHEMA.properties.schema.const,
      provenance: { tool: { name: 'deepscan', version: '1.4.0' }, aiGenerated: false },
      findings: [finding],
    }),
  );
  const answer = await submitDocument(t.as(reporter), { bytes, tlp: 'AMBER', recipients: {} });
  await t.runtime.jobs.drain();
  const clusterId = answer.findings[0]!.clusterId;
  await recordClusterState(t.runtime.db.kysely, clusterId, 'accepted', t.clock.now().toISOString());
  return clusterId;
}
