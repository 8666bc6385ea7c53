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
    /** scanning.lease.claim: staff of any organisation. */
    claimsLeases: STAFF_ROLES.has(session.user.role),
    /** scanning.asset.manage: an operator's staff (its own assets), the coordinator's staff. */
    managesAssets: (kind === 'operator' || kind === 'coordinator') && STAFF_ROLES.has(session.user.role),
    /** scanning.gaps.read: the coordinator (every operator's), operators (their own). */
    readsGaps: kind === 'coordinator' || kind === 'operator',
    /** frontier.partner.nominate: staff of model developers (their models), agencies and the coordinator. */
    nominatesPartners: (kind === 'model_developer' || kind === 'agency' || kind === 'coordinator') && STAFF_ROLES.has(session.user.role),
    /** frontier.partner.approve: admins of the model's developer, of agencies and of the coordinator. */
    approvesPartners: (kind === 'model_developer' || kind === 'agency' || kind === 'coordinator') && session.user.role === 'admin',
    /** notify.webhook.manage: an organisation's admins, for its own webhooks. */
    managesWebhooks: session.user.role === 'admin',
  };
}
