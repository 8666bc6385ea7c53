import { InputError, type FieldIssue } from '../errors.js';

/**
 * How many issues one rejection lists at most. A feed with a systematic fault (a shifted column, a wrong
 * delimiter) would otherwise produce one issue per line of a quarter-million-line file.
 */
export const MAX_INPUT_ISSUES = 20;

/** `pointer: detail`, or the detail alone for the whole input (pointer ''). */
function describe(issue: FieldIssue): string {
  return issue.pointer === '' ? issue.detail : `${issue.pointer}: ${issue.detail}`;
}

/**
 * Throws an InputError whose message names each offending field (at most {@link MAX_INPUT_ISSUES}), after
 * a one-line summary when there is one.
 */
export function rejectInput(summary: string, issues: readonly FieldIssue[], options?: { code?: string }): never {
  const listed = issues.slice(0, MAX_INPUT_ISSUES);
  const text = listed.map(describe).join('; ');
  throw new InputError(summary === '' ? text : `${summary}: ${text}`, listed, options);
}

/**
 * Collects the issues of one input so that a single answer names them all (DESIGN §5, "Bad input"), up to
 * {@link MAX_INPUT_ISSUES}; `full` tells a long loop it may stop looking.
 */
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
  throwIfAny(summary = '', options?: { code?: string }): void {
    if (!this.empty) rejectInput(summary, this.issues, options);
  }
}
