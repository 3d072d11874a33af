import { useState } from 'react';
import type { ApiError } from '../api/client';
import { CaseloadDocument, type CaseloadQuery } from '../api/generated';
import { useApi, useQuery } from '../api/hooks';
import { Layout } from '../components/layout';
import { ErrorMessage, QueryView } from '../components/status';
import { useI18n } from '../i18n/i18n';
import { unreadCount, useNotifications } from '../notifications';
import { Link } from '../router';

/** The most persons one page shows (the API's page maximum); an ACT case manager has about ten. */
export const CASELOAD_PAGE = 200;

export function CaseloadPage() {
  const { t } = useI18n();
  const caseload = useQuery(CaseloadDocument, { first: CASELOAD_PAGE });
  return (
    <Layout title={t('caseload.title')}>
      <p className="lead">{t('caseload.intro')}</p>
      <QueryView state={caseload}>{(data) => (data.caseload.edges.length === 0 ? <p>{t('caseload.empty')}</p> : <CaseloadTable key={data.caseload.pageInfo.endCursor} first={data.caseload} />)}</QueryView>
    </Layout>
  );
}

/** The caseload, one page of CASELOAD_PAGE persons at a time (soonest follow-up first). */
function CaseloadTable({ first }: { first: CaseloadQuery['caseload'] }) {
  const { t, label, date } = useI18n();
  const api = useApi();
  const notifications = useNotifications();
  const [pages, setPages] = useState([first]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const last = pages[pages.length - 1];
  const more = async () => {
    setBusy(true);
    setError(null);
    try {
      const next = await api.request(CaseloadDocument, { first: CASELOAD_PAGE, after: last.pageInfo.endCursor });
      setPages((p) => [...p, next.caseload]);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="table-wrap">
      <table className="caseload">
        <thead>
          <tr>
            <th scope="col">{t('caseload.person')}</th>
            <th scope="col">{t('caseload.plan')}</th>
            <th scope="col">{t('caseload.followUp')}</th>
            <th scope="col">{t('caseload.openDecisions')}</th>
            <th scope="col">{t('caseload.unread')}</th>
            <th scope="col" className="reasons">{t('caseload.reasons')}</th>
          </tr>
        </thead>
        <tbody>
          {pages
            .flatMap((page) => page.edges)
            .map(({ node }) => {
              const open = node.person.proposals.filter((p) => p.status === 'OPEN').length;
              const unread = unreadCount(notifications, node.personId);
              return (
                <tr key={node.personId}>
                  <th scope="row">
                    <Link to={`/persons/${node.personId}`}>
                      {node.person.givenName} {node.person.familyName}
                    </Link>
                    {node.person.protectedIdentity !== 'NONE' && <span className="tag tag-warning">{t('caseload.protectedIdentity')}</span>}
                  </th>
                  <td>{node.planStatus ? <span className={`tag plan-${node.planStatus.toLowerCase()}`}>{label('SipPlanStatus', node.planStatus)}</span> : <span className="muted">{t('caseload.noPlan')}</span>}</td>
                  <td>
                    {date(node.nextFollowUpOn)}
                    {node.followUpOverdue && <span className="tag tag-danger">{t('caseload.overdue')}</span>}
                  </td>
                  <td className="number">{open > 0 ? <Link to={`/persons/${node.personId}/decisions`}>{open}</Link> : 0}</td>
                  <td className="number">{unread}</td>
                  <td className="reasons">{node.reasons.map((r) => label('CaseloadReason', r)).join(', ')}</td>
                </tr>
              );
            })}
        </tbody>
      </table>
      {error && <ErrorMessage error={error} onRetry={more} />}
      {last.pageInfo.hasNextPage && (
        <button type="button" className="button secondary" disabled={busy} onClick={more}>
          {t('caseload.more', { count: String(CASELOAD_PAGE) })}
        </button>
      )}
    </div>
  );
}
