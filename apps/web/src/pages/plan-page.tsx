// The SIP plan of one person: the editor (a draft or a plan under revision, revised as a whole), follow-up
// mode for a plan in force (each principal moves its own interventions, the next date, a follow-up held),
// the revision history and the SIP meetings.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useFieldArray, useWatch } from 'react-hook-form';
import { ApiError } from '../api/client';
import {
  CreatePlanDocument,
  EditPlanDocument,
  PlanEditorDocument,
  RecordPlanApprovalDocument,
  RecordSipFollowUpDocument,
  SetFollowUpDocument,
  SetInterventionStatusDocument,
  TransitionPlanDocument,
  type InterventionStatus,
  type NeedArea,
  type ParticipantKind,
  type PlanContentInput,
  type PlanEditorQuery,
  type PlanFieldsFragment,
  type PlanApprovalMethod,
  type Principal,
  type SipPlanStatus,
} from '../api/generated';
import { useMutation, useQuery } from '../api/hooks';
import { DialogButton } from '../components/dialog';
import { Field } from '../components/field';
import { Layout } from '../components/layout';
import { PersonTabs } from '../components/person-tabs';
import { ErrorMessage, QueryView } from '../components/status';
import { FormButtons, FormProblem, useApiForm } from '../forms/api-form';
import { useI18n, type I18n } from '../i18n/i18n';
import { localDate } from '../lib/local-time';
import { Link } from '../router';
import { diffPlans, type DiffLine } from '../lib/plan-diff';
import { SipMeetingsCard } from './sip-meetings';

const NEED_AREAS: NeedArea[] = [
  'HOUSING',
  'MENTAL_HEALTH',
  'SUBSTANCE_USE',
  'PHYSICAL_HEALTH',
  'INCOME',
  'OCCUPATION',
  'DAILY_LIVING',
  'SOCIAL_NETWORK',
  'SAFETY',
  'CHILDREN_AND_FAMILY',
  'OTHER',
];
const INTERVENTION_STATUSES: InterventionStatus[] = ['PLANNED', 'ONGOING', 'COMPLETED', 'CANCELLED'];
const PARTICIPANT_KINDS: ParticipantKind[] = ['PERSON', 'STAFF', 'RELATIVE', 'OTHER'];

type Person = PlanEditorQuery['person'];
type Organisation = { id: string; name: string; principal: Principal };
type StaffOption = { id: string; name: string };
type RelativeOption = { id: string; name: string; relation: string; mayParticipate: boolean };

interface Draft {
  personGoals: string;
  followUpOn: string;
  consentGivenAt: string;
  consentValidUntil: string;
  overallResponsibilityOrganisationId: string;
  needs: Array<{ id: string | null; area: NeedArea; description: string }>;
  interventions: Array<{
    id: string | null;
    description: string;
    responsibleOrganisationId: string;
    status: InterventionStatus;
  }>;
  otherMeasures: Array<{ id: string | null; actorName: string; description: string; organisationId: string | null }>;
  participants: Array<{ kind: ParticipantKind; staffId: string; relativeId: string; name: string; summoned: boolean }>;
}

function draftOf(plan: PlanFieldsFragment): Draft {
  return {
    personGoals: plan.personGoals,
    followUpOn: plan.followUpOn ?? '',
    consentGivenAt: plan.consentGivenAt ?? '',
    consentValidUntil: plan.consentValidUntil ?? '',
    overallResponsibilityOrganisationId: plan.overallResponsibilityOrganisationId ?? '',
    needs: plan.needs.map((n) => ({ id: n.id, area: n.area, description: n.description })),
    interventions: plan.interventions.map((i) => ({
      id: i.id,
      description: i.description,
      responsibleOrganisationId: i.responsibleOrganisationId,
      status: i.status,
    })),
    otherMeasures: plan.otherMeasures.map((m) => ({
      id: m.id,
      actorName: m.actorName,
      description: m.description,
      organisationId: m.organisationId ?? null,
    })),
    participants: plan.participants.map((p) => ({
      kind: p.kind,
      staffId: p.staffId ?? '',
      relativeId: p.relativeId ?? '',
      name: p.name ?? '',
      summoned: p.summoned,
    })),
  };
}

