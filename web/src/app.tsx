import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { NavLink, Navigate, Route, Routes } from 'react-router';
import { api, setCsrfToken } from './api/client';
import { AdminPage } from './pages/admin';
import { AdvisoriesList, AdvisoryPage } from './pages/advisories';
import { CaseWorkspace } from './pages/case-workspace';
import { CasesList } from './pages/cases';
import { ClusterPage } from './pages/cluster';
import { FrontierPage } from './pages/frontier';
import { GovernancePage } from './pages/governance';
import { OperatorHome } from './pages/operator-home';
import { ScanningPage } from './pages/scanning';
import { SignIn } from './pages/sign-in';
import { SubmitFindings } from './pages/submit';
import { TriageQueue } from './pages/triage-queue';
import { ValidationJobs, ValidationNavLink } from './pages/validation-jobs';
import { WebhooksPage } from './pages/webhooks';
import { SessionContext, offers, useSession, type Session, type SessionState } from './session';
import { TlpBannerProvider } from './tlp';

/** Who is signed in: GET /api/v1/session with the cookie; null when nobody is. */
function useCurrentSession() {
  return useQuery({
    queryKey: ['session'],
    queryFn: async (): Promise<Session | null> => {
      const { data, response } = await api.GET('/api/v1/session');
      if (response.status === 401) return null;
      if (data === undefined) throw new Error(`the server answered ${response.status}`);
      return data;
    },
  });
}

export function App() {
  const current = useCurrentSession();
  const queries = useQueryClient();
  const session = current.data ?? null;
  setCsrfToken(session?.csrfToken ?? null);

  const signOut = useCallback(async () => {
    await api.DELETE('/api/v1/session');
    setCsrfToken(null);
    queries.setQueryData(['session'], null);
    // Nothing the last user saw stays in memory for the next one.
    queries.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
  }, [queries]);
  const state = useMemo<SessionState | null>(() => (session === null ? null : { session, signOut }), [session, signOut]);

  if (current.isPending) return <p className="loading">Loading…</p>;
  if (current.isError) return <p role="alert">The server could not be reached: {current.error.message}</p>;
  if (state === null) {
    return (
      <TlpBannerProvider>
        <main>
          <SignIn onSignedIn={(s) => queries.setQueryData(['session'], s)} />
        </main>
      </TlpBannerProvider>
    );
  }
  const can = offers(state.session);
  const home = can.triage ? '/triage' : state.session.org.kind === 'operator' ? '/operator' : can.submit ? '/submit' : '/account';
  return (
    <SessionContext.Provider value={state}>
      <TlpBannerProvider>
        <header className="top">
          <span className="brand">Clearinghouse</span>
          <nav aria-label="Main">
            {can.triage && <NavLink to="/triage">Triage queue</NavLink>}
            <ValidationNavLink />
            {can.operatorHome && state.session.org.kind === 'operator' && <NavLink to="/operator">My advisories</NavLink>}
            <NavLink to="/cases">Cases</NavLink>
            <NavLink to="/advisories">Advisories</NavLink>
            <NavLink to="/scanning">Scanning</NavLink>
            <NavLink to="/frontier">Frontier</NavLink>
            <NavLink to="/governance">Governance</NavLink>
            {can.submit && <NavLink to="/submit">Submit findings</NavLink>}
            <NavLink to="/webhooks">Webhooks</NavLink>
            {state.session.user.role === 'admin' && <NavLink to="/admin">Administration</NavLink>}
            <NavLink to="/account">Account</NavLink>
          </nav>
          <span className="who">
            {state.session.user.name} · {state.session.org.name} ({state.session.org.kind}, {state.session.user.role})
          </span>
          <button type="button" onClick={() => void state.signOut()}>
            Sign out
          </button>
        </header>
        <main>
          <Routes>
            <Route path="/" element={<Navigate to={home} replace />} />
            <Route path="/triage" element={<TriageQueue />} />
            <Route path="/clusters/:id" element={<ClusterPage />} />
            <Route path="/validate" element={<ValidationJobs />} />
            <Route path="/cases" element={<CasesList />} />
            <Route path="/cases/:id" element={<CaseWorkspace />} />
            <Route path="/advisories" element={<AdvisoriesList />} />
            <Route path="/advisories/:id" element={<AdvisoryPage />} />
            <Route path="/scanning" element={<ScanningPage />} />
            <Route path="/frontier" element={<FrontierPage />} />
            <Route path="/governance" element={<GovernancePage />} />
            <Route path="/webhooks" element={<WebhooksPage />} />
            <Route path="/admin" element={<AdminPage />} />
            <Route path="/operator" element={<OperatorHome />} />
            <Route path="/submit" element={<SubmitFindings />} />
            <Route path="/account" element={<Account />} />
            <Route path="*" element={<p>No such page.</p>} />
          </Routes>
        </main>
      </TlpBannerProvider>
    </SessionContext.Provider>
  );
}

function Account() {
  const { session } = useSession();
  return (
    <section aria-labelledby="account-title">
      <h1 id="account-title">Account</h1>
      <dl>
        <dt>Name</dt>
        <dd>{session.user.name}</dd>
        <dt>E-mail</dt>
        <dd>{session.user.email}</dd>
        <dt>Organisation</dt>
        <dd>
          {session.org.name} ({session.org.kind})
        </dd>
        <dt>Role</dt>
        <dd>{session.user.role}</dd>
        <dt>Session ends</dt>
        <dd>
          {session.expiresAt === null ? 'never' : <time dateTime={session.expiresAt}>{new Date(session.expiresAt).toLocaleString()}</time>}
        </dd>
      </dl>
    </section>
  );
}
