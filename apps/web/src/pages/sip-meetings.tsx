// SIP meetings of one person, on the plan page: plan one (the participants and, if invited, the person
// are summoned by the reminders; relatives the person agreed to are invited), move or change it, cancel
// it, or record it held with minutes and attendance. Each form opens in a dialog, behind its button.
import { useId, useRef, useState, type Ref } from 'react';
import { Controller, type Control, type FieldValues, type Path } from 'react-hook-form';
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
import { DialogButton } from '../components/dialog';
import { Field } from '../components/field';
import { ErrorMessage, QueryView } from '../components/status';
import { FormButtons, FormProblem, useApiForm } from '../forms/api-form';
import { InLanguage, useI18n, type Language } from '../i18n/i18n';
import { instantOf, localDateTime } from '../lib/local-time';
import { printAlone } from '../lib/print';
import { useSession } from '../session';

type Choice = { id: string; name: string; detail: string };
type Person = SipMeetingsQuery['person'];

/** The group's staff, once each (a member may hold several periods), by name. */
function membersOf(person: Person, label: ReturnType<typeof useI18n>['label']): Choice[] {
  const byId = new Map<string, Choice>();
  for (const m of person.collaborationGroup?.members ?? []) {
    byId.set(m.staff.id, {
      id: m.staff.id,
      name: `${m.staff.givenName} ${m.staff.familyName}`,
      detail: `${label('Profession', m.staff.profession)}, ${m.staff.organisation.name}`,
    });
  }
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name, 'sv'));
}

/** Every relative, by id (for the names of those invited); `invitable` holds those the person agreed may take part. */
function relativesOf(person: Person): { all: Map<string, Choice>; invitable: Choice[] } {
  const all = new Map<string, Choice>();
  const invitable: Choice[] = [];
  for (const r of person.relatives) {
    const choice = { id: r.id, name: r.name, detail: r.relation };
    all.set(r.id, choice);
    if (r.mayParticipate) invitable.push(choice);
  }
  return { all, invitable };
}

export function SipMeetingsCard({ personId }: { personId: string }) {
  const { t } = useI18n();
  const query = useQuery(SipMeetingsDocument, { personId });
  return (
    <section className="card wide" aria-labelledby="meetings-heading">
      <h2 id="meetings-heading">{t('meetings.title')}</h2>
      <QueryView state={query}>{(data) => <Meetings person={data.person} />}</QueryView>
    </section>
  );
}

function Meetings({ person }: { person: Person }) {
  const { t, label } = useI18n();
  const members = membersOf(person, label);
  const relatives = relativesOf(person);
  const [planned, setPlanned] = useState(false);
  return (
    <>
      {person.sipMeetings.length === 0 ? (
        <p>{t('meetings.none')}</p>
      ) : (
        <ul className="plain meetings">
          {person.sipMeetings.map((m) => (
            <MeetingItem
              key={`${m.id}:${m.status}:${m.startsAt}`}
              meeting={m}
              members={members}
              relatives={relatives}
              person={person}
            />
          ))}
        </ul>
      )}
      {planned && (
        <p className="status status-ok" role="status">
          {t('meetings.planned')}
        </p>
      )}
      <DialogButton label={t('meetings.plan')} className="button" wide>
        {(close) => (
          <PlanMeetingForm
            personId={person.id}
            members={members}
            relatives={relatives.invitable}
            onCancel={close}
            onPlanned={() => {
              setPlanned(true);
              close();
            }}
          />
        )}
      </DialogButton>
    </>
  );
}

