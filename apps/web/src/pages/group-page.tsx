// The person's collaboration group (samverkansgrupp): its members with organisation, principal, role and
// phone; adding a member from the staff directory, ending a membership, handing over the coordinator's
// role and naming voting representatives; each principal's care episode (aktualisera, avsluta
// aktualitet); and the person's ACT team place. Every change opens in a dialog behind a button; the
// rules are the server's, and a refusal is said in the reader's language at its field or above the buttons.
import { useEffect, useState, type ReactNode } from 'react';
import { useController } from 'react-hook-form';
import {
  ActTeamChoicesDocument,
  AddGroupMemberDocument,
  ChangeCaseManagerDocument,
  EndActTeamPlaceDocument,
  EndGroupMembershipDocument,
  EnrolInActTeamDocument,
  OpenCareEpisodeDocument,
  PersonGroupDocument,
  RecordEpisodeEndingDocument,
  SetCoordinatorDocument,
  SetVotingRepresentativeDocument,
  StaffDirectoryDocument,
  type EndingReason,
  type EpisodeKind,
  type PersonGroupQuery,
  type Principal,
} from '../api/generated';
import { useMutation, useQuery } from '../api/hooks';
import { Dialog, DialogButton } from '../components/dialog';
import { Field } from '../components/field';
import { Layout } from '../components/layout';
import { PersonTabs } from '../components/person-tabs';
import { QueryView } from '../components/status';
import { FormButtons, useApiForm } from '../forms/api-form';
import { useI18n } from '../i18n/i18n';
import { localDate } from '../lib/local-time';
import { Link, mayLeave } from '../router';
import { Refusal, useFieldRefusal, type Refusals } from './group-refusal';

type Person = PersonGroupQuery['person'];
type Member = NonNullable<Person['collaborationGroup']>['members'][number];
type Team = Person['actTeams'][number];

const EPISODE_KINDS: EpisodeKind[] = ['SOCIAL_SERVICES', 'PSYCHIATRY', 'ADDICTION_CARE', 'PRIMARY_CARE'];
/** Only a default for the form (the server decides which kinds an organisation may hold). */
const USUAL_KIND: Record<Principal, EpisodeKind> = {
  MUNICIPALITY: 'SOCIAL_SERVICES',
  REGION: 'PSYCHIATRY',
  OTHER: 'SOCIAL_SERVICES',
};
const ENDING_REASONS: EndingReason[] = ['DIED', 'MOVED_OUT_OF_AREA', 'CONSENT_WITHDRAWN'];
const PRINCIPALS: Principal[] = ['MUNICIPALITY', 'REGION', 'OTHER'];

const nameOf = (s: { givenName: string; familyName: string }) => `${s.givenName} ${s.familyName}`;

export function GroupPage({ personId }: { personId: string }) {
  const { t } = useI18n();
  const query = useQuery(PersonGroupDocument, { personId });
  const person = query.data?.person;
  return (
    <Layout title={person ? t('group.title', { name: nameOf(person) }) : t('group.tab')}>
      <PersonTabs personId={personId} />
      <QueryView state={query}>
        {(data) => (
          <div className="grid">
            <MembersCard person={data.person} />
            <EpisodesCard person={data.person} me={data.me} />
            <ActCard person={data.person} />
          </div>
        )}
      </QueryView>
    </Layout>
  );
}

/**
 * A button for one row's action, named for the row (so "End membership" of two members differ: its visible
 * text, then whose), opening a dialog.
 */
function RowAction({
  label,
  of,
  title,
  children,
}: {
  label: string;
  of: string;
  title: string;
  children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="button secondary small"
        aria-label={`${label}: ${of}`}
        onClick={() => setOpen(true)}
      >
        {label}
      </button>
      <Dialog open={open} title={title} onClose={() => setOpen(false)}>
        {children(() => setOpen(false))}
      </Dialog>
    </>
  );
}

// --- the group ---

