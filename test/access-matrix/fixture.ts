import type { Audience, Member, World } from './world.js';

/**
 * How the access matrix exercises one operation of the OpenAPI document. See the header of
 * access-matrix.test.ts for how to add one.
 */
export interface RouteFixture {
  /** The operation, as the OpenAPI document spells it: `GET /api/v1/clusters/{id}`. */
  readonly route: string;
  /**
   * The calls to make, each by every member of the cast. A call names the record its path points at
   * (`subject`) so that callers who may not see it must get 404. For writes, give a function: it is called
   * again for a fresh record after a call succeeded, so that every caller meets the record as seeded.
   */
  readonly cases: (world: World) => CallCase[] | Promise<CallCase[]>;
  /** A write that touches only the caller's own credentials (tokens): viewers may do it. */
  readonly selfService?: true;
  /** Tables a refused call may change, with the reason (counters of attempts, for instance). */
  readonly refusalMayWrite?: readonly string[];
}

export type CallCase = Call | (() => Promise<Call>);

export interface Call {
  /** For reports: `RED evidence`. */
  readonly label: string;
  /** Values for the `{…}` of the route. */
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | undefined>>;
  /** A JSON body. */
  readonly body?: unknown;
  /** A raw body instead (uploads). */
  readonly raw?: { readonly contentType: string; readonly bytes: Buffer };
  /**
   * The party the answer is computed for, when it is not the caller (an export for another organisation:
   * `world.recipientOrg(id)`): its canaries are checked against this party's audience as well as the caller's.
   */
  readonly for?: Member;
  /** The record the path names; who may not see it must get 404 (anonymous callers 401 or 404). */
  readonly subject?: { readonly label: string; readonly audience: Audience };
}

/** Every module's fixtures and the seeding of its records, registered in ./modules.ts. */
export interface ModuleMatrix {
  readonly module: string;
  /** Plants the module's records (with canaries) in the world; runs in registration order. */
  seed(world: World): Promise<void>;
  readonly fixtures: readonly RouteFixture[];
}
