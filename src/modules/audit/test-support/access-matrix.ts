import type { ModuleMatrix } from '../../../../test/access-matrix/fixture.js';

export const auditMatrix: ModuleMatrix = {
  module: 'audit',
  async seed() {},
  fixtures: [
    // Verification reads the whole chain and answers only counts and hashes: coordinator admins only.
    { route: 'POST /api/v1/audit/verify', cases: () => [{ label: 'the whole chain', body: {} }] },
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
