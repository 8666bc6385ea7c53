import { InputError, type FieldIssue } from '../../../platform/errors.js';

/**
 * How many issues one rejection lists at most. A feed with a systematic fault (a shifted column, a wrong
 * delimiter) would otherwise produce one issue per line of a quarter-million-line file.
 */
export const MAX_INPUT_ISSUES = 20;

/** Throws an InputError whose message names each offending field, after a one-line summary. */
export function rejectInput(summary: string, issues: readonly FieldIssue[]): never {
  const listed = issues.slice(0, MAX_INPUT_ISSUES);
  const text = listed.map((i) => (i.pointer === '' ? i.detail : `${i.pointer}: ${i.detail}`)).join('; ');
  throw new InputError(`${summary}: ${text}`, listed);
}

/** Collects issues up to {@link MAX_INPUT_ISSUES}; `full` tells a long loop it may stop looking. */
export class IssueList {
  readonly issues: FieldIssue[] = [];

  add(pointer: string, detail: string): void {
    if (this.issues.length < MAX_INPUT_ISSUES) this.issues.push({ pointer, detail });
  }

  get full(): boolean {
    return this.issues.length >= MAX_INPUT_ISSUES;
  }

  get empty(): boolean {
    return this.issues.length === 0;
  }

  /** Throws the collected issues, if any, with `summary` in front. */
  throwIfAny(summary: string): void {
    if (!this.empty) rejectInput(summary, this.issues);
  }
}
