import type { ModuleMatrix } from './fixture.js';

/** The composition root's own routes: health probes. */
export const appMatrix: ModuleMatrix = {
  module: 'app',
  async seed() {},
  fixtures: [
    { route: 'GET /healthz', cases: () => [{ label: 'health' }] },
    { route: 'GET /readyz', cases: () => [{ label: 'readiness' }] },
  ],
};
