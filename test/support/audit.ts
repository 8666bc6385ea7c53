import { listAuditEvents, type AuditQuery, type AuditRecord } from '../../src/modules/audit/index.js';
import { WIRED } from '../../src/app/modules.js';
import type { ServiceContext } from '../../src/platform/context.js';
import type { Page } from '../../src/platform/db/index.js';

/** The audit trail as the server serves it: filtered by every module's labelled subjects, as the app wires them. */
export function auditEvents(ctx: ServiceContext, query: AuditQuery): Promise<Page<AuditRecord>> {
  return listAuditEvents(ctx, query, WIRED.labelledSubjects);
}
