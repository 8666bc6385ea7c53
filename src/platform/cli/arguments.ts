import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { queryString } from './dispatch.js';

/**
 * The one set of option parsers for commander (`.option('--days <n>', 'how long', wholeNumber('--days'))`).
 * A bad value is an InputError naming the option, so the CLI exits 2 with the rule, as for any bad input.
 */

export function wholeNumber(flag: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value))
      throw new InputError(`${flag} must be a whole number, got "${value}"`, [{ pointer: flag, detail: 'must be a whole number' }]);
    return Number(value);
  };
}

export function finiteNumber(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n))
      throw new InputError(`${flag} must be a number, got "${value}"`, [{ pointer: flag, detail: 'must be a number' }]);
    return n;
  };
}

/** yes/no (or true/false), in any case. */
export function yesNo(flag: string) {
  return (value: string): boolean => {
    if (/^(yes|true)$/i.test(value)) return true;
    if (/^(no|false)$/i.test(value)) return false;
    throw new InputError(`${flag} must be yes or no, got "${value}"`, [{ pointer: flag, detail: 'must be yes or no' }]);
  };
}

/** A repeatable option: each occurrence adds one value. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** A repeatable option whose occurrences may each list several values separated by commas. */
export const collectCommaList = (value: string, previous: string[]): string[] => [
  ...previous,
  ...value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

/** A query string (with its `?`) from the defined values only; '' when there are none. */
export function queryOf(values: Readonly<Record<string, string | number | boolean | undefined>>): string {
  const query = queryString(values);
  return query === '' ? '' : `?${query}`;
}

/** A path segment taken from user input. */
export const enc = encodeURIComponent;

/**
 * A JSON file a command was handed (a policy, agreement terms), parsed. An unreadable file or bad JSON is an
 * InputError naming `pointer` (the argument or option that named the file), so the CLI exits 2.
 */
export async function readJsonFile(file: string, pointer: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((error: Error) => {
    throw new InputError(`cannot read ${file}: ${error.message}`, [{ pointer, detail: 'must name a readable file' }]);
  });
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError(`${file} is not JSON: ${(error as Error).message}`, [{ pointer, detail: 'must be a JSON file' }]);
  }
}
