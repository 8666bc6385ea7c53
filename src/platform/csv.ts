/**
 * CSV for spreadsheets (RFC 4180: CRLF line ends, fields with a comma, quote or line break quoted, quotes
 * doubled), safe against formula injection: a text cell that a spreadsheet would read as a formula — one
 * starting with `=`, `+`, `-`, `@`, a tab or a carriage return (OWASP, "CSV Injection"), or their full-width
 * forms, which some spreadsheets fold — is prefixed with a single quote so it stays text. Numbers are written
 * as numbers: `-5` is a value, not a formula.
 */

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export type CsvValue = string | number | boolean | null | undefined;

/** One cell, neutralized and quoted as needed. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) || text !== value ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole table: a header row, then one row per record, CRLF after every row. */
export function csvTable<Row>(
  columns: readonly { readonly header: string; readonly value: (row: Row) => CsvValue }[],
  rows: Iterable<Row>,
): string {
  const lines = [columns.map((c) => csvCell(c.header)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(c.value(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
