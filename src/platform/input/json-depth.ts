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
  // Two parallel stacks, of objects and of their depths: no pair allocated per value (intake walks every
  // submitted document, issue 14); scalars are never pushed.
  const nodes: object[] = [];
  const depths: number[] = [];
  if (typeof value === 'object' && value !== null) {
    nodes.push(value);
    depths.push(1);
  }
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth > max) max = depth;
    if (max > limit) return max;
    const children: readonly unknown[] = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) {
        nodes.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return max;
}