/** The whole plan content for editSipPlan, list items in the form's order (so the API's field paths point at the form's fields). */
function contentOf(plan: PlanFieldsFragment, draft: Draft, organisations: Organisation[]): PlanContentInput {
  const principalOf = (id: string) => organisations.find((o) => o.id === id)?.principal ?? 'OTHER';
  return {
    personGoals: draft.personGoals,
    followUpOn: draft.followUpOn || null,
    consentGivenAt: draft.consentGivenAt || null,
    consentValidUntil: draft.consentValidUntil || null,
    overallResponsibilityOrganisationId: draft.overallResponsibilityOrganisationId || null,
    overallResponsibilityPrincipal: draft.overallResponsibilityOrganisationId
      ? principalOf(draft.overallResponsibilityOrganisationId)
      : plan.overallResponsibilityPrincipal,
    needs: draft.needs.map((n) => ({ id: n.id, area: n.area, description: n.description })),
    interventions: draft.interventions.map((i) => {
      const previous = plan.interventions.find((p) => p.id === i.id);
      return {
        id: i.id,
        description: i.description,
        status: i.status,
        responsibleOrganisationId: i.responsibleOrganisationId,
        responsiblePrincipal: principalOf(i.responsibleOrganisationId),
        needId: previous?.needId ?? null,
      };
    }),
    otherMeasures: draft.otherMeasures.map((m) => ({
      id: m.id,
      actorName: m.actorName,
      description: m.description,
      organisationId: m.organisationId,
    })),
    participants: draft.participants.map((p) => ({
      kind: p.kind,
      staffId: p.kind === 'STAFF' ? p.staffId || null : null,
      relativeId: p.kind === 'RELATIVE' ? p.relativeId || null : null,
      name: p.kind === 'OTHER' ? p.name : null,
      summoned: p.summoned,
    })),
  };
}

/** The API names principals; the form chooses each through its organisation, so their problems go to that field. */
function onFormFields(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  const fields = error.fields.map((p) => ({
    ...p,
    field: p.field.replace(/(overallResponsibility|responsible)Principal$/, '$1OrganisationId'),
  }));
  return new ApiError(error.kind, error.message, fields);
}

export function PlanPage({ personId }: { personId: string }) {
  const { t } = useI18n();
  const query = useQuery(PlanEditorDocument, { personId });
  const person = query.data?.person;
  return (
    <Layout title={person ? t('plan.title', { name: `${person.givenName} ${person.familyName}` }) : t('person.plan')}>
      <PersonTabs personId={personId} />
      <p className="plan-document-link">
        <Link to={`/persons/${personId}/plan/document`}>{t('sipDocument.link')}</Link>
      </p>
      <QueryView state={query}>{(data) => <PlanWorkspace person={data.person} onChanged={query.refetch} />}</QueryView>
    </Layout>
  );
}

function PlanWorkspace({ person, onChanged }: { person: Person; onChanged: () => Promise<void> }) {
  const { t } = useI18n();
  const create = useMutation(CreatePlanDocument);
  const plan = person.currentSipPlan;
  if (!plan) {
    return (
      <div className="grid">
        <section className="card">
          <p>{t('plan.noPlan')}</p>
          {create.error && <ErrorMessage error={create.error} />}
          <button
            type="button"
            className="button primary"
            disabled={create.busy}
            onClick={async () => (await create.run({ input: { personId: person.id } })) && onChanged()}
          >
            {t('plan.create')}
          </button>
        </section>
        <SipMeetingsCard personId={person.id} />
      </div>
    );
  }
  const organisations = uniqueOrganisations(person);
  const staff = staffOf(person);
  const staffNames = new Map(staff.map((s) => [s.id, s.name]));
  const relatives: RelativeOption[] = person.relatives.map((r) => ({
    id: r.id,
    name: r.name,
    relation: r.relation,
    mayParticipate: r.mayParticipate,
  }));
  return (
    <div className="grid">
      {plan.status === 'ACTIVE' && <FollowUpCard plan={plan} staffNames={staffNames} />}
      <PlanEditor plan={plan} organisations={organisations} staff={staff} relatives={relatives} />
      <PlanHistory key={plan.version} plan={plan} staffNames={staffNames} organisations={organisations} />
      <SipMeetingsCard personId={person.id} />
    </div>
  );
}

function staffOf(person: Person): StaffOption[] {
  const byId = new Map<string, StaffOption>();
  for (const m of person.collaborationGroup?.members ?? [])
    byId.set(m.staff.id, { id: m.staff.id, name: `${m.staff.givenName} ${m.staff.familyName}` });
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name, 'sv'));
}

