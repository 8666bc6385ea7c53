import { NATIVE_SCHEMA_MARKER } from '../domain/index.js';

/** A native finding for tests, with sensible defaults; override any field. */
export function nativeFinding(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'SQL injection in the order search',
    description: 'The order search builds a query from the `q` parameter without binding it.',
    target: { purl: 'pkg:pypi/shopfront@2.3.1' },
    cwe: ['CWE-89'],
    location: { path: 'shopfront/orders/search.py', function: 'search_orders', startLine: 42 },
    ...overrides,
  };
}

/** A native document of findings, as bytes. */
export function nativeDocument(
  findings: Record<string, unknown>[],
  provenance: Record<string, unknown> = { tool: { name: 'deepscan', version: '1.4.0' }, aiGenerated: true },
): Buffer {
  return Buffer.from(JSON.stringify({ schema: NATIVE_SCHEMA_MARKER, provenance, findings }));
}

/** A minimal OSV record as bytes; `extra` overrides or adds top-level fields. */
export function osvRecord(
  id: string,
  aliases: string[],
  pkg = { ecosystem: 'PyPI', name: 'shopfront' },
  extra: Record<string, unknown> = {},
): Buffer {
  return Buffer.from(
    JSON.stringify({
      schema_version: '1.6.0',
      id,
      modified: '2026-05-01T00:00:00Z',
      published: '2026-05-01T00:00:00Z',
      aliases,
      summary: `Advisory ${id}`,
      affected: [{ package: pkg, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.3.2' }] }] }],
      ...extra,
    }),
  );
}
