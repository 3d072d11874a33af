// Routes, and the providers every page needs. Signed out, every path shows the login page.
import { useEffect, useMemo } from 'react';
import { ApiClient } from './api/client';
import { adopt, adoptServerState, ApiProvider, useApi } from './api/hooks';
import type { Boot } from './boot';
import { I18nProvider } from './i18n/i18n';
import { NotificationsProvider } from './notifications';
import { lazyPage } from './components/lazy-page';
import { CaseloadPage } from './pages/caseload-page';
import { LoginPage } from './pages/login-page';
import { PersonPage } from './pages/person-page';
import { prefetchPage } from './route-data';
import { Route, Router, Switch, usePath, useSearchParams } from './router';
import { SessionProvider, useSession } from './session';

// The caseload and a person's overview are where nearly every visit starts: they come with the first load.
// Every other page is fetched when first opened (see components/lazy-page.tsx).
const FindPersonPage = lazyPage(() => import('./pages/find-person-page').then((m) => m.FindPersonPage));
const RegisterPersonPage = lazyPage(() => import('./pages/register-person-page').then((m) => m.RegisterPersonPage));
const PersonDetailsPage = lazyPage(() => import('./pages/person-details-page').then((m) => m.PersonDetailsPage));
const PlanPage = lazyPage(() => import('./pages/plan-page').then((m) => m.PlanPage));
const SipDocumentPage = lazyPage(() => import('./pages/sip-document-page').then((m) => m.SipDocumentPage));
const GroupPage = lazyPage(() => import('./pages/group-page').then((m) => m.GroupPage));
const DecisionsPage = lazyPage(() => import('./pages/decisions-page').then((m) => m.DecisionsPage));
const NotificationsPage = lazyPage(() => import('./pages/notifications-page').then((m) => m.NotificationsPage));
const SettingsPage = lazyPage(() => import('./pages/settings-page').then((m) => m.SettingsPage));
const TeamPage = lazyPage(() => import('./pages/team-page').then((m) => m.TeamPage));
const ReportsPage = lazyPage(() => import('./pages/reports-page').then((m) => m.ReportsPage));
const AdminHomePage = lazyPage(() => import('./pages/admin-home-page').then((m) => m.AdminHomePage));
const AdminStaffPage = lazyPage(() => import('./pages/admin-staff-page').then((m) => m.AdminStaffPage));
const AdminActTeamsPage = lazyPage(() => import('./pages/admin-act-teams-page').then((m) => m.AdminActTeamsPage));
const AdminIntegrationsPage = lazyPage(() =>
  import('./pages/admin-integrations-page').then((m) => m.AdminIntegrationsPage),
);
const AdminDeliveriesPage = lazyPage(() =>
  import('./pages/admin-integrations-page').then((m) => m.AdminDeliveriesPage),
);
const AdminWebhooksPage = lazyPage(() => import('./pages/admin-webhooks-page').then((m) => m.AdminWebhooksPage));
const AuditHomePage = lazyPage(() => import('./pages/audit-home-page').then((m) => m.AuditHomePage));
const AuditPersonLogPage = lazyPage(() => import('./pages/audit-log-pages').then((m) => m.AuditPersonLogPage));
const AuditStaffLogPage = lazyPage(() => import('./pages/audit-log-pages').then((m) => m.AuditStaffLogPage));
const AuditSamplePage = lazyPage(() => import('./pages/audit-sample-page').then((m) => m.AuditSamplePage));
const AuditEmergencyPage = lazyPage(() => import('./pages/audit-reviews-page').then((m) => m.AuditEmergencyPage));
const AuditProtectionPage = lazyPage(() => import('./pages/audit-reviews-page').then((m) => m.AuditProtectionPage));
const AuditEndingsPage = lazyPage(() => import('./pages/audit-reviews-page').then((m) => m.AuditEndingsPage));

/** Every page of the signed-in client, by path (the language test walks this list). */
function Pages() {
  // On each navigation, start what the next page reads first, together with the page itself.
  const api = useApi();
  const path = usePath();
  const [search] = useSearchParams();
  const query = search.toString();
  useEffect(() => prefetchPage(api, path, new URLSearchParams(query)), [api, path, query]);
  return (
    <Switch>
      <Route path="/find" component={FindPersonPage} />
      <Route path="/persons/new" component={RegisterPersonPage} />
      <Route path="/persons/:id/details">{(params) => <PersonDetailsPage personId={params.id} />}</Route>
      <Route path="/persons/:id/plan/document">{(params) => <SipDocumentPage personId={params.id} />}</Route>
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
      <Route path="/admin/webhooks" component={AdminWebhooksPage} />
      <Route path="/audit" component={AuditHomePage} />
      <Route path="/audit/person" component={AuditPersonLogPage} />
      <Route path="/audit/staff" component={AuditStaffLogPage} />
      <Route path="/audit/sample" component={AuditSamplePage} />
      <Route path="/audit/emergency" component={AuditEmergencyPage} />
      <Route path="/audit/protection" component={AuditProtectionPage} />
      <Route path="/audit/endings" component={AuditEndingsPage} />
      <Route component={StartPage} />
    </Switch>
  );
}

/** Where one lands: the caseload, or for an administrator or an auditor (who have none) their own pages. */
function StartPage() {
  const { staff } = useSession();
  if (staff?.auditor) return <AuditHomePage />;
  return staff?.administrator ? <AdminHomePage /> : <CaseloadPage />;
}

function SignedIn({ boot }: { boot: Boot | null }) {
  const { staff, checking, expired } = useSession();
  // One client (and live connection) per sign-in, on start the one that already asked for this page's data;
  // a session the API no longer accepts returns to the login page.
  const client = useMemo(() => {
    const started = staff ? boot?.claim(staff.id) : null;
    const api = started?.client ?? new ApiClient();
    if (started) adopt(api, started.reads);
    // The API rendered the first screen for this staff member: the pages find its answers in the cache.
    const server = staff ? boot?.claimServerState?.(staff.id) : null;
    if (server) adoptServerState(api, server);
    api.onUnauthenticated = expired;
    return api;
  }, [staff?.id, expired, boot]);
  useEffect(() => () => client.close(), [client]);
  if (checking) return null;
  if (!staff)
    return (
      <ApiProvider client={client}>
        <LoginPage />
      </ApiProvider>
    );
  return (
    <ApiProvider client={client}>
      <NotificationsProvider>
        <Pages />
      </NotificationsProvider>
    </ApiProvider>
  );
}

/** `location` is the page's path and query string when the API renders it (server-entry.tsx); the browser's otherwise. */
export function App({ boot = null, location }: { boot?: Boot | null; location?: string }) {
  return (
    <I18nProvider>
      {/* Rendered by the API, the page starts signed in as whom the API rendered it for (no question to ask). */}
      <SessionProvider boot={boot} initial={boot?.server?.me}>
        <Router ssrPath={location}>
          <SignedIn boot={boot} />
        </Router>
      </SessionProvider>
    </I18nProvider>
  );
}
