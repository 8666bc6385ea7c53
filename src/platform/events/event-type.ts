/**
 * An event's type name, carrying its payload type: one exported constant per event, declared by the module
 * that emits it and imported by every consumer, so that producer and consumer cannot disagree on the
 * payload. The name is `<module>.<noun>.<verb>` in the past tense; a payload that changes incompatibly gets a
 * new name ending in `.v2` (`.v3`, …), never a silent change, since consumers and webhooks outside rely on it.
 * It is a string at run time, so it is stored, matched and sent as before.
 */
export type EventType<P> = string & { readonly [payloadType]: P };

// Only a type: a plain string is not an EventType, so every emit and every subscription names a declared one.
declare const payloadType: unique symbol;

/** The payload type an {@link EventType} carries. */
export type PayloadOf<E> = E extends EventType<infer P> ? P : never;

/** Declares an event type; see {@link EventType}. */
export function defineEvent<P>(name: string): EventType<P> {
  if (!/^[a-z]+(\.[a-z_]+){2}(\.v[2-9]\d*)?$/.test(name)) throw new Error(`event type ${name} is not <module>.<noun>.<verb>[.vN]`);
  return name as EventType<P>;
}

/** The version of an event type: 1, or the N of its `.vN` suffix. */
export function eventVersion(type: string): number {
  const match = /\.v(\d+)$/.exec(type);
  return match === null ? 1 : Number(match[1]);
}
