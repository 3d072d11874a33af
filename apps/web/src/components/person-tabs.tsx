import { useI18n } from '../i18n/i18n';
import { Link } from '../router';

/** The three views of one person. */
export function PersonTabs({ personId }: { personId: string }) {
  const { t } = useI18n();
  const base = `/persons/${personId}`;
  return (
    <nav className="tabs" aria-label={t('caseload.person')}>
      <Link to={base}>{t('person.overview')}</Link>
      <Link to={`${base}/plan`}>{t('person.plan')}</Link>
      <Link to={`${base}/group`}>{t('group.tab')}</Link>
      <Link to={`${base}/decisions`}>{t('person.decisions')}</Link>
      <Link to={`${base}/details`}>{t('personDetails.tab')}</Link>
    </nav>
  );
}
