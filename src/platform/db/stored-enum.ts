/**
 * A stored text column narrowed to the domain's list of values, checked: the row's string becomes the
 * list's literal type without a cast, and a value outside the list (a row written before a rename, a
 * migration that missed a column) fails loudly here instead of reaching an answer whose schema promises
 * the list.
 *
 * @param column named in the error, e.g. `frontier_grant.scope`.
 * @throws Error when `value` is not one of `values`.
 */
export function storedEnum<const T extends string>(values: readonly T[], value: string, column: string): T {
  if ((values as readonly string[]).includes(value)) return value as T;
  throw new Error(`${column} holds ${JSON.stringify(value)}, which is not one of ${values.join(', ')}`);
}

/** {@link storedEnum} for a nullable column: null stays null. */
export function storedEnumOrNull<const T extends string>(values: readonly T[], value: string | null, column: string): T | null {
  return value === null ? null : storedEnum(values, value, column);
}
