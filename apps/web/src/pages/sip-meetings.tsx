// SIP meetings of one person, on the plan page: plan one (the participants and, if invited, the person
// are summoned by the reminders), move or change it, cancel it, or record it held with minutes and attendance.
import { useId, useState, type FormEvent } from 'react';
import type { ApiError } from '../api/client';
import {
  CancelSipMeetingDocument,
  PlanSipMeetingDocument,
  RecordSipMeetingHeldDocument,
  RescheduleSipMeetingDocument,
  SipMeetingsDocument,
  type SipMeetingFieldsFragment,
  type SipMeetingsQuery,
} from '../api/generated';
import { useMutation, useQuery } from '../api/hooks';
import { Field } from '../components/field';
import { ErrorMessage, QueryView } from '../components/status';
import { useI18n } from '../i18n/i18n';
import { instantOf, localDateTime } from '../lib/local-time';
import { useSession } from '../session';

type Member = { id: string; name: string; detail: string };
type Person = SipMeetingsQuery['person'];

/** The group's staff, once each (a member may hold several periods), by name. */
function membersOf(person: Person, label: ReturnType<typeof useI18n>['label']): Member[] {
  const byId = new Map<string, Member>();
  for (const m of person.collaborationGroup?.members ?? []) {
    byId.set(m.staff.id, { id: m.staff.id, name: `${m.staff.givenName} ${m.staff.familyName}`, detail: `${label('Profession', m.staff.profession)}, ${m.staff.organisation.name}` });
  }
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name, 'sv'));
}

export function SipMeetingsCard({ personId }: { personId: string }) {
  const { t } = useI18n();
  const query = useQuery(SipMeetingsDocument, { personId });
  return (
    <section className="card wide" aria-labelledby="meetings-heading">
      <h2 id="meetings-heading">{t('meetings.title')}</h2>
      <QueryView state={query}>{(data) => <Meetings person={data.person} onChanged={query.refetch} />}</QueryView>
    </section>
  );
}

function Meetings({ person, onChanged }: { person: Person; onChanged: () => Promise<void> }) {
  const { t, label } = useI18n();
  const members = membersOf(person, label);
  const [planned, setPlanned] = useState(false);
  return (
    <>
      {person.sipMeetings.length === 0 ? (
        <p>{t('meetings.none')}</p>
      ) : (
        <ul className="plain meetings">
          {person.sipMeetings.map((m) => (
            <MeetingItem key={`${m.id}:${m.status}:${m.startsAt}`} meeting={m} members={members} onChanged={onChanged} />
          ))}
        </ul>
      )}
      {planned && (
        <p className="status status-ok" role="status">
          {t('meetings.planned')}
        </p>
      )}
      <PlanMeetingForm
        personId={person.id}
        members={members}
        onPlanned={async () => {
          setPlanned(true);
          await onChanged();
        }}
      />
    </>
  );
}

