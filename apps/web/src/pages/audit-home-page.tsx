// Where an auditor lands: what there is to review, and whether the access log's hash chain holds.
import { AccessLogVerificationDocument } from '../api/generated';
import { useQuery } from '../api/hooks';
import { AuditLayout } from '../components/audit';
import { QueryView } from '../components/status';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { Link } from '../router';

const PAGES: Array<[string, 'person' | 'staff' | 'sample' | 'emergency' | 'protection' | 'endings']> = [
  ['/audit/person', 'person'],
  ['/audit/staff', 'staff'],
  ['/audit/sample', 'sample'],
  ['/audit/emergency', 'emergency'],
  ['/audit/protection', 'protection'],
  ['/audit/endings', 'endings'],
];

export function AuditHomePage() {
  const { t } = useI18n();
  return (
    <AuditLayout title={t('audit.homeTitle')}>
      <p className="lead">{t('audit.homeIntro')}</p>
      <ul className="audit-links">
        {PAGES.map(([to, key]) => (
          <li key={to}>
            <Link to={to}>{t(`audit.nav.${key}` as MessageKey)}</Link>
            <p className="hint">{t(`audit.links.${key}` as MessageKey)}</p>
          </li>
        ))}
      </ul>
      <ChainCard />
    </AuditLayout>
  );
}

/** The result of checking the whole chain (the API runs the same check as `npm run audit:verify`). */
function ChainCard() {
  const { t, dateTime } = useI18n();
  const verification = useQuery(AccessLogVerificationDocument, {});
  return (
    <section className="card" aria-labelledby="chain-title">
      <h2 id="chain-title">{t('audit.chain.title')}</h2>
      <QueryView state={verification}>
        {({ accessLogVerification: v }) => (
          <>
            <p className={v.ok ? 'notice notice-ok' : 'status status-error'} role="status">
              {v.ok ? t('audit.chain.ok') : t('audit.chain.broken')}
            </p>
            <p>{t('audit.chain.counts', { sealed: v.sealed, unsealed: v.unsealed })}</p>
            {v.headSeq && (
              <p className="chain-hash">{t('audit.chain.head', { seq: v.headSeq, hash: v.headHash ?? '' })}</p>
            )}
            {v.problems.length > 0 && (
              <ul>
                {v.problems.map((p, i) => (
                  <li key={`${p.chainSeq}-${i}`}>
                    {t('audit.chain.problem', { seq: p.chainSeq })}{' '}
                    {t(`audit.chain.problems.${p.code}`, {
                      at: p.params.at ? dateTime(p.params.at) : '',
                      line: p.params.line ?? '',
                    })}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </QueryView>
    </section>
  );
}
