import type { ModuleMatrix } from '../../../../test/access-matrix/fixture.js';

export const auditMatrix: ModuleMatrix = {
  module: 'audit',
  async seed() {},
  fixtures: [
    {
      route: 'GET /api/v1/audit',
      cases: (w) => [
        { label: 'newest', query: { limit: '500' } },
        { label: 'older', query: { limit: '500', until: w.t.clock.now().toISOString() } },
        { label: 'submissions', query: { limit: '500', action: 'intake.' } },
        { label: 'evidence', query: { limit: '500', action: 'validation.' } },
      ],
    },
  ],
};
