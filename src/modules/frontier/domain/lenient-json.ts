import { InputError } from '../../../platform/errors.js';

/**
 * JSON as Python's `json.dumps` writes it: standard JSON plus bare `NaN`, `Infinity` and `-Infinity`,
 * which Inspect uses for scores that could not be computed. Those tokens are read as `null` — "unscored" —
 * and counted; inside strings they are left alone.
 */
export interface LenientJson {
  readonly value: unknown;
  /** How many NaN / Infinity tokens were read as null. */
  readonly nonFinite: number;
}

const TOKENS = ['-Infinity', 'Infinity', 'NaN'] as const;

export function parseLenientJson(text: string, what: string): LenientJson {
  let out = '';
  let from = 0;
  let nonFinite = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character, quotes included
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
      continue;
    }
    if (c !== 0x2d && c !== 0x49 && c !== 0x4e) continue; // '-', 'I', 'N'
    const token = TOKENS.find((t) => text.startsWith(t, i));
    if (token === undefined) continue;
    out += `${text.slice(from, i)}null`;
    i += token.length - 1;
    from = i + 1;
    nonFinite++;
  }
  out += text.slice(from);
  try {
    return { value: JSON.parse(out) as unknown, nonFinite };
  } catch (error) {
    throw new InputError(`${what} is not valid JSON: ${(error as Error).message}`, [{ pointer: '/file', detail: `${what} must be JSON` }], {
      cause: error,
    });
  }
}