function MeetingItem({
  meeting: m,
  members,
  relatives,
  person,
}: {
  meeting: SipMeetingFieldsFragment;
  members: Choice[];
  relatives: ReturnType<typeof relativesOf>;
  person: Person;
}) {
  const { t, label, dateTime } = useI18n();
  const nameOf = (staffId: string) => members.find((x) => x.id === staffId)?.name ?? t('common.none');
  const attendance = (attended: boolean | null) =>
    attended === null ? '' : ` (${attended ? t('meetings.attendedShort') : t('meetings.absentShort')})`;
  return (
    <li data-testid="meeting">
      <strong>{dateTime(m.startsAt)}</strong>{' '}
      <span className={`tag meeting-${m.status.toLowerCase()}`}>{label('SipMeetingStatus', m.status)}</span>
      <div>{m.location ?? <span className="muted">{t('meetings.locationHidden')}</span>}</div>
      <div className="muted">
        {m.participants.map((p) => `${nameOf(p.staffId)}${attendance(p.attended)}`).join(', ')}
        {' · '}
        {m.invitePerson ? t('meetings.personInvited') : t('meetings.personNotInvited')}
        {m.personAttended !== null &&
          `, ${t('meetings.personAttended').toLowerCase()}: ${m.personAttended ? t('common.yes') : t('common.no')}`}
      </div>
      {m.relatives.length > 0 && (
        <div className="muted meeting-relatives">
          {t('meetings.relativesInvited')}:{' '}
          {m.relatives
            .map((r) => {
              const relative = relatives.all.get(r.relativeId);
              return `${relative ? `${relative.name} (${relative.detail})` : t('common.none')}${attendance(r.attended)}`;
            })
            .join(', ')}
        </div>
      )}
      {m.minutes && <p className="minutes">{m.minutes}</p>}
      {m.status === 'PLANNED' && (
        <div className="meeting-actions">
          {m.invitePerson && (
            <DialogButton label={t('summons.open')} className="button secondary small" wide>
              {() => <Summons meeting={m} person={person} relatives={relatives} />}
            </DialogButton>
          )}
          <DialogButton label={t('meetings.reschedule')} className="button secondary small" wide>
            {(close) => <RescheduleForm meeting={m} members={members} relatives={relatives.invitable} onDone={close} />}
          </DialogButton>
          <DialogButton label={t('meetings.recordHeld')} className="button secondary small" wide>
            {(close) => <HeldForm meeting={m} members={members} relatives={relatives} onDone={close} />}
          </DialogButton>
          <DialogButton label={t('meetings.cancel')} className="button secondary small">
            {(close) => <CancelMeeting meeting={m} onDone={close} />}
          </DialogButton>
        </div>
      )}
    </li>
  );
}

function CancelMeeting({ meeting, onDone }: { meeting: SipMeetingFieldsFragment; onDone: () => void }) {
  const { t } = useI18n();
  const cancel = useMutation(CancelSipMeetingDocument);
  return (
    <div>
      <p>{t('meetings.confirmCancel')}</p>
      {cancel.error && <ErrorMessage error={cancel.error} />}
      <div className="form-buttons">
        <button
          type="button"
          className="button"
          disabled={cancel.busy}
          onClick={async () => (await cancel.run({ id: meeting.id })) && onDone()}
        >
          {t('meetings.cancel')}
        </button>
        <button type="button" className="button secondary" onClick={onDone}>
          {t('meetings.keep')}
        </button>
      </div>
    </div>
  );
}

