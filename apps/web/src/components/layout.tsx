// The frame around every signed-in page: skip link, header with menu, language and sign-out.
import { useEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';
import { unreadCount, useNotifications } from '../notifications';
import { Link, useRouter } from '../router';
import { administers, useSession } from '../session';
import { AuditMenuItems } from './audit-menu';

export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <div className="language" role="group" aria-label={t('language')}>
      <button
        type="button"
        className="link-button"
        aria-pressed={language === 'sv'}
        lang="sv"
        onClick={() => setLanguage('sv')}
      >
        Svenska
      </button>
      <button
        type="button"
        className="link-button"
        aria-pressed={language === 'en'}
        lang="en"
        onClick={() => setLanguage('en')}
      >
        English
      </button>
    </div>
  );
}

export function Layout({ title, children }: { title: string; children: ReactNode }) {
  const { t, label } = useI18n();
  const { staff, signOut } = useSession();
  const notifications = useNotifications();
  const unread = unreadCount(notifications);
  const { path } = useRouter();
  const heading = useRef<HTMLHeadingElement>(null);

  // A new page announces itself: the document title changes and focus moves to the page heading.
  useEffect(() => {
    document.title = `${title} – ${t('appName')}`;
  }, [title, t]);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, [path]);

  const withoutCare = staff?.administrator === true || staff?.auditor === true;
  const section = (prefix: string) =>
    path === prefix || (prefix !== '/' && path.startsWith(prefix)) ? 'active' : undefined;
  return (
    <>
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="app-header">
        <div className="brand">
          <Link to="/" className="brand-name">
            {t('appName')}
          </Link>
          {staff && (
            <span className="signed-in">
              {t('signedInAs', { name: `${staff.givenName} ${staff.familyName}` })} ·{' '}
              {label('Profession', staff.profession)}, {staff.organisation.name}
            </span>
          )}
        </div>
        <nav aria-label={t('nav.main')}>
          <ul>
            {/* An administrator has no caseload and sees no person: no care pages in the menu. */}
            <li
              hidden={withoutCare}
              className={section('/') === 'active' || path.startsWith('/persons') ? 'active' : undefined}
            >
              <Link to="/">{t('nav.caseload')}</Link>
            </li>
            <li hidden={withoutCare} className={section('/find')}>
              <Link to="/find">{t('findPerson.menu')}</Link>
            </li>
            <li className={section('/notifications') ?? section('/settings')}>
              <Link to="/notifications">
                {t('nav.notifications')}
                {unread > 0 && (
                  <span className="badge" aria-label={`${unread} ${t('notifications.unread')}`}>
                    {unread}
                  </span>
                )}
              </Link>
            </li>
            <li hidden={withoutCare} className={section('/team')}>
              <Link to="/team">{t('nav.team')}</Link>
            </li>
            <li hidden={withoutCare} className={section('/reports')}>
              <Link to="/reports">{t('nav.reports')}</Link>
            </li>
            {administers(staff) && (
              <li className={section('/admin')}>
                <Link to="/admin">{t('nav.admin')}</Link>
              </li>
            )}
            {staff?.auditor && <AuditMenuItems path={path} />}
          </ul>
        </nav>
        <div className="header-tools">
          <LanguageSwitch />
          <button type="button" className="button secondary small" onClick={signOut}>
            {t('signOut')}
          </button>
        </div>
      </header>
      <main id="main" className="page">
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {children}
      </main>
    </>
  );
}
