/**
 * Words of a finding's text for near-duplicate detection: lower-cased letters and digits, without stop words,
 * bare numbers (line numbers, versions split at their dots) or one-letter words, then unigrams and bigrams,
 * so that word order counts a little.
 */

const STOP_WORDS = new Set(
  (
    'a an and are as at be by can could for from has have if in into is it its may might of on or that the this ' +
    'to was were when which while with within without would via allows allow user users attacker attackers remote ' +
    'vulnerability vulnerable issue version versions'
  ).split(' '),
);

/** The significant words of a text, in order. */
export function textTokens(text: string): string[] {
  const out: string[] = [];
  for (const match of text.toLowerCase().matchAll(/[\p{L}\p{N}_]+/gu)) {
    const word = match[0];
    if (word.length < 2 || /^\d+$/.test(word) || STOP_WORDS.has(word)) continue;
    out.push(word);
  }
  return out;
}

/** Unigrams and bigrams of a token list, without repeats. */
export function shingles(tokens: readonly string[]): Set<string> {
  const out = new Set<string>(tokens);
  for (let i = 1; i < tokens.length; i++) out.add(`${tokens[i - 1]} ${tokens[i]}`);
  return out;
}
