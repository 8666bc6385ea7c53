/**
 * A vendor's CSAF VEX document: ACME's Widget 2.4.0 (pkg:npm/%40acme/widget@2.4.0) is not affected by
 * CVE-2026-4242, the vulnerable code not being in its execute path.
 */
export function vendorCsafVex(): Record<string, unknown> {
  return {
    document: {
      category: 'csaf_vex',
      csaf_version: '2.0',
      publisher: { category: 'vendor', name: 'ACME PSIRT', namespace: 'https://acme.example' },
      title: 'ACME Widget is not affected by CVE-2026-4242',
      tracking: {
        current_release_date: '2026-06-01T00:00:00.000Z',
        id: 'ACME-VEX-2026-001',
        initial_release_date: '2026-06-01T00:00:00.000Z',
        revision_history: [{ date: '2026-06-01T00:00:00.000Z', number: '1', summary: 'Initial version.' }],
        status: 'final',
        version: '1',
      },
    },
    product_tree: {
      branches: [
        {
          category: 'vendor',
          name: 'ACME',
          branches: [
            {
              category: 'product_name',
              name: 'Widget',
              branches: [
                {
                  category: 'product_version',
                  name: '2.4.0',
                  product: {
                    name: 'ACME Widget 2.4.0',
                    product_id: 'W-240',
                    product_identification_helper: { purl: 'pkg:npm/%40acme/widget@2.4.0' },
                  },
                },
              ],
            },
          ],
        },
      ],
    },
    vulnerabilities: [
      {
        cve: 'CVE-2026-4242',
        notes: [{ category: 'description', text: 'Path traversal in archive extraction.' }],
        product_status: { known_not_affected: ['W-240'] },
        flags: [{ label: 'vulnerable_code_not_in_execute_path', product_ids: ['W-240'] }],
      },
    ],
  };
}
