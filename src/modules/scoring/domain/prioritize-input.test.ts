import { describe, expect, it } from 'vitest';
import { parsePrioritizeInput } from './prioritize-input.js';
import { issuesOf } from '#test-support/rejection.js';

describe('parsePrioritizeInput', () => {
  it('accepts a full input and sorts and dedupes the CVE ids', () => {
    const parsed = parsePrioritizeInput({
      subjectId: 'clu_1',
      cveIds: ['CVE-2024-0002', 'CVE-2021-44228', 'CVE-2024-0002'],
      publicExploitReferences: ['https://example.org/poc'],
      validation: {
        validator: 'org_v',
        assessedAt: '2026-06-01T00:00:00Z',
        automatable: 'yes',
        technicalImpact: null,
        activeExploitation: false,
      },
      exposure: [{ operatorId: 'org_o', assetId: 'ast_1', sector: 'energy', criticality: 'high', internetFacing: true }],
    });
    expect(parsed.cveIds).toEqual(['CVE-2021-44228', 'CVE-2024-0002']);
  });

  it('names each offending field', () => {
    expect(
      issuesOf(() =>
        parsePrioritizeInput(
          {
            subjectId: '',
            cveIds: ['cve-1'],
            exposure: [{ operatorId: 'o', assetId: 'a', sector: null, criticality: 'extreme', internetFacing: false }],
          },
          '/3',
        ),
      ).map((i) => i.pointer),
    ).toEqual(expect.arrayContaining(['/3/subjectId', '/3/cveIds/0', '/3/exposure/0/criticality']));
  });
});
