/**
 * Case numbers as people quote them: `CH-2026-0042` — the year the case was opened and its sequence number
 * within that year, at least four digits (`CH-2026-12345` once a year passes 9,999 cases). The number is
 * allocated by the database (a counter row per year, updated in the opening transaction), never here.
 */

export type CaseNumber = string & { readonly __brand: 'CaseNumber' };

const CASE_NUMBER = /^CH-(\d{4})-(\d{4,})$/;

/** `CH-YYYY-NNNN` for the `sequence`-th case of `year` (1-based). */
export function formatCaseNumber(year: number, sequence: number): CaseNumber {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`a case year has four digits, got ${year}`);
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError(`a case sequence number starts at 1, got ${sequence}`);
  return `CH-${year}-${String(sequence).padStart(4, '0')}` as CaseNumber;
}

/** The year and sequence of a case number, or null when the text is not one (`CH-2026-042` is not: four digits at least). */
export function parseCaseNumber(text: string): { readonly year: number; readonly sequence: number } | null {
  const m = CASE_NUMBER.exec(text);
  if (m === null) return null;
  const sequence = Number(m[2]);
  // `CH-2026-00042` would name the same case as `CH-2026-0042`: only the canonical spelling is one.
  if (sequence < 1 || !Number.isSafeInteger(sequence) || formatCaseNumber(Number(m[1]), sequence) !== text) return null;
  return { year: Number(m[1]), sequence };
}

/** The year a case opened at `instant` is numbered in: the UTC year, so every server process agrees. */
export function caseYear(instant: Date): number {
  return instant.getUTCFullYear();
}
