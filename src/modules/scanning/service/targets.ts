import type { FieldIssue } from '../../../platform/errors.js';
import { readScanTarget, type ScanTarget } from '../domain/scan-target.js';
import type { CampaignTargetRow, TargetColumns } from '../store/tables.js';
import { softwareVocabulary } from './vocabulary.js';

/** One scope entry as given: a target and, for a package, an optional `vers:` range. */
export interface ScopeEntry {
  readonly target: string;
  readonly versions?: string | undefined;
}

/** Reads scope entries, naming each bad one by its pointer (`/scope/2/target`). */
export function readScope(entries: readonly ScopeEntry[], pointer: string, issues: FieldIssue[]): ScanTarget[] {
  const out: ScanTarget[] = [];
  entries.forEach((entry, i) => {
    const read = readScanTarget(entry.target, softwareVocabulary, entry.versions);
    if (read.ok) {
      out.push(read.target);
      return;
    }
    // Blame the range only when the target reads without it.
    const field = entry.versions !== undefined && readScanTarget(entry.target, softwareVocabulary).ok ? 'versions' : 'target';
    issues.push({ pointer: `${pointer}/${i}/${field}`, detail: read.reason });
  });
  return out;
}

/** A stored target read back (it was valid when stored; the readers are deterministic). */
export function storedTarget(row: Pick<CampaignTargetRow, 'input' | 'versions'> | Pick<TargetColumns, 'text'>): ScanTarget {
  const text = 'input' in row ? row.input : row.text;
  const versions = 'versions' in row ? (row.versions ?? undefined) : undefined;
  const read = readScanTarget(text, softwareVocabulary, versions);
  if (!read.ok) throw new Error(`a stored target no longer reads: ${text} (${read.reason})`);
  return read.target;
}
