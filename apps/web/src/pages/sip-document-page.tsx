// The SIP document for the person: a print view that prints clean A4 pages (the page's frame, buttons and
// links are left out by the print style sheet), in the person's language, and the same as a PDF the API makes.
// Both come from one query (sip-document.graphql), so they hold only what the reader's organisation may see.
import { useEffect, useState } from 'react';
import { ApiError } from '../api/client';
import { SipDocumentDocument, type SipDocumentQuery } from '../api/generated';
import { useApi, useQuery } from '../api/hooks';
import { Layout } from '../components/layout';
import { ErrorMessage, QueryView } from '../components/status';
import { InLanguage, useI18n, type Language } from '../i18n/i18n';
import { Link } from '../router';

type Overview = SipDocumentQuery['patientOverview'];

/** While the page is open, printing prints the document alone (styles.css, body.printing-document). */
function usePrintingDocument() {
  useEffect(() => {
    document.body.classList.add('printing-document');
    return () => document.body.classList.remove('printing-document');
  }, []);
}

export function SipDocumentPage({ personId }: { personId: string }) {
  const { t } = useI18n();
  const api = useApi();
  const query = useQuery(SipDocumentDocument, { personId });
  const [downloadError, setDownloadError] = useState<ApiError | null>(null);
  const [downloading, setDownloading] = useState(false);
  usePrintingDocument();

  const download = async () => {
    setDownloading(true);
    setDownloadError(null);
    try {
      await api.download(`/documents/persons/${encodeURIComponent(personId)}/sip-plan.pdf`, 'sip-plan.pdf');
    } catch (error) {
      setDownloadError(error instanceof ApiError ? error : new ApiError('failed', 'download failed'));
    } finally {
      setDownloading(false);
    }
  };

  return (
    <Layout title={t('sipDocument.pageTitle')}>
      <div className="document-actions no-print">
        <Link to={`/persons/${personId}/plan`}>{t('sipDocument.backToPlan')}</Link>
        <button type="button" className="button" onClick={() => window.print()} disabled={!query.data}>
          {t('sipDocument.print')}
        </button>
        <button
          type="button"
          className="button secondary"
          onClick={download}
          disabled={!query.data || downloading}
          aria-busy={downloading}
        >
          {t('sipDocument.downloadPdf')}
        </button>
      </div>
      {downloadError && (
        <div className="no-print">
          <ErrorMessage error={downloadError} />
        </div>
      )}
      <QueryView state={query}>
        {(data) => {
          const language: Language = data.patientOverview.person.preferredLanguage === 'EN' ? 'en' : 'sv';
          return (
            <>
              <p className="no-print muted">
                {t('sipDocument.inLanguage', { language: t(`sipDocument.languages.${language}`) })}
              </p>
              <InLanguage language={language}>
                <SipDocument overview={data.patientOverview} language={language} />
              </InLanguage>
            </>
          );
        }}
      </QueryView>
    </Layout>
  );
}

