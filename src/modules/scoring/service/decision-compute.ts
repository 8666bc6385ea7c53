import { sha256Hex } from '../../../platform/hash.js';
import { type CvssScores } from '../../../platform/cvss/index.js';
import { anchorDeadline } from '../domain/deadline-anchor.js';
import type { EpssScore } from '../domain/epss-score.js';
import type { KevEntry } from '../domain/kev-catalog.js';
import type { PrioritizationPolicy } from '../domain/prioritization-policy.js';
import type { PrioritizeInput } from '../domain/prioritize-input.js';
import { decidePriority, type PriorityDecision } from '../domain/priority-decision.js';
import { decideSupplierPriority } from '../domain/supplier-priority.js';
import type { DecisionDetailRow, DecisionRow } from '../store/tables.js';

/** What a subject's decision is computed from besides its inputs: the feeds and scores as held now. */
export interface Evidence {
  readonly kev: KevEntry | null;
  readonly epss: EpssScore | null;
  readonly cvss: CvssScores | null;
}

/** A computed decision, as the rows to store and what changed against the stored one. */
export interface Computed {
  readonly decision: PriorityDecision;
  readonly row: DecisionRow;
  /** `{field: [before, after]}`; empty when nothing changed. */
  readonly changes: Readonly<Record<string, unknown>>;
  /** The outcome or an SSVC input changed (or the decision is new): history keeps the full explanation. */
  readonly substantive: boolean;
  /** The stored detail (explanation, supplier decision, inputs) when it must be rewritten, else null. */
  readonly detail: DecisionDetailRow | null;
}

// Fields whose change only reorders subjects of equal outcome: history keeps no full explanation for them.
const TIE_BREAKERS = new Set(['epss', 'exposureCount', 'cvss']);

/** The KEV entry that makes the case: the earliest added among the subject's CVEs. */
export function pickKev(entries: readonly KevEntry[]): KevEntry | null {
  return [...entries].sort((a, b) => a.dateAdded.localeCompare(b.dateAdded) || a.cveId.localeCompare(b.cveId))[0] ?? null;
}

/** The EPSS score that counts: the highest among the subject's CVEs (then the latest day). */
export function pickEpss(scores: readonly EpssScore[]): EpssScore | null {
  return [...scores].sort((a, b) => b.epss - a.epss || b.date.localeCompare(a.date) || a.cveId.localeCompare(b.cveId))[0] ?? null;
}

const CVSS_VERSION_RANK: Readonly<Record<string, number>> = { '4.0': 4, '3.1': 3, '3.0': 2, '2.0': 1 };

/** The vector shown beside the decision: the newest CVSS version, then the highest score. */
export function pickCvss(scores: readonly CvssScores[]): CvssScores | null {
  return (
    [...scores].sort(
      (a, b) =>
        (CVSS_VERSION_RANK[b.version] ?? 0) - (CVSS_VERSION_RANK[a.version] ?? 0) ||
        b.overall.score - a.overall.score ||
        a.vector.localeCompare(b.vector),
    )[0] ?? null
  );
}

type EpssColumnsOf = { readonly epss_cve_id: string | null; readonly epss: number | null; readonly epss_date: string | null };

/** What a stored decision says of its EPSS score, as recorded in the history (the percentile is not). */
export const epssOf = (row: EpssColumnsOf) => (row.epss === null ? null : { cveId: row.epss_cve_id, epss: row.epss, date: row.epss_date });

/**
 * Whether two decisions hold the same EPSS score: the same CVE's same probability. A new day with the same
 * score is no change, as a new percentile is not (FIRST publishes every CVE every day: were the day a change,
 * every decision would be rewritten, and get a history row, every day). The day and percentile stored are
 * those of the score when it was last recorded.
 */
export const sameEpss = (a: EpssColumnsOf, b: EpssColumnsOf): boolean => a.epss === b.epss && a.epss_cve_id === b.epss_cve_id;

/**
 * Decides a subject from its inputs and the evidence, and compares the result with its stored decision.
 * Pure: `storedInputs` is the canonical JSON of the inputs stored, when the caller gives new ones.
 */
