// The auditor's menu items in the header: the audit pages (an auditor has no caseload).
import { useI18n } from '../i18n/i18n';
import { Link } from '../router';

/** The auditor's items in the header's menu (an auditor has no care pages there). */
export function AuditMenuItems({ path }: { path: string }) {
  const { t } = useI18n();
  const items: Array<[string, string]> = [
    ['/', t('audit.nav.home')],
    ['/audit/person', t('audit.nav.person')],
    ['/audit/staff', t('audit.nav.staff')],
    ['/audit/sample', t('audit.nav.sample')],
    ['/audit/emergency', t('audit.nav.emergency')],
    ['/audit/protection', t('audit.nav.protection')],
    ['/audit/endings', t('audit.nav.endings')],
  ];
  return (
    <>
      {items.map(([to, text]) => (
        <li key={to} className={path === to ? 'active' : undefined}>
          <Link to={to}>{text}</Link>
        </li>
      ))}
    </>
  );
}
