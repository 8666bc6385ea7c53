import type { HttpApp, RouteDeps } from '../../../platform/http/index.js';
import { advisoryRoutes } from './advisory-routes.js';
import { assetRoutes } from './asset-routes.js';
import { uploadRoutes } from './upload-routes.js';

/** Every inventory route, under `/api/v1/inventory`. */
export function inventoryRoutes(app: HttpApp, deps: RouteDeps): void {
  assetRoutes(app, deps);
  uploadRoutes(app, deps);
  advisoryRoutes(app, deps);
}
