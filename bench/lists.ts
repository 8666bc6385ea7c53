import { startServer } from './api.js';
import { benchPostgres, benchSqlite } from './databases.js';
import { seedLists } from './lists-seed.js';
import { ADMIN_TOKEN, average, drive, type Figures } from './pagination.js';
import { report } from './report.js';

const PAGE = 50;
const ROUNDS = 2;

/** A list route and who reads it: the coordinator admin, or the researcher whose reports are 1 in 500 of all. */
interface ListRoute {
  readonly name: string;
  readonly path: string;
  readonly as: 'coordinator' | 'researcher';
}

const ROUTES: readonly ListRoute[] = [
  { name: 'clusters', path: `/api/v1/clusters?limit=${PAGE}`, as: 'coordinator' },
  { name: 'clusters_received', path: `/api/v1/clusters?limit=${PAGE}&state=received`, as: 'coordinator' },
  { name: 'clusters_as_researcher', path: `/api/v1/clusters?limit=${PAGE}`, as: 'researcher' },
  // The same at 90 % of the clusters: the page after a cursor costs what the first does (issue 14's flat pages).
  { name: 'clusters_as_researcher_at_90pct', path: `/api/v1/clusters?limit=${PAGE}&cursor={at90}`, as: 'researcher' },
  { name: 'validation_queue', path: `/api/v1/validation/queue?limit=${PAGE}`, as: 'coordinator' },
  { name: 'validation_my_reports', path: `/api/v1/validation/my-reports?limit=${PAGE}`, as: 'researcher' },
  { name: 'audit', path: `/api/v1/audit?limit=${PAGE}`, as: 'coordinator' },
];

export interface BenchListsOptions {
  readonly rows: number;
  readonly seconds: number;
  readonly connections: number;
}

/**
 * `npm run bench -- lists`: the first page of each hot list route over HTTP, on SQLite and on PostgreSQL at the
 * same data (`rows` clusters, findings, triage rows, reports and audit events: see seedLists), each route driven
 * by autocannon in interleaved rounds; then, per route, SQLite's requests/s over PostgreSQL's (issue 14's goal:
 * PostgreSQL list routes within 2× of SQLite's). Where a page seeks in each list: `npx tsx bench/lists-plans.ts`.
 */
export async function benchLists(options: BenchListsOptions): Promise<void> {
  const rps = new Map<string, Partial<Record<'sqlite' | 'postgres', number>>>();
  for (const open of [async () => benchSqlite('lists'), () => benchPostgres('lists')]) {
    const database = await open();
    if (database === null) continue;
    try {
      const { researcherToken, clusterCursorAt90 } = await seedLists(database, options.rows);
      const server = await startServer({
        ...database.env,
        CLEARINGHOUSE_ADMIN_TOKEN: ADMIN_TOKEN,
        LOG_LEVEL: 'info',
        CLEARINGHOUSE_RATE_LIMIT: '10000000',
      });
      try {
        const runs: Figures[][] = ROUTES.map(() => []);
        // Interleaved rounds, averaged: on a shared machine the load drifts within a run.
        for (let round = 0; round < ROUNDS; round++)
          for (const [i, route] of ROUTES.entries()) {
            const token = route.as === 'coordinator' ? ADMIN_TOKEN : researcherToken;
            const path = route.path.replace('{at90}', encodeURIComponent(clusterCursorAt90));
            runs[i]?.push(await drive(`${server.url}${path}`, options.seconds, options.connections, token));
          }
        for (const [i, route] of ROUTES.entries()) {
          const figures = average(runs[i] ?? []);
          const meta = {
            dialect: database.dialect,
            route: `GET ${route.path} as ${route.as}`,
            rows: options.rows,
            connections: options.connections,
            seconds: options.seconds,
            rounds: ROUNDS,
          };
          report(`lists.${database.dialect}.${route.name}.requests_per_s`, figures.rps, meta);
          report(`lists.${database.dialect}.${route.name}.p50_ms`, figures.p50, meta);
          report(`lists.${database.dialect}.${route.name}.p99_ms`, figures.p99, meta);
          rps.set(route.name, { ...rps.get(route.name), [database.dialect]: figures.rps });
        }
        const first = rps.get('clusters_as_researcher')?.[database.dialect];
        const at90 = rps.get('clusters_as_researcher_at_90pct')?.[database.dialect];
        if (first !== undefined && at90 !== undefined)
          report(`lists.${database.dialect}.clusters_as_researcher.first_to_page_at_90pct_rps`, first / at90, {
            dialect: database.dialect,
            rows: options.rows,
            goal: '≤ 1.5',
          });
      } finally {
        server.stop();
        await server.exited;
      }
    } finally {
      await database.drop();
    }
  }
  for (const route of ROUTES) {
    const { sqlite, postgres } = rps.get(route.name) ?? {};
    if (sqlite === undefined || postgres === undefined) continue;
    report(`lists.${route.name}.sqlite_to_postgres_rps`, sqlite / postgres, {
      route: `GET ${route.path} as ${route.as}`,
      rows: options.rows,
      goal: '≤ 2',
    });
  }
}
