export { checkCredentials, createHttpServer, type HttpApp, type HttpServerOptions } from './server.js';
export { readCookie, setCredentialCookie } from './cookies.js';
export { PROBLEM_CONTENT_TYPE, problem, toProblemResponse, type Problem, type ProblemResponse } from './problem.js';
export {
  IdParamSchema,
  InstantSchema,
  Nullable,
  PageQuerySchema,
  ProblemSchema,
  ReadonlyList,
  StringEnum,
  type SchemaAgrees,
  TlpSchema,
  QueuedWorkSchema,
  pageOf,
  problemResponses,
  problemWith,
} from './schemas.js';
export { requireAuthentication, type ContextFactory, type RouteDeps } from './context.js';
export { attachmentDisposition, safeMediaType, sendStoredFile, type StoredFile } from './download.js';
export { htmlContentSecurityPolicy } from './security-headers.js';
export { commaList, itemsOf, optionalBody, routeKit, type RouteKit, type RouteKitOptions } from './route-kit.js';
export { SITE_CONTENT_SECURITY_POLICY, serveStaticSite, type StaticSiteOptions } from './static-site.js';
export { bodyBytes, rawBodyRoutes, type RawBodyOptions } from './raw-body.js';
export { QUEUES_BACKGROUND_WORK, admitBackgroundWork, type BacklogAdmission } from './admission.js';
export { responseDrift, type ResponseDrift } from './response-drift.js';