function uniqueOrganisations(person: Person): Organisation[] {
  const byId = new Map<string, Organisation>();
  for (const m of person.collaborationGroup?.members ?? []) byId.set(m.staff.organisation.id, m.staff.organisation);
  const overall = person.currentSipPlan?.overallResponsibilityOrganisation;
  if (overall && !byId.has(overall.id)) byId.set(overall.id, overall);
  for (const i of person.currentSipPlan?.interventions ?? []) {
    if (!byId.has(i.responsibleOrganisationId))
      byId.set(i.responsibleOrganisationId, {
        id: i.responsibleOrganisationId,
        name: i.responsibleOrganisation.name,
        principal: i.responsiblePrincipal,
      });
  }
  return [...byId.values()];
}

/** Principals answer for interventions: only the municipality's and the region's organisations may be responsible. */
const principalOrganisations = (organisations: Organisation[]) => organisations.filter((o) => o.principal !== 'OTHER');

function PlanEditor({
  plan,
  organisations,
  staff,
  relatives,
}: {
  plan: PlanFieldsFragment;
  organisations: Organisation[];
  staff: StaffOption[];
  relatives: RelativeOption[];
}) {
  const { t, label } = useI18n();
  const edit = useMutation(EditPlanDocument);
  const transition = useMutation(TransitionPlanDocument);
  const [saved, setSaved] = useState(false);
  const { form, problem, submit, errorOf } = useApiForm<Draft>({ defaultValues: draftOf(plan) });
  const { register, control, formState } = form;
  const needs = useFieldArray({ control, name: 'needs' });
  const interventions = useFieldArray({ control, name: 'interventions' });
  const otherMeasures = useFieldArray({ control, name: 'otherMeasures' });
  const participants = useFieldArray({ control, name: 'participants' });
  const participantKinds = useWatch({ control, name: 'participants' });
  const editable = plan.status === 'DRAFT' || plan.status === 'UNDER_REVISION';
  const busy = formState.isSubmitting || edit.busy || transition.busy;
  const responsible = principalOrganisations(organisations);
  const addIntervention = useRef<HTMLButtonElement>(null);

  // A new version from the server (a save, a follow-up, a colleague) is shown once no edits are pending here:
  // those are never thrown away, and saving them names the version they were made on, so saving over a
  // colleague's change is refused as a conflict rather than overwriting it.
  const baseVersion = useRef(plan.version);
  const dirty = formState.isDirty;
  useEffect(() => {
    if (baseVersion.current === plan.version || dirty) return;
    baseVersion.current = plan.version;
    form.reset(draftOf(plan));
  }, [plan, form, dirty]);

  // "A plan in force needs an intervention" names the list: focus goes to its add button.
  const interventionsError = errorOf('interventions');
  useEffect(() => {
    if (interventionsError) addIntervention.current?.focus();
  }, [interventionsError]);

  /** Saves the form's edits; resolves to the version saved. */
  const saveDraft = async (values: Draft): Promise<number> => {
    try {
      const result = await edit.runOrThrow({
        input: {
          planId: plan.id,
          expectedVersion: baseVersion.current,
          content: contentOf(plan, values, organisations),
        },
      });
      return result.editSipPlan.version;
    } catch (e) {
      throw onFormFields(e);
    }
  };

  const save = submit(async (values) => {
    setSaved(false);
    await saveDraft(values);
    setSaved(true);
  });

  /** Adopting (fastställa) with unsaved edits saves them first, and adopts the version saved, or stops at the save's refusal. */
  const move = (status: SipPlanStatus) =>
    submit(async (values) => {
      setSaved(false);
      let version = baseVersion.current;
      if (form.formState.isDirty) {
        version = await saveDraft(values);
        form.reset(values);
      }
      try {
        await transition.runOrThrow({ input: { planId: plan.id, expectedVersion: version, status } });
      } catch (e) {
        throw onFormFields(e);
      }
    });

  const organisationOptions = (list: Organisation[]) =>
    list.map((o) => (
      <option key={o.id} value={o.id}>
        {label('Principal', o.principal)}: {o.name}
      </option>
    ));

  return (
    <section className="card wide" aria-labelledby="editor-heading">
      <h2 id="editor-heading">
        {label('SipPlanStatus', plan.status)} · {t('plan.version', { version: plan.version })}
      </h2>
      {saved && !formState.isDirty && (
        <p className="status status-ok" role="status">
          {t('status.saved')}
        </p>
      )}
      {!editable && <p className="notice">{t('plan.readOnly')}</p>}
      <div className="actions">
        {(plan.status === 'DRAFT' || plan.status === 'UNDER_REVISION') && (
          <button type="button" className="button secondary" disabled={busy} onClick={move('ACTIVE')}>
            {formState.isDirty ? t('plan.saveAndActivate') : t('plan.activate')}
          </button>
        )}
        {plan.status === 'ACTIVE' && (
          <button type="button" className="button secondary" disabled={busy} onClick={move('UNDER_REVISION')}>
            {t('plan.revise')}
          </button>
        )}
      </div>
      {editable && formState.isDirty && <p className="hint">{t('plan.activateSavesFirst')}</p>}
      <form onSubmit={save} noValidate aria-labelledby="editor-heading">
        {/* Not disabled while saving: a refused save moves focus to its field, which a disabled one cannot take. */}
        <fieldset disabled={!editable}>
          <Field label={t('plan.goals')} error={errorOf('personGoals')}>
            <textarea rows={3} {...register('personGoals')} />
          </Field>
          <div className="row">
            <Field label={t('plan.followUpOn')} error={errorOf('followUpOn')}>
              <input type="date" {...register('followUpOn')} />
            </Field>
            <Field label={t('plan.consentGivenAt')} error={errorOf('consentGivenAt')}>
              <input type="date" {...register('consentGivenAt')} />
            </Field>
            <Field label={t('plan.consentValidUntil')} error={errorOf('consentValidUntil')}>
              <input type="date" {...register('consentValidUntil')} />
            </Field>
          </div>
          <Field label={t('plan.overallResponsibility')} error={errorOf('overallResponsibilityOrganisationId')}>
            <select {...register('overallResponsibilityOrganisationId')}>
              <option value="">{t('common.none')}</option>
              {organisationOptions(responsible)}
            </select>
          </Field>

          <fieldset className="group">
            <legend>{t('plan.needs')}</legend>
            {needs.fields.map((need, index) => (
              <div className="row item need" key={need.id}>
                <Field label={t('plan.area')} error={errorOf(`needs.${index}.area`)}>
                  <select {...register(`needs.${index}.area`)}>
                    {NEED_AREAS.map((a) => (
                      <option key={a} value={a}>
                        {label('NeedArea', a)}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field label={t('plan.description')} error={errorOf(`needs.${index}.description`)}>
                  <input {...register(`needs.${index}.description`)} />
                </Field>
                <button
                  type="button"
                  className="button secondary small"
                  onClick={() => needs.remove(index)}
                  aria-label={t('plan.removeNumbered', { what: t('plan.need'), n: index + 1 })}
                >
                  {t('plan.remove')}
                </button>
              </div>
            ))}
            <button
              type="button"
              className="button secondary small"
              onClick={() => needs.append({ id: null, area: 'HOUSING', description: '' })}
            >
              {t('plan.addNeed')}
            </button>
          </fieldset>

          <fieldset className={`group${interventionsError ? ' field-invalid' : ''}`}>
            <legend>{t('plan.interventions')}</legend>
            {interventions.fields.map((item, index) => (
              <div className="row item intervention" key={item.id}>
                <Field label={t('plan.description')} error={errorOf(`interventions.${index}.description`)}>
                  <input {...register(`interventions.${index}.description`)} />
                </Field>
                <Field
                  label={t('plan.responsible')}
                  error={errorOf(`interventions.${index}.responsibleOrganisationId`)}
                >
                  <select {...register(`interventions.${index}.responsibleOrganisationId`)}>
                    {organisationOptions(responsible)}
                  </select>
                </Field>
                <Field label={t('plan.status')} error={errorOf(`interventions.${index}.status`)}>
                  <select {...register(`interventions.${index}.status`)}>
                    {INTERVENTION_STATUSES.map((s) => (
                      <option key={s} value={s}>
                        {label('InterventionStatus', s)}
                      </option>
                    ))}
                  </select>
                </Field>
                <button
                  type="button"
                  className="button secondary small"
                  onClick={() => interventions.remove(index)}
                  aria-label={t('plan.removeNumbered', { what: t('plan.intervention'), n: index + 1 })}
                >
                  {t('plan.remove')}
                </button>
              </div>
            ))}
            {interventionsError && (
              <p className="field-error" id="interventions-error">
                {interventionsError}
              </p>
            )}
            <button
              ref={addIntervention}
              type="button"
              className="button secondary small"
              disabled={responsible.length === 0}
              aria-describedby={interventionsError ? 'interventions-error' : undefined}
              onClick={() =>
                interventions.append({
                  id: null,
                  description: '',
                  responsibleOrganisationId: responsible[0]?.id ?? '',
                  status: 'PLANNED',
                })
              }
            >
              {t('plan.addIntervention')}
            </button>
          </fieldset>

          <fieldset className="group">
            <legend>{t('plan.otherMeasures')}</legend>
            <p className="hint">{t('plan.otherMeasuresHint')}</p>
            {otherMeasures.fields.map((item, index) => (
              <div className="row item other-measure" key={item.id}>
                <Field label={t('plan.actorName')} error={errorOf(`otherMeasures.${index}.actorName`)}>
                  <input {...register(`otherMeasures.${index}.actorName`)} />
                </Field>
                <Field label={t('plan.description')} error={errorOf(`otherMeasures.${index}.description`)}>
                  <input {...register(`otherMeasures.${index}.description`)} />
                </Field>
                <button
                  type="button"
                  className="button secondary small"
                  onClick={() => otherMeasures.remove(index)}
                  aria-label={t('plan.removeNumbered', { what: t('plan.otherMeasure'), n: index + 1 })}
                >
                  {t('plan.remove')}
                </button>
              </div>
            ))}
            <button
              type="button"
              className="button secondary small"
              onClick={() => otherMeasures.append({ id: null, actorName: '', description: '', organisationId: null })}
            >
              {t('plan.addOtherMeasure')}
            </button>
          </fieldset>

          <fieldset className="group">
            <legend>{t('plan.participants')}</legend>
            {participants.fields.map((item, index) => {
              const kind = participantKinds?.[index]?.kind ?? item.kind;
              return (
                <div className="row item participant" key={item.id}>
                  <Field label={t('plan.participantKind')} error={errorOf(`participants.${index}.kind`)}>
                    <select {...register(`participants.${index}.kind`)}>
                      {PARTICIPANT_KINDS.map((k) => (
                        <option key={k} value={k}>
                          {label('ParticipantKind', k)}
                        </option>
                      ))}
                    </select>
                  </Field>
                  {kind === 'STAFF' && (
                    <Field label={t('plan.participantStaff')} error={errorOf(`participants.${index}.staffId`)}>
                      <select {...register(`participants.${index}.staffId`)}>
                        <option value="">{t('common.none')}</option>
                        {staff.map((s) => (
                          <option key={s.id} value={s.id}>
                            {s.name}
                          </option>
                        ))}
                      </select>
                    </Field>
                  )}
                  {kind === 'RELATIVE' && (
                    <Field
                      label={t('plan.participantRelative')}
                      hint={t('plan.participantRelativeHint')}
                      error={errorOf(`participants.${index}.relativeId`)}
                    >
                      <select {...register(`participants.${index}.relativeId`)}>
                        <option value="">{t('common.none')}</option>
                        {relatives
                          .filter((r) => r.mayParticipate || r.id === item.relativeId)
                          .map((r) => (
                            <option key={r.id} value={r.id}>
                              {r.name} ({r.relation})
                            </option>
                          ))}
                      </select>
                    </Field>
                  )}
                  {kind === 'OTHER' && (
                    <Field label={t('plan.participantName')} error={errorOf(`participants.${index}.name`)}>
                      <input {...register(`participants.${index}.name`)} />
                    </Field>
                  )}
                  <label className="choice">
                    <input type="checkbox" {...register(`participants.${index}.summoned`)} /> {t('plan.summonedChoice')}
                  </label>
                  <button
                    type="button"
                    className="button secondary small"
                    onClick={() => participants.remove(index)}
                    aria-label={t('plan.removeNumbered', { what: t('plan.participant'), n: index + 1 })}
                  >
                    {t('plan.remove')}
                  </button>
                </div>
              );
            })}
            <button
              type="button"
              className="button secondary small"
              onClick={() =>
                participants.append({ kind: 'STAFF', staffId: '', relativeId: '', name: '', summoned: true })
              }
            >
              {t('plan.addParticipant')}
            </button>
          </fieldset>
          <FormProblem problem={problem} />
          <FormButtons busy={busy} saveLabel={edit.busy ? t('plan.saving') : t('plan.save')} />
        </fieldset>
      </form>
    </section>
  );
}

/**
 * Follow-up mode of a plan in force: the reader's principal moves its own interventions (the server says
 * which, `mayUpdateStatus`), anyone in the group moves the next date or records a follow-up held.
 */
function FollowUpCard({ plan, staffNames }: { plan: PlanFieldsFragment; staffNames: Map<string, string> }) {
  const { t, label, date, dateTime } = useI18n();
  const overdue = !!plan.followUpOn && plan.followUpOn < localDate();
  const others = plan.interventions.filter((i) => !i.mayUpdateStatus);
  return (
    <section className="card wide" aria-labelledby="follow-up-heading">
      <h2 id="follow-up-heading">{t('followUp.title')}</h2>
      <p>
        {t('followUp.next')}: <strong>{date(plan.followUpOn)}</strong>{' '}
        {overdue && <span className="tag tag-danger">{t('followUp.overdue')}</span>}
      </p>
      <div className="actions">
        <DialogButton label={t('followUp.recordHeld')} className="button">
          {(close) => <RecordFollowUpForm plan={plan} onDone={close} />}
        </DialogButton>
        <DialogButton label={t('followUp.changeDate')}>
          {(close) => <FollowUpDateForm plan={plan} onDone={close} />}
        </DialogButton>
      </div>
      <InterventionStatusForm plan={plan} />
      {others.length > 0 && (
        <>
          <h3>{t('followUp.othersInterventions')}</h3>
          <ul className="plain follow-up-others">
            {others.map((i) => (
              <li key={i.id}>
                {i.description}{' '}
                <span className="muted">
                  ({label('Principal', i.responsiblePrincipal)}: {i.responsibleOrganisation.name})
                </span>{' '}
                <span className="tag">{label('InterventionStatus', i.status)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>{t('followUp.held')}</h3>
      {plan.followUps.length === 0 ? (
        <p>{t('followUp.noneHeld')}</p>
      ) : (
        <ol className="plain follow-ups">
          {plan.followUps.map((f) => (
            <li key={f.id}>
              <strong>{date(f.heldOn)}</strong>{' '}
              <span className="muted">
                {t('followUp.recordedBy', {
                  name: staffNames.get(f.recordedBy) ?? t('common.none'),
                  when: dateTime(f.recordedAt),
                })}
              </span>
              <p>{f.summary}</p>
              <p className="muted">{t('followUp.nextSet', { date: date(f.nextFollowUpOn) })}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

interface StatusDraft {
  items: Array<{ id: string; status: InterventionStatus }>;
}

const statusesOf = (p: PlanFieldsFragment): StatusDraft => ({
  items: p.interventions.filter((i) => i.mayUpdateStatus).map((i) => ({ id: i.id, status: i.status })),
});

/** The reader's own principal's interventions, each with its status; saves those changed, one after the other. */
function InterventionStatusForm({ plan }: { plan: PlanFieldsFragment }) {
  const { t, label } = useI18n();
  const own = plan.interventions.filter((i) => i.mayUpdateStatus);
  const setStatus = useMutation(SetInterventionStatusDocument);
  const [saved, setSaved] = useState(false);
  const { form, problem, submit, errorOf } = useApiForm<StatusDraft>({ defaultValues: statusesOf(plan) });
  // As the editor: a new version is shown once nothing is pending here (each status saved makes one).
  const shown = useRef(plan.version);
  const dirty = form.formState.isDirty;
  useEffect(() => {
    if (shown.current === plan.version || dirty) return;
    shown.current = plan.version;
    form.reset(statusesOf(plan));
  }, [plan, form, dirty]);
  if (own.length === 0) return <p className="notice">{t('followUp.noOwn')}</p>;
  const save = submit(async (values) => {
    setSaved(false);
    let version = plan.version;
    for (const item of values.items) {
      if (own.find((i) => i.id === item.id)?.status === item.status) continue;
      version = (
        await setStatus.runOrThrow({
          input: { planId: plan.id, expectedVersion: version, interventionId: item.id, status: item.status },
        })
      ).setInterventionStatus.version;
    }
    setSaved(true);
  });
  return (
    <form onSubmit={save} noValidate aria-labelledby="own-interventions-heading" className="follow-up-form">
      <h3 id="own-interventions-heading">{t('followUp.ownInterventions')}</h3>
      {own.map((intervention, index) => (
        <div className="row item" key={intervention.id}>
          <Field
            label={intervention.description}
            hint={`${label('Principal', intervention.responsiblePrincipal)}: ${intervention.responsibleOrganisation.name}`}
            error={errorOf(`items.${index}.status`)}
          >
            <select {...form.register(`items.${index}.status`)}>
              {INTERVENTION_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {label('InterventionStatus', s)}
                </option>
              ))}
            </select>
          </Field>
        </div>
      ))}
      {saved && !form.formState.isDirty && (
        <p className="status status-ok" role="status">
          {t('followUp.statusSaved')}
        </p>
      )}
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} saveLabel={t('followUp.saveStatus')} />
    </form>
  );
}

function FollowUpDateForm({ plan, onDone }: { plan: PlanFieldsFragment; onDone: () => void }) {
  const { t } = useI18n();
  const setFollowUp = useMutation(SetFollowUpDocument);
  const { form, problem, submit, errorOf } = useApiForm<{ followUpOn: string }>({
    defaultValues: { followUpOn: plan.followUpOn ?? '' },
    onSaved: onDone,
  });
  const save = submit(async (values) =>
    setFollowUp.runOrThrow({
      input: { planId: plan.id, expectedVersion: plan.version, followUpOn: values.followUpOn },
    }),
  );
  return (
    <form onSubmit={save} noValidate>
      <Field label={t('plan.followUpOn')} error={errorOf('followUpOn')}>
        <input type="date" min={localDate()} {...form.register('followUpOn')} />
      </Field>
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} onCancel={onDone} saveLabel={t('followUp.saveDate')} />
    </form>
  );
}

function RecordFollowUpForm({ plan, onDone }: { plan: PlanFieldsFragment; onDone: () => void }) {
  const { t } = useI18n();
  const record = useMutation(RecordSipFollowUpDocument);
  const { form, problem, submit, errorOf } = useApiForm<{ summary: string; nextFollowUpOn: string }>({
    defaultValues: { summary: '', nextFollowUpOn: '' },
    onSaved: onDone,
  });
  const save = submit(async (values) =>
    record.runOrThrow({
      input: {
        planId: plan.id,
        expectedVersion: plan.version,
        summary: values.summary,
        nextFollowUpOn: values.nextFollowUpOn,
      },
    }),
  );
  return (
    <form onSubmit={save} noValidate>
      <p className="hint">{t('followUp.heldToday')}</p>
      <Field label={t('followUp.summary')} error={errorOf('summary')}>
        <textarea rows={4} {...form.register('summary')} />
      </Field>
      <Field label={t('followUp.nextFollowUpOn')} error={errorOf('nextFollowUpOn')}>
        <input type="date" {...form.register('nextFollowUpOn')} />
      </Field>
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} onCancel={onDone} saveLabel={t('followUp.saveHeld')} />
    </form>
  );
}

function describeLine(line: DiffLine, i18n: I18n): string {
  const section = {
    status: i18n.t('plan.status'),
    followUpOn: i18n.t('plan.followUpOn'),
    consentGivenAt: i18n.t('plan.consentGivenAt'),
    consentValidUntil: i18n.t('plan.consentValidUntil'),
    personGoals: i18n.t('plan.goals'),
    overallResponsibility: i18n.t('plan.overallResponsibility'),
    needs: i18n.t('plan.needs'),
    interventions: i18n.t('plan.interventions'),
    otherMeasures: i18n.t('person.otherMeasures'),
    participants: i18n.t('plan.participants'),
  }[line.section];
  return section;
}

function PlanHistory({
  plan,
  staffNames,
  organisations,
}: {
  plan: PlanFieldsFragment;
  staffNames: Map<string, string>;
  organisations: Organisation[];
}) {
  const i18n = useI18n();
  const { t, label, dateTime } = i18n;
  const versions = plan.versions;
  const [selected, setSelected] = useState(versions[0]?.version ?? 1);
  const index = versions.findIndex((v) => v.version === selected);
  const current = versions[index];
  const previous = versions[index + 1];
  const organisationName = useCallback(
    (id: string) => organisations.find((o) => o.id === id)?.name ?? t('consent.otherOrganisation'),
    [organisations, t],
  );
  const lines = useMemo(
    () =>
      current && previous
        ? diffPlans(previous.snapshot, current.snapshot, {
            need: (n) => `${label('NeedArea', n.area)}: ${n.description}`,
            intervention: (x) =>
              `${x.description} (${label('Principal', x.responsiblePrincipal)}${x.responsibleOrganisationId ? `: ${organisationName(x.responsibleOrganisationId)}` : ''}, ${label('InterventionStatus', x.status).toLowerCase()})`,
            participant: (p) =>
              `${(p.staffId && staffNames.get(p.staffId)) ?? p.name ?? label('ParticipantKind', p.kind)} (${p.summoned ? t('plan.summoned') : t('plan.invited')})`,
            principal: (p) => label('Principal', p),
            organisation: organisationName,
            status: (s) => label('SipPlanStatus', s),
          })
        : [],
    [current, previous, label, t, staffNames, organisationName],
  );
  return (
    <section className="card wide" aria-labelledby="history-heading">
      <h2 id="history-heading">{t('plan.history')}</h2>
      <div className="history">
        <ol className="versions">
          {versions.map((v) => (
            <li key={v.version}>
              <button
                type="button"
                className="link-button"
                aria-pressed={v.version === selected}
                onClick={() => setSelected(v.version)}
              >
                {t('plan.version', { version: v.version })}
              </button>
              <span className="muted">
                {' '}
                {t('plan.changedBy', { when: dateTime(v.changedAt) })}
                {staffNames.has(v.changedBy) && <> {t('plan.changedByWhom', { name: staffNames.get(v.changedBy)! })}</>}
              </span>
              {v.adopted && <ApprovalStatus plan={plan} version={v} staffNames={staffNames} />}
            </li>
          ))}
        </ol>
        <div className="diff" aria-live="polite">
          {current && previous ? (
            <>
              <h3>{t('plan.compare', { from: previous.version, to: current.version })}</h3>
              {lines.length === 0 ? (
                <p>{t('plan.noChanges')}</p>
              ) : (
                <ul className="diff-lines">
                  {lines.map((line, n) => (
                    <li key={n} className={`diff-${line.kind}`}>
                      <span className="diff-kind">{t(`plan.${line.kind}`)}</span>{' '}
                      <strong>{describeLine(line, i18n)}</strong>
                      {line.before !== undefined && <del>{line.before}</del>}
                      {line.after !== undefined && <ins>{line.after}</ins>}
                    </li>
                  ))}
                </ul>
              )}
            </>
          ) : (
            current && (
              <ul className="plain">
                {current.changes.map((c, n) => (
                  <li key={n}>{c}</li>
                ))}
              </ul>
            )
          )}
        </div>
      </div>
    </section>
  );
}

type PlanVersion = PlanFieldsFragment['versions'][number];

/** Whether the person approved an adopted version (how, when, recorded by whom); without it the version says so. */
function ApprovalStatus({
  plan,
  version,
  staffNames,
}: {
  plan: PlanFieldsFragment;
  version: PlanVersion;
  staffNames: Map<string, string>;
}) {
  const { t, label, dateTime } = useI18n();
  const approval = version.approval;
  if (approval) {
    return (
      <p className="approval approved">
        {t('approval.approved', {
          when: dateTime(approval.recordedAt),
          how: label('PlanApprovalMethod', approval.method).toLowerCase(),
        })}
        {approval.witnessName && <> {t('approval.witness', { name: approval.witnessName })}</>}
        {staffNames.has(approval.recordedBy) && (
          <> {t('approval.recordedBy', { name: staffNames.get(approval.recordedBy)! })}</>
        )}
      </p>
    );
  }
  return (
    <div className="approval not-approved">
      <p>
        <strong>{t('approval.notApproved')}</strong>
      </p>
      {plan.status !== 'CLOSED' && (
        <DialogButton label={t('approval.record', { version: version.version })} className="button secondary small">
          {(close) => <RecordApprovalForm plan={plan} version={version.version} onDone={close} />}
        </DialogButton>
      )}
    </div>
  );
}

function RecordApprovalForm({
  plan,
  version,
  onDone,
}: {
  plan: PlanFieldsFragment;
  version: number;
  onDone: () => void;
}) {
  const { t, label } = useI18n();
  const record = useMutation(RecordPlanApprovalDocument);
  const { form, problem, submit, errorOf } = useApiForm<{ method: PlanApprovalMethod; witnessName: string }>({
    defaultValues: { method: 'PAPER_SIGNATURE', witnessName: '' },
    onSaved: onDone,
  });
  const method = useWatch({ control: form.control, name: 'method' });
  const save = submit(async (values) =>
    record.runOrThrow({
      input: {
        planId: plan.id,
        version,
        method: values.method,
        witnessName: values.method === 'VERBAL_WITH_WITNESS' ? values.witnessName.trim() || null : null,
      },
    }),
  );
  return (
    <form onSubmit={save} noValidate>
      <p className="hint">{t('approval.intro', { version })}</p>
      <Field label={t('approval.method')} error={errorOf('method')}>
        <select {...form.register('method')}>
          {(['PAPER_SIGNATURE', 'VERBAL_WITH_WITNESS'] as const).map((m) => (
            <option key={m} value={m}>
              {label('PlanApprovalMethod', m)}
            </option>
          ))}
        </select>
      </Field>
      {method === 'VERBAL_WITH_WITNESS' && (
        <Field label={t('approval.witnessName')} error={errorOf('witnessName')}>
          <input {...form.register('witnessName')} autoComplete="off" />
        </Field>
      )}
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} onCancel={onDone} saveLabel={t('approval.save')} />
    </form>
  );
}