function SipDocument({ overview, language }: { overview: Overview; language: Language }) {
  const { t, label, date, dateTime } = useI18n();
  const plan = overview.sipPlan;
  const name = `${overview.person.givenName} ${overview.person.familyName}`;
  const withheld = overview.consent.withheldFromYou.includes('SIP_PLAN');
  const coordinator = overview.collaborationGroup?.coordinator ?? null;
  const contacts = overview.responsibilities
    .flatMap((r) => r.contacts.map((c) => ({ ...c.staff, organisation: r.organisation.name })))
    .filter((c, i, all) => c.id !== coordinator?.id && all.findIndex((o) => o.id === c.id) === i);
  const followUp = overview.nextFollowUpOn ?? plan?.followUpOn ?? null;
  // The version the plan was last adopted at (versions come newest first), and whether the person approved it.
  const adopted = plan?.versions.find((v) => v.adopted);
  const todayIso = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });

  return (
    <article className="sip-document" lang={language} aria-labelledby="sip-document-title">
      <header className="sip-document-header">
        <h2 id="sip-document-title">{t('sipDocument.title')}</h2>
        <p className="sip-document-person">{t('sipDocument.forPerson', { name })}</p>
        {plan && (
          <p className="muted">
            {t('sipDocument.printed', {
              date: date(todayIso),
              version: plan.version,
              status: label('SipPlanStatus', plan.status).toLowerCase(),
            })}
          </p>
        )}
        {adopted && !withheld && (
          <p className="sip-document-approval">
            {adopted.approval
              ? t('sipDocument.approvedBy', {
                  date: date(adopted.approval.recordedAt),
                  how: label('PlanApprovalMethod', adopted.approval.method).toLowerCase(),
                })
              : t('sipDocument.notApproved')}
          </p>
        )}
      </header>
      {withheld ? (
        <p>{t('sipDocument.withheld')}</p>
      ) : !plan ? (
        <p>{t('sipDocument.noPlan')}</p>
      ) : (
        <>
          <section aria-labelledby="doc-goals">
            <h3 id="doc-goals">{t('sipDocument.goals')}</h3>
            <p className="sip-document-goals">{plan.personGoals.trim() || t('sipDocument.noGoals')}</p>
          </section>
          <section aria-labelledby="doc-needs">
            <h3 id="doc-needs">{t('sipDocument.needs')}</h3>
            {plan.needs.length === 0 ? (
              <p>{t('sipDocument.noNeeds')}</p>
            ) : (
              <ul>
                {plan.needs.map((need) => (
                  <li key={need.id}>
                    <strong>{label('NeedArea', need.area)}:</strong> {need.description}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="doc-who">
            <h3 id="doc-who">{t('sipDocument.whoDoesWhat')}</h3>
            {plan.interventions.length === 0 ? (
              <p>{t('sipDocument.noInterventions')}</p>
            ) : (
              <ul className="sip-document-interventions">
                {plan.interventions.map((intervention) => (
                  <li key={intervention.id}>
                    <strong>{intervention.description}</strong>
                    <br />
                    {[intervention.responsibleOrganisation.name, intervention.responsibleUnit?.name]
                      .filter(Boolean)
                      .join(', ')}
                    .{' '}
                    {t('sipDocument.interventionStatus', {
                      status: label('InterventionStatus', intervention.status).toLowerCase(),
                    })}
                    .
                  </li>
                ))}
              </ul>
            )}
            {plan.otherMeasures.length > 0 && (
              <>
                <h4>{t('sipDocument.others')}</h4>
                <ul>
                  {plan.otherMeasures.map((measure) => (
                    <li key={measure.id}>
                      <strong>{measure.actorName}:</strong> {measure.description}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
          <section aria-labelledby="doc-when">
            <h3 id="doc-when">{t('sipDocument.byWhen')}</h3>
            <p>{followUp ? t('sipDocument.nextFollowUp', { date: date(followUp) }) : t('sipDocument.noFollowUp')}</p>
            {overview.nextSipMeeting && (
              <p>{t('sipDocument.nextMeeting', { when: dateTime(overview.nextSipMeeting.startsAt) })}</p>
            )}
          </section>
          <section aria-labelledby="doc-overall">
            <h3 id="doc-overall">{t('sipDocument.overall')}</h3>
            <p>{plan.overallResponsibilityOrganisation?.name ?? t('sipDocument.overallNone')}</p>
          </section>
        </>
      )}
      <section aria-labelledby="doc-contacts">
        <h3 id="doc-contacts">{t('sipDocument.contacts')}</h3>
        {!coordinator && contacts.length === 0 && <p>{t('sipDocument.noContacts')}</p>}
        <ul className="sip-document-contacts">
          {coordinator && (
            <li>
              {t('sipDocument.coordinator', {
                name: `${coordinator.givenName} ${coordinator.familyName}`,
                organisation: coordinator.organisation.name,
              })}
              <br />
              {coordinator.phone ? t('sipDocument.phone', { phone: coordinator.phone }) : t('sipDocument.noPhone')}
            </li>
          )}
          {contacts.map((contact) => (
            <li key={contact.id}>
              <strong>
                {contact.givenName} {contact.familyName}
              </strong>
              , {label('Profession', contact.profession).toLowerCase()}, {contact.organisation}
              <br />
              {contact.phone ? t('sipDocument.phone', { phone: contact.phone }) : t('sipDocument.noPhone')}
            </li>
          ))}
        </ul>
      </section>
    </article>
  );
}
