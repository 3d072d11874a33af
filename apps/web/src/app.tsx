// Routes, and the providers every page needs. Signed out, every path shows the login page.
import { useEffect, useMemo } from 'react';
import { ApiClient } from './api/client';
import { ApiProvider } from './api/hooks';
import { I18nProvider } from './i18n/i18n';
import { NotificationsProvider } from './notifications';
import { CaseloadPage } from './pages/caseload-page';
import { DecisionsPage } from './pages/decisions-page';
import { LoginPage } from './pages/login-page';
import { NotificationsPage } from './pages/notifications-page';
import { PersonPage } from './pages/person-page';
import { PlanPage } from './pages/plan-page';
import { ReportsPage } from './pages/reports-page';
import { SettingsPage } from './pages/settings-page';
import { TeamPage } from './pages/team-page';
import { match, Router, useRouter } from './router';
import { SessionProvider, useSession } from './session';

function Pages() {
  const { path } = useRouter();
  let params: Record<string, string> | null;
  if ((params = match('/persons/:id/plan', path))) return <PlanPage personId={params.id} />;
  if ((params = match('/persons/:id/decisions', path))) return <DecisionsPage personId={params.id} />;
  if ((params = match('/persons/:id', path))) return <PersonPage key={params.id} personId={params.id} />;
  if (match('/notifications', path)) return <NotificationsPage />;
  if (match('/settings', path)) return <SettingsPage />;
  if (match('/team', path)) return <TeamPage />;
  if (match('/reports', path)) return <ReportsPage />;
  return <CaseloadPage />;
}

function SignedIn() {
  const { staff, checking, expired } = useSession();
  // One client (and live connection) per sign-in; a session the API no longer accepts returns to the login page.
  const client = useMemo(() => new ApiClient({ onUnauthenticated: expired }), [staff?.id, expired]);
  useEffect(() => () => client.close(), [client]);
  if (checking) return null;
  if (!staff) return <ApiProvider client={client}><LoginPage /></ApiProvider>;
  return (
    <ApiProvider client={client}>
      <NotificationsProvider>
        <Pages />
      </NotificationsProvider>
    </ApiProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <Router>
          <SignedIn />
        </Router>
      </SessionProvider>
    </I18nProvider>
  );
}