function MeetingItem({ meeting: m, members, onChanged }: { meeting: SipMeetingFieldsFragment; members: Member[]; onChanged: () => Promise<void> }) {
  const { t, label, dateTime } = useI18n();
  const [open, setOpen] = useState<'reschedule' | 'held' | 'cancel' | null>(null);
  const cancel = useMutation(CancelSipMeetingDocument);
  const nameOf = (staffId: string) => members.find((x) => x.id === staffId)?.name ?? t('common.none');
  const toggle = (form: 'reschedule' | 'held' | 'cancel') => setOpen((current) => (current === form ? null : form));
  return (
    <li data-testid="meeting">
      <strong>{dateTime(m.startsAt)}</strong> <span className={`tag meeting-${m.status.toLowerCase()}`}>{label('SipMeetingStatus', m.status)}</span>
      <div>{m.location ?? <span className="muted">{t('meetings.locationHidden')}</span>}</div>
      <div className="muted">
        {m.participants
          .map((p) => `${nameOf(p.staffId)}${p.attended === null ? '' : ` (${p.attended ? t('meetings.attendedShort') : t('meetings.absentShort')})`}`)
          .join(', ')}
        {' · '}
        {m.invitePerson ? t('meetings.personInvited') : t('meetings.personNotInvited')}
        {m.personAttended !== null && `, ${t('meetings.personAttended').toLowerCase()}: ${m.personAttended ? t('common.yes') : t('common.no')}`}
      </div>
      {m.minutes && <p className="minutes">{m.minutes}</p>}
      {m.status === 'PLANNED' && (
        <div className="meeting-actions">
          <button type="button" className="button secondary small" aria-expanded={open === 'reschedule'} onClick={() => toggle('reschedule')}>
            {t('meetings.reschedule')}
          </button>
          <button type="button" className="button secondary small" aria-expanded={open === 'held'} onClick={() => toggle('held')}>
            {t('meetings.recordHeld')}
          </button>
          <button type="button" className="button secondary small" aria-expanded={open === 'cancel'} onClick={() => toggle('cancel')}>
            {t('meetings.cancel')}
          </button>
        </div>
      )}
      {open === 'reschedule' && <RescheduleForm meeting={m} members={members} onDone={onChanged} />}
      {open === 'held' && <HeldForm meeting={m} members={members} onDone={onChanged} />}
      {open === 'cancel' && (
        <div className="meeting-form" role="group" aria-label={t('meetings.cancel')}>
          <p>{t('meetings.confirmCancel')}</p>
          {cancel.error && <ErrorMessage error={cancel.error} />}
          <div className="actions">
            <button type="button" className="button primary small" disabled={cancel.busy} onClick={async () => (await cancel.run({ id: m.id })) && onChanged()}>
              {t('meetings.cancel')}
            </button>
            <button type="button" className="button secondary small" onClick={() => setOpen(null)}>
              {t('meetings.close')}
            </button>
          </div>
        </div>
      )}
    </li>
  );
}

/** Checkboxes for staff of the group, with the API's message for the whole list. */
function StaffChoice({ legend, hint, members, chosen, onChange, error }: { legend: string; hint?: string; members: Member[]; chosen: string[]; onChange: (ids: string[]) => void; error?: string }) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset className={`group${error ? ' field-invalid' : ''}`} aria-describedby={describedBy} aria-invalid={error ? true : undefined}>
      <legend>{legend}</legend>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {members.map((m) => (
        <div key={m.id}>
          <label className="choice">
            <input type="checkbox" value={m.id} checked={chosen.includes(m.id)} onChange={(e) => onChange(e.target.checked ? [...chosen, m.id] : chosen.filter((x) => x !== m.id))} /> {m.name}{' '}
            <span className="muted">({m.detail})</span>
          </label>
        </div>
      ))}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** The message for a field: the API's, or the form's own when the date is missing. */
function useFieldMessages(error: ApiError | null, missingDate: boolean) {
  const { apiMessage } = useI18n();
  return (field: string) => (field === 'startsAt' && missingDate ? apiMessage('Give a date and time') : apiMessage(error?.fieldMessage(field)));
}

/** A refusal that names no field (the meeting was already cancelled, no access): shown above the button. */
function FormProblem({ error }: { error: ApiError | null }) {
  return error && error.fields.length === 0 ? <ErrorMessage error={error} /> : null;
}

function PlanMeetingForm({ personId, members, onPlanned }: { personId: string; members: Member[]; onPlanned: () => Promise<void> }) {
  const { t } = useI18n();
  const { staff } = useSession();
  const plan = useMutation(PlanSipMeetingDocument);
  const [startsAt, setStartsAt] = useState('');
  const [location, setLocation] = useState('');
  const [participants, setParticipants] = useState<string[]>(() => members.filter((m) => m.id === staff?.id).map((m) => m.id));
  const [invitePerson, setInvitePerson] = useState(true);
  const [missingDate, setMissingDate] = useState(false);
  const at = useFieldMessages(plan.error, missingDate);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMissingDate(!startsAt);
    if (!startsAt) return;
    if (await plan.run({ input: { personId, startsAt: instantOf(startsAt), location: location.trim(), participantStaffIds: participants, invitePerson } })) {
      setStartsAt('');
      setLocation('');
      await onPlanned();
    }
  };
  return (
    <form className="meeting-form" onSubmit={submit} noValidate aria-labelledby="plan-meeting-heading">
      <h3 id="plan-meeting-heading">{t('meetings.plan')}</h3>
      <div className="row">
        <Field label={t('meetings.startsAt')} error={at('startsAt')}>
          <input name="startsAt" type="datetime-local" min={localDateTime(new Date())} value={startsAt} onChange={(e) => setStartsAt(e.target.value)} />
        </Field>
        <Field label={t('meetings.location')} error={at('location')}>
          <input name="location" value={location} onChange={(e) => setLocation(e.target.value)} />
        </Field>
      </div>
      <StaffChoice legend={t('meetings.participants')} hint={t('meetings.participantsHint')} members={members} chosen={participants} onChange={setParticipants} error={at('participantStaffIds')} />
      <label className="choice">
        <input type="checkbox" name="invitePerson" checked={invitePerson} onChange={(e) => setInvitePerson(e.target.checked)} /> {t('meetings.invitePerson')}
      </label>
      <FormProblem error={plan.error} />
      <p>
        <button type="submit" className="button primary" disabled={plan.busy}>
          {t('meetings.submit')}
        </button>
      </p>
    </form>
  );
}

