import { CaseloadDocument } from '../api/generated';
import { useQuery } from '../api/hooks';
import { Layout } from '../components/layout';
import { QueryView } from '../components/status';
import { useI18n } from '../i18n/i18n';
import { unreadCount, useNotifications } from '../notifications';
import { Link } from '../router';

/** The most persons one page shows (the API's page maximum); an ACT case manager has about ten. */
export const CASELOAD_PAGE = 200;

export function CaseloadPage() {
  const { t, label, date } = useI18n();
  const caseload = useQuery(CaseloadDocument, { first: CASELOAD_PAGE });
  const notifications = useNotifications();
  return (
    <Layout title={t('caseload.title')}>
      <p className="lead">{t('caseload.intro')}</p>
      <QueryView state={caseload}>
        {(data) =>
          data.caseload.edges.length === 0 ? (
            <p>{t('caseload.empty')}</p>
          ) : (
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
                  {data.caseload.edges.map(({ node }) => {
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
              {data.caseload.pageInfo.hasNextPage && <p className="notice notice-warning">{t('caseload.truncated', { count: String(CASELOAD_PAGE) })}</p>}
            </div>
          )
        }
      </QueryView>
    </Layout>
  );
}
