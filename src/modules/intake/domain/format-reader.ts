import { InputError, type FieldIssue } from '../../../platform/errors.js';
import type { Tlp } from '../../../platform/tlp.js';
import type { Finding, SourceFormat, Target } from './finding.js';
import type { JsonRecord } from './json-access.js';

/** The contract between `parseSubmission` and the reader of each format. */

export interface ParseOptions {
  /** Read the document as this format instead of detecting it. Default `'auto'`. */
  readonly format?: SourceFormat | 'auto';
  /** Import CVE records in state REJECTED (as findings with status `rejected`) instead of refusing them. Default false. */
  readonly includeRejected?: boolean;
  /**
   * What the findings are about when the document does not say: a SARIF log without
   * `versionControlProvenance` names no repository, and the service knows it from the scan campaign. Used only
   * for findings with no target of their own. Default none.
   */
  readonly defaultTarget?: Target;
}

export interface ReadResult {
  readonly findings: Finding[];
  readonly documentId: string | null;
  readonly formatVersion: string | null;
  readonly suggestedTlp: Tlp;
  /** True for a VEX document (see `ParsedDocument.vex`); false when absent. */
  readonly vex?: boolean;
}

export type FormatReader = (doc: JsonRecord, options: ParseOptions, warnings: FieldIssue[]) => ReadResult;

/**
 * Throws the schema issues of a document as one InputError whose message names the format and the first
 * broken rule; does nothing when there are none.
 */
export function throwIfInvalid(label: string, issues: readonly FieldIssue[]): void {
  const first = issues[0];
  if (first === undefined) return;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  throw new InputError(`Not a valid ${label} document: ${first.pointer || '(root)'} ${first.detail}${more}`, issues, {
    code: 'schema-violation',
  });
}
