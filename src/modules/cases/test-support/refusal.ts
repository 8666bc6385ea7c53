/** The error a promise rejects with, or null when it resolves: for asserting what a refusal was. */
export async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (e: unknown) => e,
  );
}
