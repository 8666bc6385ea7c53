import { createContext, useContext } from 'react';
import type { paths } from './api/schema';

export type Session = paths['/api/v1/session']['get']['responses'][200]['content']['application/json'];

export interface SessionState {
  readonly session: Session;
  signOut(): Promise<void>;
}

export const SessionContext = createContext<SessionState | null>(null);

/** The signed-in user's session; only inside the signed-in part of the console. */
export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (state === null) throw new Error('useSession outside a signed-in page');
  return state;
}

const STAFF_ROLES = new Set(['admin', 'analyst']);

/** What the navigation offers: the API decides what each page shows; this only hides what it would refuse. */
export function offers(session: Session) {
  const kind = session.org.kind;
  return {
    triage: kind === 'coordinator',
    operatorHome: kind === 'operator' || kind === 'coordinator',
    decides: kind === 'coordinator' && STAFF_ROLES.has(session.user.role),
    submit: STAFF_ROLES.has(session.user.role),
  };
}
