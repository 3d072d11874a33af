// On the person page: the reminders scheduled for the person, and the legal checks (relatives,
// violence, LVM) recorded as done, with a form to record one. Recording a check changes which
// reminders are due; the worker derives them again within a moment, so the list is read twice.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { PersonRemindersDocument, RecordCaseCheckDocument, type CaseCheckKind, type PersonRemindersQuery } from '../api/generated';
import { useMutation, useQuery } from '../api/hooks';
import { Field } from '../components/field';
import { ErrorMessage, QueryView } from '../components/status';
import { useI18n } from '../i18n/i18n';
import { localDate } from '../lib/local-time';
import { kindLabel } from '../notifications';

const CHECK_KINDS: CaseCheckKind[] = ['RELATIVES_IDENTIFIED', 'VIOLENCE_ASSESSED', 'LVM_REPORT', 'LVM_PRE_ASSESSMENT'];
/** How long the worker usually needs to derive a person's reminders again after a change. */
const REDERIVE_MS = 2_000;

export function RemindersCard({ personId }: { personId: string }) {
  const query = useQuery(PersonRemindersDocument, { personId });
  const { refetch } = query;
  const later = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(later.current), []);
  const onRecorded = async () => {
    await refetch();
    clearTimeout(later.current);
    later.current = setTimeout(() => void refetch(), REDERIVE_MS);
  };
  return <QueryView state={query}>{(data) => <RemindersAndChecks person={data.person} onRecorded={onRecorded} />}</QueryView>;
}

function RemindersAndChecks({ person, onRecorded }: { person: PersonRemindersQuery['person']; onRecorded: () => Promise<void> }) {
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
                <strong>{kindLabel(i18n, r.rule)}</strong> <span className="muted">{dateTime(r.dueAt)}</span>
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
        <RecordCheckForm personId={person.id} onRecorded={onRecorded} />
      </section>
    </>
  );
}

function RecordCheckForm({ personId, onRecorded }: { personId: string; onRecorded: () => Promise<void> }) {
  const { t, label, apiMessage } = useI18n();
  const record = useMutation(RecordCaseCheckDocument);
  const [kind, setKind] = useState<CaseCheckKind>('RELATIVES_IDENTIFIED');
  const [doneOn, setDoneOn] = useState(() => localDate());
  const [note, setNote] = useState('');
  const at = (field: string) => apiMessage(record.error?.fieldMessage(field));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await record.run({ input: { personId, kind, doneOn, note: note.trim() || null } })) {
      setNote('');
      await onRecorded();
    }
  };
  return (
    <form onSubmit={submit} noValidate aria-labelledby="record-check-heading">
      <h3 id="record-check-heading">{t('checks.record')}</h3>
      <div className="row">
        <Field label={t('checks.kind')} error={at('kind')}>
          <select name="checkKind" value={kind} onChange={(e) => setKind(e.target.value as CaseCheckKind)}>
            {CHECK_KINDS.map((k) => (
              <option key={k} value={k}>
                {label('CaseCheckKind', k)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('checks.doneOn')} error={at('doneOn')}>
          <input name="doneOn" type="date" max={localDate()} value={doneOn} onChange={(e) => setDoneOn(e.target.value)} />
        </Field>
      </div>
      <Field label={t('checks.note')} error={at('note')}>
        <textarea name="note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      </Field>
      {record.error && record.error.fields.length === 0 && <ErrorMessage error={record.error} />}
      <button type="submit" className="button primary" disabled={record.busy}>
        {t('checks.submit')}
      </button>
    </form>
  );
}
