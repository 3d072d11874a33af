// On the person page: the reminders scheduled for the person (what each is about and when that happens,
// then when the reminder goes out), and the legal checks (relatives, violence, LVM) recorded as done,
// with a form in a dialog to record one. Recording a check changes which reminders are due; the worker
// derives them again within a moment, so the list is read twice.
import { remindersCardVariables } from '../first-reads';
import { useEffect, useRef } from 'react';
import {
  PersonRemindersDocument,
  RecordCaseCheckDocument,
  type CaseCheckKind,
  type PersonRemindersQuery,
} from '../api/generated';
import { useMutation, useQuery } from '../api/hooks';
import { DialogButton } from '../components/dialog';
import { Field } from '../components/field';
import { QueryView } from '../components/status';
import { FormButtons, FormProblem, useApiForm } from '../forms/api-form';
import { useI18n, type I18n } from '../i18n/i18n';
import { localDate } from '../lib/local-time';
import { kindLabel } from '../notifications';

const CHECK_KINDS: CaseCheckKind[] = ['RELATIVES_IDENTIFIED', 'VIOLENCE_ASSESSED', 'LVM_REPORT', 'LVM_PRE_ASSESSMENT'];
/** How long the worker usually needs to derive a person's reminders again after a change. */
const REDERIVE_MS = 2_000;

export function RemindersCard({ personId }: { personId: string }) {
  const query = useQuery(PersonRemindersDocument, remindersCardVariables(personId));
  const { refetch } = query;
  const later = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(later.current), []);
  const onRecorded = async () => {
    await refetch();
    clearTimeout(later.current);
    later.current = setTimeout(() => void refetch(), REDERIVE_MS);
  };
  return (
    <QueryView state={query}>{(data) => <RemindersAndChecks person={data.person} onRecorded={onRecorded} />}</QueryView>
  );
}

type Reminder = PersonRemindersQuery['person']['upcomingReminders'][number];

/** What a reminder is about and when that itself happens ("SIP-möte 12 dec. 2026 10:00", "Uppföljning 15 dec. 2026"). */
export function reminderEvent(i18n: I18n, r: Reminder): string {
  const { t, date, dateTime } = i18n;
  switch (r.subject) {
    case 'SIP_MEETING':
      return r.eventAt ? t('overview.eventMeeting', { when: dateTime(r.eventAt) }) : t('overview.eventMeetingUnknown');
    case 'FOLLOW_UP':
      return r.eventOn ? t('overview.eventFollowUp', { date: date(r.eventOn) }) : t('overview.eventFollowUpUnknown');
    case 'DECISION':
      return r.eventAt
        ? t('overview.eventDecision', { when: dateTime(r.eventAt) })
        : t('overview.eventDecisionUnknown');
    case 'CONSENT':
      return r.eventOn ? t('overview.eventConsent', { date: date(r.eventOn) }) : t('overview.eventConsentUnknown');
    case 'CONTACT':
      return r.eventOn ? t('overview.eventContact', { date: date(r.eventOn) }) : t('overview.eventNoContact');
    case 'CASE_CHECK':
      return t('overview.eventCheck', { date: date(r.dueAt) });
    default:
      return '';
  }
}

function RemindersAndChecks({
  person,
  onRecorded,
}: {
  person: PersonRemindersQuery['person'];
  onRecorded: () => Promise<void>;
}) {
  const i18n = useI18n();
  const { t, label, date, dateTime } = i18n;
  return (
    <>
      <section className="card" aria-labelledby="reminders-heading">
        <h2 id="reminders-heading">{t('checks.reminders')}</h2>
        {person.upcomingReminders.length === 0 ? (
          <p>{t('checks.noReminders')}</p>
        ) : (
          <ul className="plain reminders">
            {person.upcomingReminders.map((r) => (
              <li key={`${r.rule}:${r.subjectId}:${r.dueAt}`}>
                <strong>{reminderEvent(i18n, r)}</strong>
                <div>
                  {kindLabel(i18n, r.rule)}{' '}
                  <span className="muted">· {t('overview.reminderSent', { when: dateTime(r.dueAt) })}</span>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="checks-heading">
        <h2 id="checks-heading">{t('checks.title')}</h2>
        {person.caseChecks.length === 0 ? (
          <p>{t('checks.none')}</p>
        ) : (
          <ul className="plain checks">
            {person.caseChecks.map((c) => (
              <li key={c.id}>
                <strong>{label('CaseCheckKind', c.kind)}</strong> <span className="muted">{date(c.doneOn)}</span>
                {c.note && <div>{c.note}</div>}
              </li>
            ))}
          </ul>
        )}
        <DialogButton label={t('checks.record')}>
          {(close) => <RecordCheckForm personId={person.id} onRecorded={onRecorded} onDone={close} />}
        </DialogButton>
      </section>
    </>
  );
}

interface CheckForm {
  kind: CaseCheckKind;
  doneOn: string;
  note: string;
}

function RecordCheckForm({
  personId,
  onRecorded,
  onDone,
}: {
  personId: string;
  onRecorded: () => Promise<void>;
  onDone: () => void;
}) {
  const { t, label } = useI18n();
  const record = useMutation(RecordCaseCheckDocument);
  const { form, problem, submit, errorOf } = useApiForm<CheckForm>({
    defaultValues: { kind: 'RELATIVES_IDENTIFIED', doneOn: localDate(), note: '' },
    onSaved: onDone,
  });
  const save = async (v: CheckForm) => {
    await record.runOrThrow({ input: { personId, kind: v.kind, doneOn: v.doneOn, note: v.note.trim() || null } });
    void onRecorded();
  };
  return (
    <form onSubmit={submit(save)} noValidate aria-label={t('checks.record')}>
      <div className="row">
        <Field label={t('checks.kind')} error={errorOf('kind')}>
          <select {...form.register('kind')}>
            {CHECK_KINDS.map((k) => (
              <option key={k} value={k}>
                {label('CaseCheckKind', k)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('checks.doneOn')} error={errorOf('doneOn')}>
          <input type="date" max={localDate()} {...form.register('doneOn')} />
        </Field>
      </div>
      <Field label={t('checks.note')} error={errorOf('note')}>
        <textarea rows={2} {...form.register('note')} />
      </Field>
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} saveLabel={t('checks.submit')} onCancel={onDone} />
    </form>
  );
}
