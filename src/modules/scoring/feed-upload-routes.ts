import { bodyBytes, problemResponses, rawBodyRoutes, type HttpApp, type RouteDeps, routeKit } from '../../platform/http/index.js';
import { DEFAULT_FEED_MAX_BYTES } from './domain/feed-input.js';
import { EpssLoadQuery, EpssLoadSchema, KevLoadQuery, KevLoadSchema } from './route-schemas.js';
import { loadEpss, loadKev } from './service/feed-load.js';

/** What a feed file may be sent as; the body is read as bytes whatever the type (gzip is recognised by its magic). */
export const FEED_MEDIA_TYPES = [
  'application/json',
  'text/csv',
  'text/plain',
  'application/gzip',
  'application/x-gzip',
  'application/octet-stream',
];

const { auth, spec } = routeKit('scoring', { bodyLimit: DEFAULT_FEED_MAX_BYTES });

/**
 * `POST /api/v1/scoring/feeds/kev|epss`: a feed file uploaded by a coordinator admin (what `feeds load --url`
 * sends), imported as the command imports it locally, in its own parser scope for raw bodies.
 */
export function feedUploadRoutes(app: HttpApp, deps: RouteDeps): void {
  rawBodyRoutes(app, { types: FEED_MEDIA_TYPES, bodyLimit: DEFAULT_FEED_MAX_BYTES }, (scoped) => {
    const common =
      'The body is the file itself. Re-importing what is held changes nothing. Answers the background work queued (the re-prioritization), to follow with GET /api/v1/jobs/status?work=. 413 past 64 MiB.';
    scoped.post(
      '/api/v1/scoring/feeds/kev',
      {
        ...auth,
        schema: spec('Import a KEV catalog file (coordinator admins)', {
          description: `CISA's known_exploited_vulnerabilities.json or .csv, plain or gzip. ${common}`,
          consumes: FEED_MEDIA_TYPES,
          querystring: KevLoadQuery,
          response: { 200: KevLoadSchema, ...problemResponses(403, 413, 415) },
        }),
      },
      (request) => {
        const q = request.query as { source?: string; allowOlder?: boolean };
        return loadKev(deps.contextFor(request), {
          data: bodyBytes(request),
          source: q.source ?? 'api upload',
          allowOlder: q.allowOlder === true,
        });
      },
    );
    scoped.post(
      '/api/v1/scoring/feeds/epss',
      {
        ...auth,
        schema: spec('Import EPSS scores (coordinator admins)', {
          description: `FIRST's daily CSV (plain or gzip) or an EPSS API response. ${common}`,
          consumes: FEED_MEDIA_TYPES,
          querystring: EpssLoadQuery,
          response: { 200: EpssLoadSchema, ...problemResponses(403, 413, 415) },
        }),
      },
      async (request) => {
        const q = request.query as { source?: string; scoreDate?: string };
        const loaded = await loadEpss(deps.contextFor(request), {
          data: bodyBytes(request),
          source: q.source ?? 'api upload',
          ...(q.scoreDate === undefined ? {} : { scoreDate: q.scoreDate }),
        });
        return { ...loaded, scoreDates: [...loaded.scoreDates] };
      },
    );
  });
}
