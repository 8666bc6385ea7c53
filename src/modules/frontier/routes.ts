import type { HttpApp, RouteDeps } from '../../platform/http/index.js';
import { agreementRoutes } from './routes/agreement-routes.js';
import { findingRoutes } from './routes/finding-routes.js';
import { grantRoutes } from './routes/grant-routes.js';
import { modelRoutes } from './routes/model-routes.js';
import { programRoutes } from './routes/program-routes.js';
import { reviewRoutes } from './routes/review-routes.js';
import { uploadRoutes } from './routes/upload-routes.js';

/** Every route of the frontier program, under /api/v1/frontier. Thin adapters over the services. */
export function frontierRoutes(app: HttpApp, deps: RouteDeps): void {
  modelRoutes(app, deps);
  reviewRoutes(app, deps);
  grantRoutes(app, deps);
  findingRoutes(app, deps);
  programRoutes(app, deps);
  uploadRoutes(app, deps);
  agreementRoutes(app, deps);
}
