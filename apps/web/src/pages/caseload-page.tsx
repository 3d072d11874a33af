import { useState } from 'react';
import type { ApiError } from '../api/client';
import { CaseloadDocument, type CaseloadFilter, type CaseloadQuery, type CaseloadSort } from '../api/generated';
import { useApi, useQuery } from '../api/hooks';
import { Layout } from '../components/layout';
import { ErrorMessage, QueryView } from '../components/status';
import { useI18n, type I18n } from '../i18n/i18n';
import { unreadCount, useNotifications } from '../notifications';
import { Link, useSearchParams } from '../router';
import { CASELOAD_PAGE, caseloadQuery, caseloadViewOf, SHOWS, SORTS, type Show } from './caseload-view';

/** "i dag", "för 1 dag sedan", "för 12 dagar sedan" (the days are the server's, in Swedish calendar days). */
export function daysAgo(t: I18n['t'], days: number): string {
  return days === 0 ? t('overview.today') : days === 1 ? t('overview.dayAgo') : t('overview.daysAgo', { days });
}

function useCaseloadView() {
  const [params, setParams] = useSearchParams();
  const view = caseloadViewOf(params);
  const set = (change: { show?: Show; sort?: CaseloadSort; days?: number }) => {
    const next = { ...view, ...change };
    const query = new URLSearchParams();
    if (next.show !== 'all') query.set('visa', next.show);
    if (next.show === 'noContact') query.set('dagar', String(next.days));
    if (next.sort !== 'FOLLOW_UP') query.set('ordning', next.sort);
    setParams(query, { replace: true });
  };
  return { ...view, set };
}

export function CaseloadPage() {
  const { t } = useI18n();
  const view = useCaseloadView();
  const { document, variables } = caseloadQuery(view);
  const caseload = useQuery(document, variables);
  return (
    <Layout title={t('caseload.title')}>
      <p className="lead">{t('caseload.intro')}</p>
      <CaseloadControls view={view} />
      <QueryView state={caseload}>
        {(data) =>
          data.caseload.edges.length === 0 ? (
            <p role="status">{view.filter ? t('overview.caseloadNoneMatch') : t('caseload.empty')}</p>
          ) : (
            <CaseloadTable
              key={`${view.sort}:${JSON.stringify(view.filter)}:${data.caseload.pageInfo.endCursor}`}
              first={data.caseload}
              sort={view.sort}
              filter={view.filter}
            />
          )
        }
      </QueryView>
    </Layout>
  );
}

/** Which persons to show and in which order; the server filters and sorts (the caseload is paged). */
function CaseloadControls({ view }: { view: ReturnType<typeof useCaseloadView> }) {
  const { t } = useI18n();
  const [days, setDays] = useState(String(view.days));
  const showLabel: Record<Show, string> = {
    all: t('overview.showAll'),
    overdue: t('overview.showOverdue'),
    vote: t('overview.showAwaitingVote'),
    noContact: t('overview.showNoContact'),
  };
  const sortLabel: Record<CaseloadSort, string> = {
    FOLLOW_UP: t('overview.sortFollowUp'),
    LAST_CONTACT: t('overview.sortLastContact'),
    NAME: t('overview.sortName'),
  };
  const applyDays = () => {
    const n = Number.parseInt(days, 10);
    if (Number.isFinite(n) && n >= 0 && n <= 3650) view.set({ days: n });
    else setDays(String(view.days));
  };
  return (
    <div className="row caseload-controls" role="group" aria-label={t('overview.caseloadControls')}>
      <div className="field">
        <label htmlFor="caseload-show">{t('overview.show')}</label>
        <select id="caseload-show" value={view.show} onChange={(e) => view.set({ show: e.target.value as Show })}>
          {SHOWS.map((s) => (
            <option key={s} value={s}>
              {showLabel[s]}
            </option>
          ))}
        </select>
      </div>
      {view.show === 'noContact' && (
        <div className="field">
          <label htmlFor="caseload-days">{t('overview.noContactDays')}</label>
          <input
            id="caseload-days"
            type="number"
            min={0}
            max={3650}
            inputMode="numeric"
            value={days}
            onChange={(e) => setDays(e.target.value)}
            onBlur={applyDays}
            onKeyDown={(e) => e.key === 'Enter' && applyDays()}
          />
        </div>
      )}
      <div className="field">
        <label htmlFor="caseload-sort">{t('overview.sort')}</label>
        <select
          id="caseload-sort"
          value={view.sort}
          onChange={(e) => view.set({ sort: e.target.value as CaseloadSort })}
        >
          {SORTS.map((s) => (
            <option key={s} value={s}>
              {sortLabel[s]}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

/** The caseload, one page of CASELOAD_PAGE persons at a time, in the order and with the filter chosen. */
function CaseloadTable({
  first,
  sort,
  filter,
}: {
  first: CaseloadQuery['caseload'];
  sort: CaseloadSort;
  filter: CaseloadFilter | null;
}) {
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
      const next = await api.request(CaseloadDocument, {
        first: CASELOAD_PAGE,
        after: last.pageInfo.endCursor,
        sort,
        filter,
      });
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
            <th scope="col">{t('overview.lastContact')}</th>
            <th scope="col">{t('caseload.openDecisions')}</th>
            <th scope="col">{t('caseload.unread')}</th>
            <th scope="col" className="reasons">
              {t('caseload.reasons')}
            </th>
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
                    {node.person.protectedIdentity !== 'NONE' && (
                      <span className="tag tag-warning">{t('caseload.protectedIdentity')}</span>
                    )}
                  </th>
                  <td>
                    {node.planStatus ? (
                      <span className={`tag plan-${node.planStatus.toLowerCase()}`}>
                        {label('SipPlanStatus', node.planStatus)}
                      </span>
                    ) : (
                      <span className="muted">{t('caseload.noPlan')}</span>
                    )}
                  </td>
                  <td>
                    {date(node.nextFollowUpOn)}
                    {node.followUpOverdue && <span className="tag tag-danger">{t('caseload.overdue')}</span>}
                  </td>
                  <td>
                    {node.daysSinceLastContact === null || node.daysSinceLastContact === undefined ? (
                      <span className="muted">{t('overview.noContactYet')}</span>
                    ) : (
                      daysAgo(t, node.daysSinceLastContact)
                    )}
                  </td>
                  <td className="number">
                    {open > 0 ? <Link to={`/persons/${node.personId}/decisions`}>{open}</Link> : 0}
                    {node.votesMissing > 0 && <span className="tag tag-warning">{t('overview.yourVoteMissing')}</span>}
                  </td>
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
