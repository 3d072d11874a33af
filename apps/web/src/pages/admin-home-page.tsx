// Administration: where an administrator lands (they have no caseload), and the way into each admin page.
// The API decides who may do what; these pages only leave out what the signed-in staff member may not use.
import type { ReactNode } from 'react';
import { Layout } from '../components/layout';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { Link } from '../router';
import { administers, useSession } from '../session';

/** The page's content for those it is for; a plain notice for everyone else (the API refuses them anyway). */
export function AdminOnly({
  title,
  organisationAdministrators,
  children,
}: {
  title: string;
  organisationAdministrators?: boolean;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const { staff } = useSession();
  const allowed = staff?.administrator || (organisationAdministrators && administers(staff));
  return (
    <Layout title={title}>
      {allowed ? children : <p className="notice notice-warning">{t('admin.notForYou')}</p>}
    </Layout>
  );
}

const SECTIONS: Array<{ to: string; title: MessageKey; text: MessageKey; organisationAdministrators?: boolean }> = [
  { to: '/admin/staff', title: 'admin.staff.title', text: 'admin.home.staff', organisationAdministrators: true },
  { to: '/admin/act-teams', title: 'admin.teams.title', text: 'admin.home.teams' },
  { to: '/admin/integrations', title: 'admin.integrations.title', text: 'admin.home.integrations' },
  { to: '/admin/deliveries', title: 'admin.deliveries.title', text: 'admin.home.deliveries' },
  {
    to: '/admin/webhooks',
    title: 'admin.webhooks.title',
    text: 'admin.home.webhooks',
    organisationAdministrators: true,
  },
];

export function AdminHomePage() {
  const { t } = useI18n();
  const { staff } = useSession();
  return (
    <AdminOnly title={t('admin.home.title')} organisationAdministrators>
      <p>
        {staff?.administrator
          ? t('admin.home.intro')
          : t('admin.home.introOrganisation', { organisation: staff?.organisation.name ?? '' })}
      </p>
      <ul className="admin-sections">
        {SECTIONS.filter((s) => staff?.administrator || s.organisationAdministrators).map((s) => (
          <li key={s.to} className="card">
            <h2>
              <Link to={s.to}>{t(s.title)}</Link>
            </h2>
            <p>{t(s.text)}</p>
          </li>
        ))}
        {staff?.administrator && (
          <li className="card">
            <h2>
              {/* Bull Board is the API's own page, not one of the client's: a full page load. */}
              <a href="/admin/queues">{t('admin.home.queues')}</a>
            </h2>
            <p>{t('admin.home.queuesText')}</p>
          </li>
        )}
      </ul>
    </AdminOnly>
  );
}