export function computeDecision(args: {
  readonly input: PrioritizeInput;
  readonly inputsJson: string;
  readonly inputsChanged: boolean;
  readonly previous: DecisionRow | null;
  readonly evidence: Evidence;
  readonly policy: PrioritizationPolicy;
  readonly now: Date;
}): Computed {
  const { input, previous, evidence, policy, now } = args;
  const validation = input.validation ?? null;
  const decided = decidePriority(
    {
      kev: evidence.kev,
      validation,
      publicExploitReferences: input.publicExploitReferences ?? [],
      cisaAdp: input.cisaAdp ?? null,
      exposure: input.exposure ?? null,
      epss: evidence.epss,
      cvss: evidence.cvss,
    },
    now,
    policy,
  );
  const decision = anchorDeadline(
    previous === null ? null : { outcome: previous.outcome as PriorityDecision['outcome'], since: previous.outcome_since },
    decided,
    policy,
  );
  const supplier = decideSupplierPriority(decision, validation, policy);
  const { inputs } = decision.explanation;
  // The stored explanation follows from the inputs, the policy, when the outcome was reached and where
  // Exploitation came from (the KEV entry may change under an unchanged value); EPSS and CVSS are kept in
  // columns. Hashing those is enough to know whether it changed, without writing the explanation out.
  const detailHash = sha256Hex(
    [args.inputsJson, policy.version, decision.outcome, decision.explanation.decidedAt, JSON.stringify(inputs.exploitation)].join('\n'),
  );
  const nowIso = now.toISOString();
  const row: DecisionRow = {
    subject_id: input.subjectId,
    org_id: input.orgId ?? previous?.org_id ?? null,
    revision: (previous?.revision ?? 0) + 1,
    outcome: decision.outcome,
    outcome_since: decision.explanation.decidedAt,
    vendor_fix_due_at: decision.vendorFixDueAt,
    exploitation: inputs.exploitation.value,
    automatable: inputs.automatable.value,
    technical_impact: inputs.technicalImpact.value,
    mission_wellbeing: inputs.missionWellbeing.value,
    supplier_outcome: supplier.outcome,
    policy_version: policy.version,
    epss: evidence.epss?.epss ?? null,
    epss_percentile: evidence.epss?.percentile ?? null,
    epss_date: evidence.epss?.date ?? null,
    epss_cve_id: evidence.epss?.cveId ?? null,
    exposure_count: decision.tieBreak.exposureCount,
    cvss_vector: evidence.cvss?.vector ?? null,
    detail_hash: detailHash,
    evaluated_at: nowIso,
    created_at: previous?.created_at ?? nowIso,
  };
  const changes: Record<string, unknown> = {};
  if (previous === null) {
    changes['outcome'] = [null, row.outcome];
  } else {
    const compare = (name: string, before: unknown, after: unknown) => {
      if (before !== after) changes[name] = [before, after];
    };
    compare('outcome', previous.outcome, row.outcome);
    compare('exploitation', previous.exploitation, row.exploitation);
    compare('automatable', previous.automatable, row.automatable);
    compare('technicalImpact', previous.technical_impact, row.technical_impact);
    compare('missionWellbeing', previous.mission_wellbeing, row.mission_wellbeing);
    compare('supplierOutcome', previous.supplier_outcome, row.supplier_outcome);
    compare('policyVersion', previous.policy_version, row.policy_version);
    compare('exposureCount', previous.exposure_count, row.exposure_count);
    compare('cvss', previous.cvss_vector, row.cvss_vector);
    compare('orgId', previous.org_id, row.org_id);
    if (!sameEpss(previous, row)) changes['epss'] = [epssOf(previous), epssOf(row)];
    if (previous.detail_hash !== row.detail_hash) changes['explanation'] = true;
    if (args.inputsChanged) changes['inputs'] = true;
  }
  const detailChanged = previous === null || previous.detail_hash !== row.detail_hash || args.inputsChanged;
  return {
    decision,
    row,
    detail: detailChanged
      ? {
          subject_id: input.subjectId,
          inputs: args.inputsJson,
          explanation: JSON.stringify({ ...decision.explanation, epss: null, cvss: null }),
          supplier: JSON.stringify(supplier),
        }
      : null,
    changes,
    substantive: Object.keys(changes).some((k) => !TIE_BREAKERS.has(k)),
  };
}
