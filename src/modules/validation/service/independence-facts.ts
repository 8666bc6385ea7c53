import type { ServiceContext } from '../../../platform/context.js';
import { NotFoundError } from '../../../platform/errors.js';
import { listModels } from '../../frontier/index.js';
import { getOrg } from '../../identity/index.js';
import { clusterReports } from '../../intake/index.js';
import { independenceConflicts, type IndependenceConflict, type RegisteredModel, type ReportFacts } from '../domain/independence.js';
import { asSystem } from './access.js';

/** Every model the frontier program has enrolled, with its developer (a handful; read whole). */
export async function registeredModels(ctx: ServiceContext): Promise<RegisteredModel[]> {
  const system = asSystem(ctx);
  const out: RegisteredModel[] = [];
  let cursor: string | undefined;
  do {
    const page = await listModels(system, { limit: 500, cursor });
    out.push(...page.items.map((m) => ({ name: m.name, version: m.version, developerOrgId: m.developerOrgId })));
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return out;
}

async function orgKinds(ctx: ServiceContext, orgIds: readonly string[]): Promise<Map<string, string>> {
  const system = asSystem(ctx);
  const kinds = new Map<string, string>();
  for (const id of orgIds) {
    try {
      kinds.set(id, (await getOrg(system, id)).kind);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  return kinds;
}

/**
 * Why the validator's organisation is not independent of a cluster's reports (empty when it is), given the
 * model registry. Read outside any transaction: these reads go through other modules' services, which use
 * the database handle (SQLite has one connection, held by an open transaction).
 */
export async function independenceOf(
  ctx: ServiceContext,
  validatorOrgId: string,
  clusterId: string,
  registry: readonly RegisteredModel[],
): Promise<IndependenceConflict[]> {
  const reports = await clusterReports(ctx.db.kysely, clusterId);
  const kinds = await orgKinds(ctx, [...new Set(reports.map((r) => r.reporterOrgId))]);
  const facts: ReportFacts[] = reports.map((r) => ({
    reporterOrgId: r.reporterOrgId,
    reporterOrgKind: kinds.get(r.reporterOrgId) ?? null,
    model: r.model,
  }));
  return independenceConflicts(validatorOrgId, facts, registry);
}
