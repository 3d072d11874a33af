import { ReportDataDocument } from '../api/generated';
import { useQuery } from '../api/hooks';
import { BarChart } from '../components/bar-chart';
import { Layout } from '../components/layout';
import { QueryView } from '../components/status';
import { useI18n } from '../i18n/i18n';
import { localDate } from '../lib/local-time';
import { computeReports } from '../lib/reports';
import { CASELOAD_PAGE } from './caseload-view';

export function ReportsPage() {
  const { t, label, language } = useI18n();
  const query = useQuery(ReportDataDocument, { first: CASELOAD_PAGE });
  const monthName = (month: string) =>
    new Date(`${month}-15T12:00:00Z`).toLocaleDateString(language === 'sv' ? 'sv-SE' : 'en-GB', {
      month: 'short',
      year: 'numeric',
    });
  return (
    <Layout title={t('reports.title')}>
      <p className="lead">{t('reports.intro')}</p>
      <QueryView state={query}>
        {(data) => {
          const r = computeReports(
            data.caseload.edges.map((e) => e.node),
            localDate(),
          );
          return (
            <div className="grid">
              {data.caseload.pageInfo.hasNextPage && (
                <p className="notice notice-warning wide">{t('reports.truncated', { count: String(CASELOAD_PAGE) })}</p>
              )}
              <section className="card">
                <BarChart
                  title={t('reports.caseload')}
                  data={[...r.byPlanStatus].map(([status, value]) => ({
                    label: status === 'NONE' ? t('caseload.noPlan') : label('SipPlanStatus', status),
                    value,
                  }))}
                />
              </section>
              <section className="card">
                <BarChart
                  title={t('reports.gender')}
                  data={[...r.byGender].map(([gender, value]) => ({ label: label('LegalGender', gender), value }))}
                />
              </section>
              <section className="card">
                <BarChart
                  title={t('reports.followUps')}
                  data={[
                    { label: t('reports.onTime'), value: r.followUps.onTime, tone: 'ok' },
                    { label: t('reports.overdue'), value: r.followUps.overdue, tone: 'danger' },
                    { label: t('reports.noDate'), value: r.followUps.noDate, tone: 'warning' },
                  ]}
                />
              </section>
              <section className="card">
                <BarChart
                  title={t('reports.moves')}
                  data={r.movesByMonth.map((m) => ({ label: monthName(m.month), value: m.moves }))}
                />
              </section>
            </div>
          );
        }}
      </QueryView>
    </Layout>
  );
}