function MembersCard({ person }: { person: Person }) {
  const { t, label, date } = useI18n();
  const group = person.collaborationGroup;
  return (
    <section className="card wide" aria-labelledby="members-heading">
      <h2 id="members-heading">{t('group.members')}</h2>
      {!group ? (
        <p>{t('group.noGroup')}</p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="members">
              <thead>
                <tr>
                  <th scope="col">{t('group.name')}</th>
                  <th scope="col">{t('group.organisation')}</th>
                  <th scope="col">{t('group.principal')}</th>
                  <th scope="col">{t('group.role')}</th>
                  <th scope="col">{t('group.phone')}</th>
                  <th scope="col">{t('group.since')}</th>
                  <th scope="col">{t('group.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {group.members.map((m) => {
                  const coordinator = group.coordinatorStaffId === m.staff.id;
                  return (
                    <tr key={m.id} data-testid="member">
                      <th scope="row">
                        {nameOf(m.staff)}
                        <div className="muted">{label('Profession', m.staff.profession)}</div>
                        {coordinator && <span className="tag">{t('group.coordinator')}</span>}{' '}
                        {m.votingRepresentative && <span className="tag">{t('group.voting')}</span>}
                      </th>
                      <td>
                        {m.staff.organisation.name}
                        {m.staff.unit && <div className="muted">{m.staff.unit.name}</div>}
                      </td>
                      <td>{label('Principal', m.principal)}</td>
                      <td>{m.role}</td>
                      <td>
                        {m.staff.phone ? (
                          <a href={`tel:${m.staff.phone.replace(/[^+\d]/g, '')}`}>{m.staff.phone}</a>
                        ) : (
                          t('common.none')
                        )}
                      </td>
                      <td>
                        {date(m.validFrom)}
                        {m.validTo && <div className="muted">{t('group.until', { date: date(m.validTo) })}</div>}
                      </td>
                      <td className="row-actions">
                        {!coordinator && (
                          <RowAction
                            label={t('group.makeCoordinator')}
                            of={nameOf(m.staff)}
                            title={t('group.makeCoordinatorOf', { name: nameOf(m.staff) })}
                          >
                            {(close) => <CoordinatorForm personId={person.id} member={m} onDone={close} />}
                          </RowAction>
                        )}
                        <RowAction
                          label={t('group.changeVoting')}
                          of={nameOf(m.staff)}
                          title={t('group.changeVotingOf', { name: nameOf(m.staff) })}
                        >
                          {(close) => <VotingForm member={m} onDone={close} />}
                        </RowAction>
                        <RowAction
                          label={t('group.endMembership')}
                          of={nameOf(m.staff)}
                          title={t('group.endMembershipOf', { name: nameOf(m.staff) })}
                        >
                          {(close) => <EndMembershipForm member={m} coordinator={coordinator} onDone={close} />}
                        </RowAction>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <DialogButton label={t('group.addMember')} className="button" wide>
            {(close) => <AddMemberForm personId={person.id} onDone={close} />}
          </DialogButton>
        </>
      )}
    </section>
  );
}

interface AddMemberValues {
  staffId: string;
  role: string;
  votingRepresentative: boolean;
  validFrom: string;
}

const ADD_MEMBER_REFUSALS: Refusals = {
  fields: {
    staffId: 'group.refused.staff',
    validFrom: 'group.refused.backDated',
    votingRepresentative: 'group.refused.votingPrincipal',
  },
};

/**
 * The directory search (name, optionally one principal) and the new member's role, from today on. The
 * chosen staff member is the form's `staffId`; a missing or refused choice puts focus back on the search.
 */
function AddMemberForm({ personId, onDone }: { personId: string; onDone: () => void }) {
  const { t, label } = useI18n();
  const add = useMutation(AddGroupMemberDocument);
  const api = useApiForm<AddMemberValues>({
    defaultValues: { staffId: '', role: '', votingRepresentative: false, validFrom: localDate() },
    onSaved: onDone,
  });
  const fieldError = useFieldRefusal(api, ADD_MEMBER_REFUSALS);
  const { form } = api;
  const staff = useController({ name: 'staffId', control: form.control, rules: { required: t('group.mustChoose') } });
  const [search, setSearch] = useState('');
  const [principal, setPrincipal] = useState<Principal | ''>('');
  // Searches once typing pauses, not on every key.
  const [asked, setAsked] = useState({ search: '', principal: '' as Principal | '' });
  useEffect(() => {
    const timer = setTimeout(() => setAsked({ search: search.trim(), principal }), 250);
    return () => clearTimeout(timer);
  }, [search, principal]);
  const ready = asked.search.length >= 2;
  const directory = useQuery(
    StaffDirectoryDocument,
    { search: asked.search, principal: asked.principal || null },
    { skip: !ready },
  );
  const results = ready ? directory.data?.staffDirectory : undefined;
  const staffError = fieldError('staffId');

  return (
    <form
      onSubmit={api.submit((v) =>
        add.runOrThrow({
          input: {
            personId,
            staffId: v.staffId,
            role: v.role.trim(),
            votingRepresentative: v.votingRepresentative,
            validFrom: v.validFrom || null,
          },
        }),
      )}
      noValidate
    >
      <Field label={t('group.search')} hint={t('group.searchHint')} error={staffError}>
        <input
          ref={staff.field.ref}
          type="search"
          value={search}
          autoComplete="off"
          onChange={(e) => setSearch(e.target.value)}
          // Enter searches at once (it would otherwise send the form before a member is chosen).
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              setAsked({ search: search.trim(), principal });
            }
          }}
        />
      </Field>
      <Field label={t('group.searchPrincipal')}>
        <select value={principal} onChange={(e) => setPrincipal(e.target.value as Principal | '')}>
          <option value="">{t('group.anyPrincipal')}</option>
          {PRINCIPALS.map((p) => (
            <option key={p} value={p}>
              {label('Principal', p)}
            </option>
          ))}
        </select>
      </Field>
      <fieldset className="choices">
        <legend>{t('group.chooseStaff')}</legend>
        <p role="status" aria-live="polite" className="muted">
          {results && (results.length === 0 ? t('group.noResults') : t('group.searchResults'))}
        </p>
        {results && results.length > 0 && (
          <ul className="plain directory">
            {results.map((s) => (
              <li key={s.id}>
                <label className="choice">
                  <input
                    type="radio"
                    name="staffId"
                    value={s.id}
                    checked={staff.field.value === s.id}
                    onChange={() => staff.field.onChange(s.id)}
                    onBlur={staff.field.onBlur}
                  />
                  <span>
                    <strong>{nameOf(s)}</strong>, {label('Profession', s.profession)} – {s.organisation.name}
                    {s.unit && ` (${s.unit.name})`} · {label('Principal', s.organisation.principal)}
                    {s.phone && ` · ${s.phone}`}
                  </span>
                </label>
              </li>
            ))}
          </ul>
        )}
      </fieldset>
      <Field label={t('group.role')} hint={t('group.roleHint')} error={fieldError('role')}>
        <input {...form.register('role', { required: 'required' })} />
      </Field>
      <Field label={t('group.validFrom')} error={fieldError('validFrom')}>
        <input type="date" {...form.register('validFrom')} />
      </Field>
      <Field label={t('group.votingShort')} hint={t('group.votingHint')} error={fieldError('votingRepresentative')}>
        <input type="checkbox" {...form.register('votingRepresentative')} />
      </Field>
      <Refusal problem={api.problem} refusals={ADD_MEMBER_REFUSALS} />
      <FormButtons
        busy={form.formState.isSubmitting}
        saveLabel={t('group.add')}
        onCancel={() => mayLeave() && onDone()}
      />
    </form>
  );
}

