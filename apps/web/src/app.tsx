// Routes, and the providers every page needs. Signed out, every path shows the login page.
import { useEffect, useMemo } from 'react';
import { ApiClient } from './api/client';
import { ApiProvider } from './api/hooks';
import { I18nProvider } from './i18n/i18n';
import { NotificationsProvider } from './notifications';
import { AdminActTeamsPage } from './pages/admin-act-teams-page';
import { AdminHomePage } from './pages/admin-home-page';
import { AdminDeliveriesPage, AdminIntegrationsPage } from './pages/admin-integrations-page';
import { AdminStaffPage } from './pages/admin-staff-page';
import { CaseloadPage } from './pages/caseload-page';
import { DecisionsPage } from './pages/decisions-page';
import { FindPersonPage } from './pages/find-person-page';
import { GroupPage } from './pages/group-page';
import { LoginPage } from './pages/login-page';
import { NotificationsPage } from './pages/notifications-page';
import { PersonDetailsPage } from './pages/person-details-page';
import { PersonPage } from './pages/person-page';
import { PlanPage } from './pages/plan-page';
import { RegisterPersonPage } from './pages/register-person-page';
import { ReportsPage } from './pages/reports-page';
import { SettingsPage } from './pages/settings-page';
import { TeamPage } from './pages/team-page';
import { Route, Router, Switch } from './router';
import { SessionProvider, useSession } from './session';

/** Every page of the signed-in client, by path (the language test walks this list). */
function Pages() {
  return (
    <Switch>
      <Route path="/find" component={FindPersonPage} />
      <Route path="/persons/new" component={RegisterPersonPage} />
      <Route path="/persons/:id/details">{(params) => <PersonDetailsPage personId={params.id} />}</Route>
      <Route path="/persons/:id/plan">{(params) => <PlanPage personId={params.id} />}</Route>
      <Route path="/persons/:id/group">{(params) => <GroupPage personId={params.id} />}</Route>
      <Route path="/persons/:id/decisions">{(params) => <DecisionsPage personId={params.id} />}</Route>
      <Route path="/persons/:id">{(params) => <PersonPage key={params.id} personId={params.id} />}</Route>
      <Route path="/notifications" component={NotificationsPage} />
      <Route path="/settings" component={SettingsPage} />
      <Route path="/team" component={TeamPage} />
      <Route path="/reports" component={ReportsPage} />
      <Route path="/admin" component={AdminHomePage} />
      <Route path="/admin/staff" component={AdminStaffPage} />
      <Route path="/admin/act-teams" component={AdminActTeamsPage} />
      <Route path="/admin/integrations" component={AdminIntegrationsPage} />
      <Route path="/admin/deliveries" component={AdminDeliveriesPage} />
      <Route component={StartPage} />
    </Switch>
  );
}

/** Where one lands: the caseload, or for an administrator (who has none) the administration. */
function StartPage() {
  const { staff } = useSession();
  return staff?.administrator ? <AdminHomePage /> : <CaseloadPage />;
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
