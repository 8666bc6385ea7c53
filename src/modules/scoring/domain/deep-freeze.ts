/** Freezes a plain-data tree in place and returns it, so that shared values (a policy, a cached score) cannot change under their users. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