function RescheduleForm({ meeting, members, onDone }: { meeting: SipMeetingFieldsFragment; members: Member[]; onDone: () => Promise<void> }) {
  const { t } = useI18n();
  const reschedule = useMutation(RescheduleSipMeetingDocument);
  const initialStart = localDateTime(new Date(meeting.startsAt));
  const [startsAt, setStartsAt] = useState(initialStart);
  const [location, setLocation] = useState(meeting.location ?? '');
  const [participants, setParticipants] = useState(meeting.participants.map((p) => p.staffId));
  const [missingDate, setMissingDate] = useState(false);
  const at = useFieldMessages(reschedule.error, missingDate);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMissingDate(!startsAt);
    if (!startsAt) return;
    // Only what changed: an unchanged time is not sent again (it could have come closer than allowed).
    const input = {
      startsAt: startsAt !== initialStart ? instantOf(startsAt) : null,
      location: location.trim() !== (meeting.location ?? '') ? location.trim() : null,
      participantStaffIds: participants,
    };
    if (await reschedule.run({ id: meeting.id, input })) await onDone();
  };
  return (
    <form className="meeting-form" onSubmit={submit} noValidate aria-label={t('meetings.reschedule')}>
      <div className="row">
        <Field label={t('meetings.startsAt')} error={at('startsAt')}>
          <input name="startsAt" type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} />
        </Field>
        <Field label={t('meetings.location')} error={at('location')}>
          <input name="location" value={location} onChange={(e) => setLocation(e.target.value)} />
        </Field>
      </div>
      <StaffChoice legend={t('meetings.participants')} members={members} chosen={participants} onChange={setParticipants} error={at('participantStaffIds')} />
      <FormProblem error={reschedule.error} />
      <button type="submit" className="button primary small" disabled={reschedule.busy}>
        {t('meetings.saveReschedule')}
      </button>
    </form>
  );
}

function HeldForm({ meeting, members, onDone }: { meeting: SipMeetingFieldsFragment; members: Member[]; onDone: () => Promise<void> }) {
  const { t, apiMessage } = useI18n();
  const record = useMutation(RecordSipMeetingHeldDocument);
  const participants = members.filter((m) => meeting.participants.some((p) => p.staffId === m.id));
  const [minutes, setMinutes] = useState('');
  const [attended, setAttended] = useState(participants.map((p) => p.id));
  const [personAttended, setPersonAttended] = useState(meeting.invitePerson);
  const at = (field: string) => apiMessage(record.error?.fieldMessage(field));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await record.run({ id: meeting.id, input: { minutes: minutes.trim(), attendedStaffIds: attended, personAttended } })) await onDone();
  };
  return (
    <form className="meeting-form" onSubmit={submit} noValidate aria-label={t('meetings.recordHeld')}>
      <Field label={t('meetings.minutes')} error={at('minutes')}>
        <textarea name="minutes" rows={4} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
      </Field>
      <StaffChoice legend={t('meetings.attended')} members={participants} chosen={attended} onChange={setAttended} error={at('attendedStaffIds')} />
      <label className="choice">
        <input type="checkbox" name="personAttended" checked={personAttended} onChange={(e) => setPersonAttended(e.target.checked)} /> {t('meetings.personAttended')}
      </label>
      <FormProblem error={record.error} />
      <p>
        <button type="submit" className="button primary small" disabled={record.busy}>
          {t('meetings.saveHeld')}
        </button>
      </p>
    </form>
  );
}
