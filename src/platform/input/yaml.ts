import type * as YamlPackage from 'yaml';
import { lazyPackage } from '../lazy-package.js';
import { MAX_JSON_DEPTH } from './json-depth.js';

// Loaded on the first YAML text: most processes read none.
const yaml = lazyPackage<typeof YamlPackage>('yaml');

/**
 * The one reader of YAML documents from outside (OSV records, SPDX 2 YAML): data only. The core schema, with
 * no custom or language tags (`!!js/function`, `!foo` are refused, not read as strings), unique keys, alias
 * expansion bounded (a "billion laughs" document is refused), flow nesting bounded before the recursive
 * composer sees it, and problems answered rather than printed on the server's stderr.
 */

export interface YamlOptions {
  /** Read numbers as their text (`1.10` stays "1.10", not 1.1). Default false. */
  readonly numbersAsText?: boolean;
}

export type YamlResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: string };

/** Most aliases one document may expand; the yaml package's own default, stated. */
const MAX_ALIAS_COUNT = 100;

/** The deepest `[`/`{` nesting of the text's flow collections, read by the (iterative) lexer. */
function flowDepthExceeds(text: string, limit: number): boolean {
  let openers = 0;
  for (let i = 0; i < text.length && openers <= limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) openers += 1;
  }
  // Few brackets in all: no need to lex.
  if (openers <= limit) return false;
  let depth = 0;
  for (const token of new (yaml().Lexer)().lex(text, false)) {
    if (token === '[' || token === '{') {
      depth += 1;
      if (depth > limit) return true;
    } else if (token === ']' || token === '}') depth = Math.max(0, depth - 1);
  }
  return false;
}

/** Parses YAML text as plain data; never throws on bad input. */
export function readYaml(text: string, options: YamlOptions = {}): YamlResult {
  if (flowDepthExceeds(text, MAX_JSON_DEPTH)) return { ok: false, problem: `flow collections nest deeper than ${MAX_JSON_DEPTH} levels` };
  const doc = yaml().parseDocument(text, {
    ...(options.numbersAsText === true
      ? { customTags: (tags) => tags.filter((tag) => typeof tag === 'object' && !/:(int|float)$/.test(tag.tag)) }
      : {}),
    uniqueKeys: true,
    logLevel: 'silent',
  });
  // An unknown tag is a warning to the yaml package; here it refuses the document.
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) return { ok: false, problem: problem.message.split('\n')[0] ?? problem.message };
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown };
  } catch (cause) {
    return { ok: false, problem: cause instanceof Error ? cause.message : 'aliases expand too far' };
  }
}