/** Checkboxes for a list (staff of the group, relatives), as one form value; focus goes to the first when refused. */
function ChoiceList<T extends FieldValues>({
  control,
  name,
  legend,
  hint,
  choices,
  error,
}: {
  control: Control<T>;
  name: Path<T>;
  legend: string;
  hint?: string;
  choices: Choice[];
  error?: string;
}) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <Controller
      control={control}
      name={name}
      render={({ field }) => {
        const chosen = (field.value as string[] | undefined) ?? [];
        return (
          <fieldset
            className={`group${error ? ' field-invalid' : ''}`}
            aria-describedby={describedBy}
            aria-invalid={error ? true : undefined}
          >
            <legend>{legend}</legend>
            {hint && (
              <p className="hint" id={`${id}-hint`}>
                {hint}
              </p>
            )}
            {choices.map((c, index) => (
              <div key={c.id}>
                <label className="choice">
                  <input
                    ref={index === 0 ? (field.ref as Ref<HTMLInputElement>) : undefined}
                    type="checkbox"
                    value={c.id}
                    checked={chosen.includes(c.id)}
                    onBlur={field.onBlur}
                    onChange={(e) =>
                      field.onChange(e.target.checked ? [...chosen, c.id] : chosen.filter((x) => x !== c.id))
                    }
                  />{' '}
                  {c.name} <span className="muted">({c.detail})</span>
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
      }}
    />
  );
}

interface PlanMeetingDraft {
  startsAt: string;
  location: string;
  participantStaffIds: string[];
  participantRelativeIds: string[];
  invitePerson: boolean;
}

function PlanMeetingForm({
  personId,
  members,
  relatives,
  onPlanned,
  onCancel,
}: {
  personId: string;
  members: Choice[];
  relatives: Choice[];
  onPlanned: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const { staff } = useSession();
  const plan = useMutation(PlanSipMeetingDocument);
  const { form, problem, submit, errorOf } = useApiForm<PlanMeetingDraft>({
    defaultValues: {
      startsAt: '',
      location: '',
      participantStaffIds: members.filter((m) => m.id === staff?.id).map((m) => m.id),
      participantRelativeIds: [],
      invitePerson: true,
    },
    onSaved: onPlanned,
  });
  const save = submit((values) =>
    plan.runOrThrow({
      input: {
        personId,
        startsAt: instantOf(values.startsAt),
        location: values.location.trim(),
        participantStaffIds: values.participantStaffIds,
        participantRelativeIds: values.participantRelativeIds,
        invitePerson: values.invitePerson,
      },
    }),
  );
  return (
    <form className="meeting-form" onSubmit={save} noValidate>
      <div className="row">
        <Field label={t('meetings.startsAt')} error={errorOf('startsAt')}>
          <input
            type="datetime-local"
            min={localDateTime(new Date())}
            {...form.register('startsAt', { required: t('meetings.missingDate') })}
          />
        </Field>
        <Field label={t('meetings.location')} error={errorOf('location')}>
          <input {...form.register('location')} />
        </Field>
      </div>
      <ChoiceList
        control={form.control}
        name="participantStaffIds"
        legend={t('meetings.participants')}
        hint={t('meetings.participantsHint')}
        choices={members}
        error={errorOf('participantStaffIds')}
      />
      {relatives.length > 0 ? (
        <ChoiceList
          control={form.control}
          name="participantRelativeIds"
          legend={t('meetings.relatives')}
          hint={t('meetings.relativesHint')}
          choices={relatives}
          error={errorOf('participantRelativeIds')}
        />
      ) : (
        <p className="hint">{t('meetings.noInvitableRelatives')}</p>
      )}
      <label className="choice">
        <input type="checkbox" {...form.register('invitePerson')} /> {t('meetings.invitePerson')}
      </label>
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} onCancel={onCancel} saveLabel={t('meetings.submit')} />
    </form>
  );
}

interface RescheduleDraft {
  startsAt: string;
  location: string;
  participantStaffIds: string[];
  participantRelativeIds: string[];
}

function RescheduleForm({
  meeting,
  members,
  relatives,
  onDone,
}: {
  meeting: SipMeetingFieldsFragment;
  members: Choice[];
  relatives: Choice[];
  onDone: () => void;
}) {
  const { t } = useI18n();
  const reschedule = useMutation(RescheduleSipMeetingDocument);
  const initialStart = localDateTime(new Date(meeting.startsAt));
  const { form, problem, submit, errorOf } = useApiForm<RescheduleDraft>({
    defaultValues: {
      startsAt: initialStart,
      location: meeting.location ?? '',
      participantStaffIds: meeting.participants.map((p) => p.staffId),
      participantRelativeIds: meeting.relatives.map((r) => r.relativeId),
    },
    onSaved: onDone,
  });
  // Only what changed: an unchanged time is not sent again (it could have come closer than allowed).
  const save = submit((values) =>
    reschedule.runOrThrow({
      id: meeting.id,
      input: {
        startsAt: values.startsAt !== initialStart ? instantOf(values.startsAt) : null,
        location: values.location.trim() !== (meeting.location ?? '') ? values.location.trim() : null,
        participantStaffIds: values.participantStaffIds,
        participantRelativeIds: values.participantRelativeIds,
      },
    }),
  );
  return (
    <form className="meeting-form" onSubmit={save} noValidate>
      <div className="row">
        <Field label={t('meetings.startsAt')} error={errorOf('startsAt')}>
          <input type="datetime-local" {...form.register('startsAt', { required: t('meetings.missingDate') })} />
        </Field>
        <Field label={t('meetings.location')} error={errorOf('location')}>
          <input {...form.register('location')} />
        </Field>
      </div>
      <ChoiceList
        control={form.control}
        name="participantStaffIds"
        legend={t('meetings.participants')}
        choices={members}
        error={errorOf('participantStaffIds')}
      />
      {relatives.length > 0 && (
        <ChoiceList
          control={form.control}
          name="participantRelativeIds"
          legend={t('meetings.relatives')}
          hint={t('meetings.relativesHint')}
          choices={relatives}
          error={errorOf('participantRelativeIds')}
        />
      )}
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} onCancel={onDone} saveLabel={t('meetings.saveReschedule')} />
    </form>
  );
}

interface HeldDraft {
  minutes: string;
  attendedStaffIds: string[];
  attendedRelativeIds: string[];
  personAttended: boolean;
}

function HeldForm({
  meeting,
  members,
  relatives,
  onDone,
}: {
  meeting: SipMeetingFieldsFragment;
  members: Choice[];
  relatives: ReturnType<typeof relativesOf>;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const record = useMutation(RecordSipMeetingHeldDocument);
  const participants = members.filter((m) => meeting.participants.some((p) => p.staffId === m.id));
  const invited = meeting.relatives.map((r) => relatives.all.get(r.relativeId)).filter((r): r is Choice => !!r);
  const { form, problem, submit, errorOf } = useApiForm<HeldDraft>({
    defaultValues: {
      minutes: '',
      attendedStaffIds: participants.map((p) => p.id),
      attendedRelativeIds: invited.map((r) => r.id),
      personAttended: meeting.invitePerson,
    },
    onSaved: onDone,
  });
  const save = submit((values) =>
    record.runOrThrow({
      id: meeting.id,
      input: {
        minutes: values.minutes.trim(),
        attendedStaffIds: values.attendedStaffIds,
        attendedRelativeIds: values.attendedRelativeIds,
        personAttended: values.personAttended,
      },
    }),
  );
  return (
    <form className="meeting-form" onSubmit={save} noValidate>
      <Field label={t('meetings.minutes')} error={errorOf('minutes')}>
        <textarea rows={4} {...form.register('minutes')} />
      </Field>
      <ChoiceList
        control={form.control}
        name="attendedStaffIds"
        legend={t('meetings.attended')}
        choices={participants}
        error={errorOf('attendedStaffIds')}
      />
      {invited.length > 0 && (
        <ChoiceList
          control={form.control}
          name="attendedRelativeIds"
          legend={t('meetings.relativesAttended')}
          choices={invited}
          error={errorOf('attendedRelativeIds')}
        />
      )}
      <label className="choice">
        <input type="checkbox" {...form.register('personAttended')} /> {t('meetings.personAttended')}
      </label>
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} onCancel={onDone} saveLabel={t('meetings.saveHeld')} />
    </form>
  );
}

/**
 * The summons for the person (kallelse), in the person's language, to print and hand over: what the meeting
 * is for, when and where (the place only where the reader may know it), who will be there (the staff taking
 * part, and the relatives the person agreed to, as far as the reader's organisation may see them) and whom to
 * call (the planner, or the coordinator). The SMS the person gets says the same in short (reminders/messages.ts).
 */
function Summons({
  meeting,
  person,
  relatives,
}: {
  meeting: SipMeetingFieldsFragment;
  person: Person;
  relatives: ReturnType<typeof relativesOf>;
}) {
  const { t } = useI18n();
  const note = useRef<HTMLDivElement>(null);
  const language: Language = person.preferredLanguage === 'EN' ? 'en' : 'sv';
  return (
    <div>
      <div ref={note} className="summons">
        <InLanguage language={language}>
          <SummonsText meeting={meeting} person={person} relatives={relatives} language={language} />
        </InLanguage>
      </div>
      <div className="form-buttons">
        <button type="button" className="button" onClick={() => note.current && printAlone(note.current)}>
          {t('summons.print')}
        </button>
      </div>
    </div>
  );
}

function SummonsText({
  meeting,
  person,
  relatives,
  language,
}: {
  meeting: SipMeetingFieldsFragment;
  person: Person;
  relatives: ReturnType<typeof relativesOf>;
  language: Language;
}) {
  const { t, label, dateTime } = useI18n();
  const staff = new Map((person.collaborationGroup?.members ?? []).map((m) => [m.staff.id, m.staff]));
  const coordinator = person.collaborationGroup?.coordinator ?? null;
  // Whom to call: the planner while in the group, else the coordinator.
  const contact = staff.get(meeting.createdBy) ?? coordinator;
  const present = meeting.participants.map((p) => staff.get(p.staffId)).filter((s): s is NonNullable<typeof s> => !!s);
  const invitedRelatives = meeting.relatives
    .map((r) => relatives.all.get(r.relativeId))
    .filter((r): r is Choice => !!r);
  return (
    <article lang={language} aria-labelledby={`summons-${meeting.id}`}>
      <h3 id={`summons-${meeting.id}`}>{t('summons.title')}</h3>
      <p>{t('summons.to', { name: `${person.givenName} ${person.familyName}` })}</p>
      <h4>{t('summons.what')}</h4>
      <p>{t('summons.purpose')}</p>
      <h4>{t('summons.when')}</h4>
      <p>{dateTime(meeting.startsAt)}</p>
      <h4>{t('summons.where')}</h4>
      <p>{meeting.location ?? t('summons.placeFromContact')}</p>
      <h4>{t('summons.who')}</h4>
      <ul>
        <li>{t('summons.you')}</li>
        {present.map((s) => (
          <li key={s.id}>
            {s.givenName} {s.familyName}, {label('Profession', s.profession).toLowerCase()}, {s.organisation.name}
          </li>
        ))}
        {invitedRelatives.map((r) => (
          <li key={r.id}>
            {r.name} ({r.detail})
          </li>
        ))}
      </ul>
      <h4>{t('summons.call')}</h4>
      <p>
        {contact
          ? contact.phone
            ? t('summons.callName', { name: `${contact.givenName} ${contact.familyName}`, phone: contact.phone })
            : t('summons.askName', { name: `${contact.givenName} ${contact.familyName}` })
          : t('summons.noContact')}
      </p>
      <p>{t('summons.welcome')}</p>
    </article>
  );
}