function EndMembershipForm({
  member,
  coordinator,
  onDone,
}: {
  member: Member;
  coordinator: boolean;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const end = useMutation(EndGroupMembershipDocument);
  const refusals: Refusals = {
    forbidden: 'group.refused.endMembership',
    invalid: coordinator ? 'group.refused.endCoordinator' : 'group.refused.notActive',
    fields: { validTo: 'group.refused.backDated' },
  };
  const api = useApiForm<{ validTo: string }>({ defaultValues: { validTo: localDate() }, onSaved: onDone });
  const fieldError = useFieldRefusal(api, refusals);
  return (
    <form
      onSubmit={api.submit((v) => end.runOrThrow({ input: { memberId: member.id, validTo: v.validTo || null } }))}
      noValidate
    >
      <p className="hint">{t('group.endMembershipHint')}</p>
      <Field label={t('group.lastDay')} error={fieldError('validTo')}>
        <input type="date" {...api.form.register('validTo')} />
      </Field>
      <Refusal problem={api.problem} refusals={refusals} />
      <FormButtons
        busy={api.form.formState.isSubmitting}
        saveLabel={t('group.end')}
        onCancel={() => mayLeave() && onDone()}
      />
    </form>
  );
}

const COORDINATOR_REFUSALS: Refusals = {
  forbidden: 'group.refused.coordinator',
  invalid: 'group.refused.coordinatorMember',
  fields: {},
};

function CoordinatorForm({ personId, member, onDone }: { personId: string; member: Member; onDone: () => void }) {
  const { t } = useI18n();
  const set = useMutation(SetCoordinatorDocument);
  const api = useApiForm<Record<string, never>>({ defaultValues: {}, onSaved: onDone });
  return (
    <form onSubmit={api.submit(() => set.runOrThrow({ input: { personId, staffId: member.staff.id } }))} noValidate>
      <p>{t('group.confirmCoordinator', { name: nameOf(member.staff) })}</p>
      <p className="hint">{t('group.coordinatorHint')}</p>
      <Refusal problem={api.problem} refusals={COORDINATOR_REFUSALS} />
      <FormButtons
        busy={api.form.formState.isSubmitting}
        saveLabel={t('group.makeCoordinator')}
        onCancel={() => mayLeave() && onDone()}
      />
    </form>
  );
}

const VOTING_REFUSALS: Refusals = {
  forbidden: 'group.refused.voting',
  invalid: 'group.refused.notActive',
  fields: { votingRepresentative: 'group.refused.votingPrincipal' },
};

function VotingForm({ member, onDone }: { member: Member; onDone: () => void }) {
  const { t } = useI18n();
  const set = useMutation(SetVotingRepresentativeDocument);
  const api = useApiForm<{ votingRepresentative: boolean }>({
    defaultValues: { votingRepresentative: member.votingRepresentative },
    onSaved: onDone,
  });
  const fieldError = useFieldRefusal(api, VOTING_REFUSALS);
  return (
    <form
      onSubmit={api.submit((v) =>
        set.runOrThrow({ input: { memberId: member.id, votingRepresentative: v.votingRepresentative } }),
      )}
      noValidate
    >
      <p className="hint">{t('group.votingChangeHint')}</p>
      <Field label={t('group.votingShort')} hint={t('group.votingHint')} error={fieldError('votingRepresentative')}>
        <input type="checkbox" {...api.form.register('votingRepresentative')} />
      </Field>
      <Refusal problem={api.problem} refusals={VOTING_REFUSALS} />
      <FormButtons busy={api.form.formState.isSubmitting} onCancel={() => mayLeave() && onDone()} />
    </form>
  );
}

// --- care episodes ---

function EpisodesCard({ person, me }: { person: Person; me: PersonGroupQuery['me'] }) {
  const { t, label, date } = useI18n();
  const mine = person.careEpisodes.find((e) => e.organisationId === me.organisationId && e.status === 'ACTIVE');
  return (
    <section className="card" aria-labelledby="episodes-heading">
      <h2 id="episodes-heading">{t('group.episodes')}</h2>
      {person.careEpisodes.length === 0 ? (
        <p>{t('group.noEpisodes')}</p>
      ) : (
        <ul className="plain episodes">
          {person.careEpisodes.map((e) => (
            <li key={e.id} data-testid={`episode-${e.kind}`}>
              <strong>{label('EpisodeKind', e.kind)}</strong> ({e.organisation.name}, {label('Principal', e.principal)}
              ): <span className={`tag episode-${e.status.toLowerCase()}`}>
                {label('EpisodeStatus', e.status)}
              </span>{' '}
              <span className="muted">
                {t('group.episodeSince', { date: date(e.startedOn) })}
                {e.endedAt && `, ${t('group.endedOn', { date: date(e.endedAt) })}`}
                {e.endingReason && ` – ${t(`group.endReasons.${e.endingReason}`)}`}
              </span>
            </li>
          ))}
        </ul>
      )}
      <div className="card-actions">
        {mine ? (
          <DialogButton label={t('group.endEpisode')}>
            {(close) => <EndEpisodeForm personId={person.id} onDone={close} />}
          </DialogButton>
        ) : (
          <DialogButton label={t('group.open')}>
            {(close) => <OpenEpisodeForm personId={person.id} me={me} onDone={close} />}
          </DialogButton>
        )}
      </div>
    </section>
  );
}

const OPEN_EPISODE_REFUSALS: Refusals = {
  conflict: 'group.refused.episodeOpen',
  fields: { kind: 'group.refused.episodeKind' },
};

function OpenEpisodeForm({
  personId,
  me,
  onDone,
}: {
  personId: string;
  me: PersonGroupQuery['me'];
  onDone: () => void;
}) {
  const { t, label } = useI18n();
  const open = useMutation(OpenCareEpisodeDocument);
  const api = useApiForm<{ kind: EpisodeKind; startedOn: string }>({
    defaultValues: { kind: USUAL_KIND[me.organisation.principal], startedOn: localDate() },
    onSaved: onDone,
  });
  const fieldError = useFieldRefusal(api, OPEN_EPISODE_REFUSALS);
  return (
    <form
      onSubmit={api.submit((v) =>
        open.runOrThrow({ input: { personId, kind: v.kind, startedOn: v.startedOn || null } }),
      )}
      noValidate
    >
      <p className="hint">{t('group.openHint', { organisation: me.organisation.name })}</p>
      <Field label={t('group.kind')} error={fieldError('kind')}>
        <select {...api.form.register('kind')}>
          {EPISODE_KINDS.map((k) => (
            <option key={k} value={k}>
              {label('EpisodeKind', k)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('group.startedOn')} error={fieldError('startedOn')}>
        <input type="date" {...api.form.register('startedOn')} />
      </Field>
      <Refusal problem={api.problem} refusals={OPEN_EPISODE_REFUSALS} />
      <FormButtons
        busy={api.form.formState.isSubmitting}
        saveLabel={t('group.open')}
        onCancel={() => mayLeave() && onDone()}
      />
    </form>
  );
}

const END_EPISODE_REFUSALS: Refusals = {
  forbidden: 'group.refused.episodeOrganisation',
  invalid: 'group.refused.episodeNone',
  fields: { evidence: 'group.refused.evidence' },
};

/** An ending no one decides; a discharge goes through the group's decision on the decisions page. */
function EndEpisodeForm({ personId, onDone }: { personId: string; onDone: () => void }) {
  const { t } = useI18n();
  const end = useMutation(RecordEpisodeEndingDocument);
  const api = useApiForm<{ reason: EndingReason; evidence: string }>({
    defaultValues: { reason: 'MOVED_OUT_OF_AREA', evidence: '' },
    onSaved: onDone,
  });
  const fieldError = useFieldRefusal(api, END_EPISODE_REFUSALS);
  return (
    <form
      onSubmit={api.submit((v) =>
        end.runOrThrow({ input: { personId, reason: v.reason, evidence: v.evidence.trim() } }),
      )}
      noValidate
    >
      <p className="hint">{t('group.endEpisodeHint')}</p>
      <p>
        <Link to={`/persons/${personId}/decisions`}>{t('group.toDecisions')}</Link>
      </p>
      <Field label={t('group.reason')} error={fieldError('reason')}>
        <select {...api.form.register('reason')}>
          {ENDING_REASONS.map((r) => (
            <option key={r} value={r}>
              {t(`group.endReasons.${r}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('group.evidence')} hint={t('group.evidenceHint')} error={fieldError('evidence')}>
        <textarea rows={2} {...api.form.register('evidence', { required: 'required' })} />
      </Field>
      <Refusal problem={api.problem} refusals={END_EPISODE_REFUSALS} />
      <FormButtons
        busy={api.form.formState.isSubmitting}
        saveLabel={t('group.endEpisode')}
        onCancel={() => mayLeave() && onDone()}
      />
    </form>
  );
}

// --- ACT team ---

function ActCard({ person }: { person: Person }) {
  const { t, date } = useI18n();
  const places = person.actTeams.flatMap((team) =>
    team.caseload.filter((c) => c.personId === person.id && !c.validTo).map((place) => ({ team, place })),
  );
  return (
    <section className="card" aria-labelledby="act-heading">
      <h2 id="act-heading">{t('group.act')}</h2>
      {places.length === 0 ? (
        <p>{t('group.noAct')}</p>
      ) : (
        <ul className="plain act-places">
          {places.map(({ team, place }) => (
            <li key={place.id} data-testid="act-place">
              <strong>{team.name}</strong>{' '}
              <span className="muted">{t('group.enrolledSince', { date: date(place.validFrom) })}</span>
              <div>
                {t('group.caseManager')}:{' '}
                {place.caseManager ? (
                  nameOf(place.caseManager)
                ) : (
                  <span className="muted">{t('group.noCaseManager')}</span>
                )}
              </div>
              {team.onCallPhone && <div className="muted">{t('group.onCallPhone', { phone: team.onCallPhone })}</div>}
              <div className="card-actions">
                <DialogButton label={t('group.changeCaseManager')}>
                  {(close) => <CaseManagerForm team={team} place={place} onDone={close} />}
                </DialogButton>
                <DialogButton label={t('group.endPlace')}>
                  {(close) => <EndPlaceForm team={team} clientId={place.id} onDone={close} />}
                </DialogButton>
              </div>
            </li>
          ))}
        </ul>
      )}
      <div className="card-actions">
        <DialogButton label={t('group.enrol')}>
          {(close) => <EnrolForm personId={person.id} onDone={close} />}
        </DialogButton>
      </div>
    </section>
  );
}

// "Already on the caseload" names the person (no field of this form): said above the buttons.
const ENROL_REFUSALS: Refusals = {
  invalid: 'group.refused.alreadyEnrolled',
  fields: { caseManagerStaffId: 'group.refused.caseManager' },
};

function EnrolForm({ personId, onDone }: { personId: string; onDone: () => void }) {
  const { t, label } = useI18n();
  const teams = useQuery(ActTeamChoicesDocument, {});
  const enrol = useMutation(EnrolInActTeamDocument);
  const api = useApiForm<{ teamId: string; caseManagerStaffId: string }>({
    defaultValues: { teamId: '', caseManagerStaffId: '' },
    onSaved: onDone,
  });
  const fieldError = useFieldRefusal(api, ENROL_REFUSALS);
  const teamId = api.form.watch('teamId');
  const team = teams.data?.actTeams.find((x) => x.id === teamId);
  return (
    <form
      onSubmit={api.submit((v) =>
        enrol.runOrThrow({ input: { personId, teamId: v.teamId, caseManagerStaffId: v.caseManagerStaffId || null } }),
      )}
      noValidate
    >
      <p className="hint">{t('group.enrolHint')}</p>
      <QueryView state={teams}>
        {(data) => (
          <>
            <Field label={t('group.team')} error={fieldError('teamId')}>
              <select {...api.form.register('teamId', { required: 'required' })}>
                <option value="">{t('common.none')}</option>
                {data.actTeams.map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name} ({x.organisation.name})
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('group.chooseCaseManager')} error={fieldError('caseManagerStaffId')}>
              <select {...api.form.register('caseManagerStaffId')}>
                <option value="">{t('group.laterCaseManager')}</option>
                {team?.roster.map((m) => (
                  <option key={m.id} value={m.staffId}>
                    {nameOf(m.staff)}, {label('Profession', m.staff.profession)}
                  </option>
                ))}
              </select>
            </Field>
          </>
        )}
      </QueryView>
      <Refusal problem={api.problem} refusals={ENROL_REFUSALS} />
      <FormButtons
        busy={api.form.formState.isSubmitting}
        saveLabel={t('group.enrol')}
        onCancel={() => mayLeave() && onDone()}
      />
    </form>
  );
}

const PLACE_REFUSALS: Refusals = {
  forbidden: 'group.refused.place',
  invalid: 'group.refused.placeEnded',
  fields: { caseManagerStaffId: 'group.refused.caseManager' },
};

function CaseManagerForm({ team, place, onDone }: { team: Team; place: Team['caseload'][number]; onDone: () => void }) {
  const { t, label } = useI18n();
  const change = useMutation(ChangeCaseManagerDocument);
  const api = useApiForm<{ caseManagerStaffId: string }>({
    defaultValues: { caseManagerStaffId: place.caseManagerStaffId ?? '' },
    onSaved: onDone,
  });
  const fieldError = useFieldRefusal(api, PLACE_REFUSALS);
  return (
    <form
      onSubmit={api.submit((v) =>
        change.runOrThrow({ input: { clientId: place.id, caseManagerStaffId: v.caseManagerStaffId } }),
      )}
      noValidate
    >
      <Field label={t('group.newCaseManager')} error={fieldError('caseManagerStaffId')}>
        <select {...api.form.register('caseManagerStaffId', { required: 'required' })}>
          <option value="">{t('common.none')}</option>
          {team.roster.map((m) => (
            <option key={m.id} value={m.staffId}>
              {nameOf(m.staff)}, {label('Profession', m.staff.profession)}
            </option>
          ))}
        </select>
      </Field>
      <Refusal problem={api.problem} refusals={PLACE_REFUSALS} />
      <FormButtons busy={api.form.formState.isSubmitting} onCancel={() => mayLeave() && onDone()} />
    </form>
  );
}

function EndPlaceForm({ team, clientId, onDone }: { team: Team; clientId: string; onDone: () => void }) {
  const { t } = useI18n();
  const end = useMutation(EndActTeamPlaceDocument);
  const api = useApiForm<Record<string, never>>({ defaultValues: {}, onSaved: onDone });
  return (
    <form onSubmit={api.submit(() => end.runOrThrow({ input: { clientId } }))} noValidate>
      <p>{t('group.endPlaceHint', { team: team.name })}</p>
      <Refusal problem={api.problem} refusals={PLACE_REFUSALS} />
      <FormButtons
        busy={api.form.formState.isSubmitting}
        saveLabel={t('group.confirmEnd')}
        onCancel={() => mayLeave() && onDone()}
      />
    </form>
  );
}
