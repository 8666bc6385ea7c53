/**
 * How deep a parsed JSON (or YAML) value nests, measured without recursion. Readers that walk a document
 * recursively (schema validators, CycloneDX's nested components) check it first, so a small document of
 * 100,000 nested arrays is refused by name instead of exhausting the stack.
 */

/** Deeper documents are refused before any schema walks them; real SARIF, CSAF and SBOMs stay under 40 levels. */
export const MAX_JSON_DEPTH = 128;

/** The value's nesting depth (a scalar is 0, `[]` is 1), counted up to just past `limit`. */
export function jsonDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null) continue;
    if (depth > max) max = depth;
    if (max > limit) return max;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return max;
}
