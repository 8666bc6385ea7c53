/**
 * The independence rule (issue 4): a confirmation counts only when the validating organisation
 * - is not one of the reporters (`same-org`), and
 * - did not develop the model that found the vulnerability (`own-model`).
 * A report's model developer is known two ways: the frontier registry (a model registered by the validator
 * under the name the report gives, any version), and the reporter itself when it is a `model_developer`
 * naming a model in its report (a lab reporting what its own model found).
 */

export interface ReportFacts {
  readonly reporterOrgId: string;
  readonly reporterOrgKind: string | null;
  /** As intake stores it: `<name> <version>`, or the name alone. */
  readonly model: string | null;
}

export interface RegisteredModel {
  readonly name: string;
  readonly version: string;
  readonly developerOrgId: string;
}

export interface IndependenceConflict {
  readonly rule: 'same-org' | 'own-model';
  readonly detail: string;
}

const norm = (s: string): string => s.trim().replace(/\s+/g, ' ').toLowerCase();

/** Whether a report's model string names this registered model (any version of it). */
export function namesModel(reportModel: string, model: Pick<RegisteredModel, 'name' | 'version'>): boolean {
  const text = norm(reportModel);
  const name = norm(model.name);
  return text === name || text === `${name} ${norm(model.version)}` || text.startsWith(`${name} `);
}

/** The organisations that developed the model a report names. */
export function developersOf(report: ReportFacts, registry: readonly RegisteredModel[]): string[] {
  if (report.model === null || report.model.trim() === '') return [];
  const model = report.model;
  const developers = new Set(registry.filter((m) => namesModel(model, m)).map((m) => m.developerOrgId));
  if (report.reporterOrgKind === 'model_developer') developers.add(report.reporterOrgId);
  return [...developers];
}

/** Why `validatorOrgId` is not independent of these reports; empty when it is. */
export function independenceConflicts(
  validatorOrgId: string,
  reports: readonly ReportFacts[],
  registry: readonly RegisteredModel[],
): IndependenceConflict[] {
  const conflicts: IndependenceConflict[] = [];
  if (reports.some((r) => r.reporterOrgId === validatorOrgId)) {
    conflicts.push({ rule: 'same-org', detail: 'your organisation reported this vulnerability' });
  }
  const ownModels = new Set(reports.filter((r) => developersOf(r, registry).includes(validatorOrgId)).map((r) => r.model ?? ''));
  if (ownModels.size > 0) {
    conflicts.push({
      rule: 'own-model',
      detail: `your organisation developed the model that found it (${[...ownModels].sort().join(', ')})`,
    });
  }
  return conflicts;
}

export interface QuorumPolicy {
  /** Confirmations needed by default (1). */
  readonly default: number;
  /** Confirmations needed when the CVSS base score reaches `criticalCvss` (2). */
  readonly critical: number;
  /** 9.0: CVSS "critical". */
  readonly criticalCvss: number;
}

export interface Quorum {
  readonly needed: number;
  readonly because: string;
}

/** Independent confirmations a cluster needs, from the highest CVSS base score among its reports. */
export function requiredQuorum(policy: QuorumPolicy, cvssBase: number | null): Quorum {
  if (cvssBase !== null && cvssBase >= policy.criticalCvss) {
    return { needed: policy.critical, because: `CVSS base ${cvssBase.toFixed(1)} ≥ ${policy.criticalCvss.toFixed(1)}` };
  }
  return {
    needed: policy.default,
    because: cvssBase === null ? 'no CVSS vector reported' : `CVSS base ${cvssBase.toFixed(1)} < ${policy.criticalCvss.toFixed(1)}`,
  };
}

export interface AttemptFacts {
  readonly validatorOrgId: string;
  /** Reproduced on the affected build and not on the fixed one (when one was tried). */
  readonly confirms: boolean;
  /** Conflicts found when the attempt was recorded (model registry included). */
  readonly conflicts: readonly IndependenceConflict[];
}

/**
 * The organisations whose confirmations count now: confirming, independent when recorded, and still not
 * among the reporters (a reporter may join after confirming). One organisation counts once.
 */
export function independentConfirmers(attempts: readonly AttemptFacts[], reporterOrgIds: ReadonlySet<string>): string[] {
  const orgs = attempts
    .filter((a) => a.confirms && a.conflicts.length === 0 && !reporterOrgIds.has(a.validatorOrgId))
    .map((a) => a.validatorOrgId);
  return [...new Set(orgs)].sort();
}
