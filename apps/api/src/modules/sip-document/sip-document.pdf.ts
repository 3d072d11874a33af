import { today as swedishDay } from '@samverka/domain';
import PDFDocument from 'pdfkit';
import { DOCUMENT_LABELS, DOCUMENT_TEXTS, DocumentLanguage } from './sip-document.texts';
import { SipDocumentData } from './sip-document.query';

const TIME_ZONE = 'Europe/Stockholm';

function fill(text: string, vars: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ''));
}

function day(iso: string, language: DocumentLanguage): string {
  return new Date(`${iso}T12:00:00Z`).toLocaleDateString(language === 'sv' ? 'sv-SE' : 'en-GB', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  });
}

function moment(iso: string, language: DocumentLanguage): string {
  return new Date(iso).toLocaleString(language === 'sv' ? 'sv-SE' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: TIME_ZONE,
  });
}

/**
 * The SIP document for the person as a PDF (A4, plain words, the person's own goals first): built only from
 * what the reader's GraphQL query answered, so nothing a consent withholds from the reader's organisation
 * is in it. `today` is the printing day (ISO date).
 */
export function renderSipDocument(data: SipDocumentData, today: string): Promise<Buffer> {
  const overview = data.patientOverview;
  const language: DocumentLanguage = overview.person.preferredLanguage === 'EN' ? 'en' : 'sv';
  const t = (key: keyof (typeof DOCUMENT_TEXTS)['sv'], vars?: Record<string, string | number>) =>
    fill(DOCUMENT_TEXTS[language][key], vars);
  const label = (name: string, value: string) => DOCUMENT_LABELS[language][name]?.[value] ?? value;
  const name = `${overview.person.givenName} ${overview.person.familyName}`;
  const plan = overview.sipPlan;
  const withheld = overview.consent.withheldFromYou.includes('SIP_PLAN');

  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 56, left: 62, right: 62 },
    info: { Title: `${t('title')} – ${name}` },
    lang: language,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const heading = (text: string) => {
    doc.moveDown(0.8).font('Helvetica-Bold').fontSize(14).text(text).moveDown(0.3).font('Helvetica').fontSize(12);
  };
  const paragraph = (text: string, options: PDFKit.Mixins.TextOptions = {}) =>
    doc.font('Helvetica').fontSize(12).text(text, options);
  const item = (text: string) => doc.font('Helvetica').fontSize(12).text(text, { indent: 12 });

  doc.font('Helvetica-Bold').fontSize(20).text(t('title'));
  doc.font('Helvetica').fontSize(14).text(t('forPerson', { name }));
  if (plan)
    doc
      .fontSize(10)
      .fillColor('#333333')
      .text(
        t('printed', {
          date: day(today, language),
          version: plan.version,
          status: label('SipPlanStatus', plan.status),
        }),
      )
      .fillColor('#000000');
  // The version the plan was last adopted at, and whether the person approved it.
  const adopted = plan?.versions.find((v) => v.adopted);
  if (adopted && !withheld) {
    doc.fontSize(10).text(
      adopted.approval
        ? t('approvedBy', {
            date: day(swedishDay(new Date(adopted.approval.recordedAt)), language),
            how: label('PlanApprovalMethod', adopted.approval.method),
          })
        : t('notApproved'),
    );
  }

  if (withheld) {
    doc.moveDown(0.8);
    paragraph(t('withheld'));
  } else if (!plan) {
    doc.moveDown(0.8);
    paragraph(t('noPlan'));
  } else {
    heading(t('goals'));
    paragraph(plan.personGoals.trim() || t('noGoals'));

    heading(t('needs'));
    if (plan.needs.length === 0) paragraph(t('noNeeds'));
    for (const need of plan.needs) item(`${label('NeedArea', need.area)}: ${need.description}`);

    heading(t('whoDoesWhat'));
    if (plan.interventions.length === 0) paragraph(t('noInterventions'));
    for (const intervention of plan.interventions) {
      const who = [intervention.responsibleOrganisation.name, intervention.responsibleUnit?.name]
        .filter(Boolean)
        .join(', ');
      doc.font('Helvetica-Bold').fontSize(12).text(intervention.description, { indent: 12 });
      item(`${who}. ${t('interventionStatus', { status: label('InterventionStatus', intervention.status) })}.`);
      doc.moveDown(0.3);
    }
    if (plan.otherMeasures.length > 0) {
      heading(t('others'));
      for (const measure of plan.otherMeasures) item(`${measure.actorName}: ${measure.description}`);
    }

    heading(t('byWhen'));
    const followUp = overview.nextFollowUpOn ?? plan.followUpOn;
    paragraph(followUp ? t('nextFollowUp', { date: day(followUp, language) }) : t('noFollowUp'));
    if (overview.nextSipMeeting)
      paragraph(t('nextMeeting', { when: moment(overview.nextSipMeeting.startsAt, language) }));

    heading(t('overall'));
    paragraph(plan.overallResponsibilityOrganisation?.name ?? t('overallNone'));
  }

  heading(t('contacts'));
  const coordinator = overview.collaborationGroup?.coordinator;
  if (coordinator) {
    paragraph(
      t('coordinator', {
        name: `${coordinator.givenName} ${coordinator.familyName}`,
        organisation: coordinator.organisation.name,
      }),
    );
    item(coordinator.phone ? t('phone', { phone: coordinator.phone }) : t('noPhone'));
    doc.moveDown(0.3);
  }
  const contacts = overview.responsibilities
    .flatMap((r) => r.contacts.map((c) => ({ ...c.staff, organisation: r.organisation.name })))
    .filter((c) => c.id !== coordinator?.id);
  if (!coordinator && contacts.length === 0) paragraph(t('noContacts'));
  for (const contact of contacts) {
    doc
      .font('Helvetica-Bold')
      .fontSize(12)
      .text(`${contact.givenName} ${contact.familyName}`, { continued: true })
      .font('Helvetica')
      .text(`, ${label('Profession', contact.profession)}, ${contact.organisation}`);
    item(contact.phone ? t('phone', { phone: contact.phone }) : t('noPhone'));
  }

  doc.end();
  return done;
}
