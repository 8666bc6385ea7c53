/**
 * Grouping for the modules' many "rows by key" maps: one way to write them, and linear. (The spread form
 * `map.set(k, [...(map.get(k) ?? []), v])` copies a key's list on every item: quadratic in a large group.)
 * Node 20 has no `Map.groupBy`.
 */

/** Appends `value` to `key`'s list in `map`, making the list on first use; returns that list. */
export function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): V[] {
  const list = map.get(key);
  if (list === undefined) {
    const made = [value];
    map.set(key, made);
    return made;
  }
  list.push(value);
  return list;
}

/** The items by `keyOf`, each key's items in their order, keys in the order first seen. */
export function groupBy<T, K>(items: Iterable<T>, keyOf: (item: T) => K): Map<K, T[]>;
/** The `valueOf` of the items by `keyOf`, each key's values in the items' order, keys in the order first seen. */
export function groupBy<T, K, V>(items: Iterable<T>, keyOf: (item: T) => K, valueOf: (item: T) => V): Map<K, V[]>;
export function groupBy<T, K, V>(items: Iterable<T>, keyOf: (item: T) => K, valueOf?: (item: T) => V): Map<K, (T | V)[]> {
  const out = new Map<K, (T | V)[]>();
  for (const item of items) appendTo(out, keyOf(item), valueOf === undefined ? item : valueOf(item));
  return out;
}
