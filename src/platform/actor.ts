/**
 * Who is acting. Every service function receives one explicitly (never ambient). The access policy that
 * decides what an actor may do lives in modules/identity; this is only the shape.
 */
export type Role = 'admin' | 'analyst' | 'viewer';

export interface UserActor {
  readonly kind: 'user';
  readonly userId: string;
  readonly orgId: string;
  /** The kind of the actor's organisation (coordinator, agency, vendor, …). */
  readonly orgKind: string;
  readonly role: Role;
  readonly tokenId: string | null;
}

/** The server acting on its own behalf (background jobs) or an operator at the local CLI. */
export interface SystemActor {
  readonly kind: 'system';
  readonly name: string;
}

export interface AnonymousActor {
  readonly kind: 'anonymous';
}

export type Actor = UserActor | SystemActor | AnonymousActor;

export const anonymousActor: AnonymousActor = Object.freeze({ kind: 'anonymous' });

export function systemActor(name: string): SystemActor {
  return Object.freeze({ kind: 'system', name });
}

/** A short label for logs and audit rows. */
export function describeActor(actor: Actor): string {
  switch (actor.kind) {
    case 'user':
      return actor.userId;
    case 'system':
      return `system:${actor.name}`;
    case 'anonymous':
      return 'anonymous';
  }
}
