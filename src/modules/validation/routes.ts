import type { HttpApp, RouteDeps } from '../../platform/http/index.js';
import { evidenceRoutes } from './routes/evidence-routes.js';
import { jobRoutes } from './routes/job-routes.js';
import { reporterRoutes } from './routes/reporter-routes.js';
import { triageRoutes } from './routes/triage-routes.js';

/** Every validation route, under /api/v1/validation. */
export function validationRoutes(app: HttpApp, deps: RouteDeps): void {
  triageRoutes(app, deps);
  jobRoutes(app, deps);
  evidenceRoutes(app, deps);
  reporterRoutes(app, deps);
}
