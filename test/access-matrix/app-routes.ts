import { inventoryWorld } from '../../src/modules/inventory/test-support/access-matrix.js';
import type { ModuleMatrix } from './fixture.js';
import { anyOf, coordinatorStaff, membersOf } from './world.js';

/** The composition root's own routes: health probes, and the background work (jobs status). */
export const appMatrix: ModuleMatrix = {
  module: 'app',
  async seed() {},
  fixtures: [
    { route: 'GET /healthz', cases: () => [{ label: 'health' }] },
    { route: 'GET /readyz', cases: () => [{ label: 'readiness' }] },
    {
      route: 'GET /api/v1/jobs/status',
      cases: (w) => [
        { label: 'what the caller may see of the background work' },
        {
          label: "the operator's SBOM upload work",
          query: { work: inventoryWorld(w).uploadWorkId },
          // The work of an upload: its organisation follows it, and the coordinator's staff, who count every job.
          subject: { label: 'SBOM upload work', audience: anyOf(membersOf(w.orgs.operator.orgId), coordinatorStaff) },
        },
      ],
    },
  ],
};
