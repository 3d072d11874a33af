import { useCallback, useMemo, useState, type FormEvent } from 'react';
import type { ApiError } from '../api/client';
import {
  CreatePlanDocument,
  EditPlanDocument,
  PlanEditorDocument,
  TransitionPlanDocument,
  type InterventionStatus,
  type NeedArea,
  type PlanContentInput,
  type PlanEditorQuery,
  type PlanFieldsFragment,
  type Principal,
  type SipPlanStatus,
} from '../api/generated';
import { useMutation, useQuery } from '../api/hooks';
import { Field } from '../components/field';
import { Layout } from '../components/layout';
import { PersonTabs } from '../components/person-tabs';
import { ErrorMessage, QueryView } from '../components/status';
import { useI18n, type I18n } from '../i18n/i18n';
import { diffPlans, type DiffLine } from '../lib/plan-diff';
import { SipMeetingsCard } from './sip-meetings';

const NEED_AREAS: NeedArea[] = ['HOUSING', 'MENTAL_HEALTH', 'SUBSTANCE_USE', 'PHYSICAL_HEALTH', 'INCOME', 'OCCUPATION', 'DAILY_LIVING', 'SOCIAL_NETWORK', 'SAFETY', 'CHILDREN_AND_FAMILY', 'OTHER'];
const INTERVENTION_STATUSES: InterventionStatus[] = ['PLANNED', 'ONGOING', 'COMPLETED', 'CANCELLED'];

interface Draft {
  personGoals: string;
  followUpOn: string;
  consentGivenAt: string;
  consentValidUntil: string;
  overallResponsibilityOrganisationId: string;
  needs: Array<{ id?: string; area: NeedArea; description: string }>;
  interventions: Array<{ id?: string; description: string; responsibleOrganisationId: string; status: InterventionStatus }>;
}

function draftOf(plan: PlanFieldsFragment): Draft {
  return {
    personGoals: plan.personGoals,
    followUpOn: plan.followUpOn ?? '',
    consentGivenAt: plan.consentGivenAt ?? '',
    consentValidUntil: plan.consentValidUntil ?? '',
    overallResponsibilityOrganisationId: plan.overallResponsibilityOrganisationId ?? '',
    needs: plan.needs.map((n) => ({ id: n.id, area: n.area, description: n.description })),
    interventions: plan.interventions.map((i) => ({ id: i.id, description: i.description, responsibleOrganisationId: i.responsibleOrganisationId, status: i.status })),
  };
}

type Organisation = { id: string; name: string; principal: Principal };

/** The whole plan content for editSipPlan: the edited parts from the form, the rest as it is. */
function contentOf(plan: PlanFieldsFragment, draft: Draft, organisations: Organisation[]): PlanContentInput {
  const principalOf = (id: string) => organisations.find((o) => o.id === id)?.principal ?? 'OTHER';
  return {
    personGoals: draft.personGoals,
    followUpOn: draft.followUpOn || null,
    consentGivenAt: draft.consentGivenAt || null,
    consentValidUntil: draft.consentValidUntil || null,
    overallResponsibilityOrganisationId: draft.overallResponsibilityOrganisationId || null,
    overallResponsibilityPrincipal: draft.overallResponsibilityOrganisationId ? principalOf(draft.overallResponsibilityOrganisationId) : plan.overallResponsibilityPrincipal,
    needs: draft.needs.map((n) => ({ id: n.id, area: n.area, description: n.description })),
    interventions: draft.interventions.map((i) => {
      const previous = plan.interventions.find((p) => p.id === i.id);
      return { id: i.id, description: i.description, status: i.status, responsibleOrganisationId: i.responsibleOrganisationId, responsiblePrincipal: principalOf(i.responsibleOrganisationId), needId: previous?.needId ?? null };
    }),
    otherMeasures: plan.otherMeasures.map((m) => ({ id: m.id, actorName: m.actorName, description: m.description, organisationId: m.organisationId })),
    participants: plan.participants.map((p) => ({ kind: p.kind, name: p.name, staffId: p.staffId, relativeId: p.relativeId, summoned: p.summoned })),
  };
}

export function PlanPage({ personId }: { personId: string }) {
  const { t } = useI18n();
  const query = useQuery(PlanEditorDocument, { personId });
  const person = query.data?.person;
  return (
    <Layout title={person ? t('plan.title', { name: `${person.givenName} ${person.familyName}` }) : t('person.plan')}>
      <PersonTabs personId={personId} />
      <QueryView state={query}>{(data) => <PlanWorkspace person={data.person} onChanged={query.refetch} />}</QueryView>
    </Layout>
  );
}

function PlanWorkspace({ person, onChanged }: { person: PlanEditorQuery['person']; onChanged: () => Promise<void> }) {
  const { t, label } = useI18n();
  const create = useMutation(CreatePlanDocument);
  const plan = person.currentSipPlan;
  // Kept here, not in the editor: a save reads the plan again, and the editor starts afresh on the new version.
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  if (!plan) {
    return (
      <div className="grid">
      <section className="card">
        <p>{t('plan.noPlan')}</p>
        {create.error && <ErrorMessage error={create.error} />}
        <button type="button" className="button primary" disabled={create.busy} onClick={async () => (await create.run({ input: { personId: person.id } })) && onChanged()}>
          {t('plan.create')}
        </button>
      </section>
      <SipMeetingsCard personId={person.id} />
      </div>
    );
  }
  const organisations = uniqueOrganisations(person);
  const staffNames = new Map((person.collaborationGroup?.members ?? []).map((m) => [m.staff.id, `${m.staff.givenName} ${m.staff.familyName}`]));
  return (
    <div className="grid">
      <PlanEditor key={`${plan.id}:${plan.version}`} plan={plan} organisations={organisations} onChanged={onChanged} saved={savedVersion === plan.version} onSaved={setSavedVersion} />
      <PlanHistory key={plan.version} plan={plan} staffNames={staffNames} organisations={organisations} />
      <SipMeetingsCard personId={person.id} />
      <section className="card" aria-labelledby="participants-heading">
        <h2 id="participants-heading">{t('plan.participants')}</h2>
        <ul className="plain">
          {plan.participants.map((p, index) => (
            <li key={index}>
              {(p.staffId && staffNames.get(p.staffId)) ?? p.name ?? label('ParticipantKind', p.kind)}{' '}
              <span className="muted">
                ({label('ParticipantKind', p.kind).toLowerCase()}, {p.summoned ? t('plan.summoned') : t('plan.invited')})
              </span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function uniqueOrganisations(person: PlanEditorQuery['person']): Organisation[] {
  const byId = new Map<string, Organisation>();
  for (const m of person.collaborationGroup?.members ?? []) byId.set(m.staff.organisation.id, m.staff.organisation);
  const overall = person.currentSipPlan?.overallResponsibilityOrganisation;
  if (overall && !byId.has(overall.id)) byId.set(overall.id, overall);
  for (const i of person.currentSipPlan?.interventions ?? []) {
    if (!byId.has(i.responsibleOrganisationId)) byId.set(i.responsibleOrganisationId, { id: i.responsibleOrganisationId, name: i.responsibleOrganisation.name, principal: i.responsiblePrincipal });
  }
  return [...byId.values()];
}

function PlanEditor({
  plan,
  organisations,
  onChanged,
  saved,
  onSaved,
}: {
  plan: PlanFieldsFragment;
  organisations: Organisation[];
  onChanged: () => Promise<void>;
  saved: boolean;
  onSaved: (version: number | null) => void;
}) {
  const { t, label, apiMessage } = useI18n();
  const [draft, setDraft] = useState(() => draftOf(plan));
  const edit = useMutation(EditPlanDocument);
  const transition = useMutation(TransitionPlanDocument);
  const editable = plan.status === 'DRAFT' || plan.status === 'UNDER_REVISION';
  const error: ApiError | null = edit.error ?? transition.error;
  const at = (path: string) => apiMessage(edit.error?.fieldMessage(path) ?? transition.error?.fieldMessage(path));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    onSaved(null);
    const result = await edit.run({ input: { planId: plan.id, expectedVersion: plan.version, content: contentOf(plan, draft, organisations) } });
    if (result) {
      onSaved(result.editSipPlan.version);
      await onChanged();
    }
  };
  const move = async (status: SipPlanStatus) => {
    if (await transition.run({ input: { planId: plan.id, expectedVersion: plan.version, status } })) await onChanged();
  };
  const update = (patch: Partial<Draft>) => {
    if (saved) onSaved(null);
    setDraft((d) => ({ ...d, ...patch }));
  };

  return (
    <section className="card wide" aria-labelledby="editor-heading">
      <h2 id="editor-heading">
        {label('SipPlanStatus', plan.status)} · {t('plan.version', { version: plan.version })}
      </h2>
      {error && (error.kind !== 'invalid' || error.fields.length === 0) && <ErrorMessage error={error} onRetry={error.kind === 'conflict' ? () => void onChanged() : undefined} />}
      {error?.kind === 'invalid' && error.fields.length > 0 && (
        <p className="status status-error" role="alert">
          {apiMessage(error.message)}
        </p>
      )}
      {saved && (
        <p className="status status-ok" role="status">
          {t('status.saved')}
        </p>
      )}
      {!editable && <p className="notice">{t('plan.readOnly')}</p>}
      <div className="actions">
        {plan.status === 'DRAFT' && (
          <button type="button" className="button secondary" disabled={transition.busy} onClick={() => move('ACTIVE')}>
            {t('plan.activate')}
          </button>
        )}
        {plan.status === 'ACTIVE' && (
          <button type="button" className="button secondary" disabled={transition.busy} onClick={() => move('UNDER_REVISION')}>
            {t('plan.revise')}
          </button>
        )}
        {plan.status === 'UNDER_REVISION' && (
          <button type="button" className="button secondary" disabled={transition.busy} onClick={() => move('ACTIVE')}>
            {t('plan.activate')}
          </button>
        )}
      </div>
      <form onSubmit={save} noValidate>
        <fieldset disabled={!editable || edit.busy}>
          <Field label={t('plan.goals')} error={at('personGoals')}>
            <textarea name="personGoals" rows={3} value={draft.personGoals} onChange={(e) => update({ personGoals: e.target.value })} />
          </Field>
          <div className="row">
            <Field label={t('plan.followUpOn')} error={at('followUpOn')}>
              <input name="followUpOn" type="date" value={draft.followUpOn} onChange={(e) => update({ followUpOn: e.target.value })} />
            </Field>
            <Field label={t('plan.consentGivenAt')} error={at('consentGivenAt')}>
              <input name="consentGivenAt" type="date" value={draft.consentGivenAt} onChange={(e) => update({ consentGivenAt: e.target.value })} />
            </Field>
            <Field label={t('plan.consentValidUntil')} error={at('consentValidUntil')}>
              <input name="consentValidUntil" type="date" value={draft.consentValidUntil} onChange={(e) => update({ consentValidUntil: e.target.value })} />
            </Field>
          </div>
          <Field label={t('plan.overallResponsibility')} error={at('overallResponsibilityOrganisationId') ?? at('overallResponsibilityPrincipal')}>
            <select name="overallResponsibility" value={draft.overallResponsibilityOrganisationId} onChange={(e) => update({ overallResponsibilityOrganisationId: e.target.value })}>
              <option value="">{t('common.none')}</option>
              {organisations.map((o) => (
                <option key={o.id} value={o.id}>
                  {label('Principal', o.principal)}: {o.name}
                </option>
              ))}
            </select>
          </Field>

          <fieldset className="group">
            <legend>{t('plan.needs')}</legend>
            {draft.needs.map((need, index) => (
              <div className="row item need" key={need.id ?? `new-${index}`}>
                <Field label={t('plan.area')} error={at(`needs.${index}.area`)}>
                  <select value={need.area} onChange={(e) => update({ needs: draft.needs.map((n, i) => (i === index ? { ...n, area: e.target.value as NeedArea } : n)) })}>
                    {NEED_AREAS.map((a) => (
                      <option key={a} value={a}>
                        {label('NeedArea', a)}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field label={t('plan.description')} error={at(`needs.${index}.description`)}>
                  <input value={need.description} onChange={(e) => update({ needs: draft.needs.map((n, i) => (i === index ? { ...n, description: e.target.value } : n)) })} />
                </Field>
                <button type="button" className="button secondary small" onClick={() => update({ needs: draft.needs.filter((_, i) => i !== index) })}>
                  {t('plan.remove')}
                </button>
              </div>
            ))}
            <button type="button" className="button secondary small" onClick={() => update({ needs: [...draft.needs, { area: 'HOUSING', description: '' }] })}>
              {t('plan.addNeed')}
            </button>
          </fieldset>

          <fieldset className="group">
            <legend>{t('plan.interventions')}</legend>
            {draft.interventions.map((item, index) => (
              <div className="row item intervention" key={item.id ?? `new-${index}`}>
                <Field label={t('plan.description')} error={at(`interventions.${index}.description`)}>
                  <input value={item.description} onChange={(e) => update({ interventions: draft.interventions.map((x, i) => (i === index ? { ...x, description: e.target.value } : x)) })} />
                </Field>
                <Field label={t('plan.responsible')} error={at(`interventions.${index}.responsibleOrganisationId`)}>
                  <select value={item.responsibleOrganisationId} onChange={(e) => update({ interventions: draft.interventions.map((x, i) => (i === index ? { ...x, responsibleOrganisationId: e.target.value } : x)) })}>
                    {organisations.map((o) => (
                      <option key={o.id} value={o.id}>
                        {label('Principal', o.principal)}: {o.name}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field label={t('plan.status')} error={at(`interventions.${index}.status`)}>
                  <select value={item.status} onChange={(e) => update({ interventions: draft.interventions.map((x, i) => (i === index ? { ...x, status: e.target.value as InterventionStatus } : x)) })}>
                    {INTERVENTION_STATUSES.map((s) => (
                      <option key={s} value={s}>
                        {label('InterventionStatus', s)}
                      </option>
                    ))}
                  </select>
                </Field>
                <button type="button" className="button secondary small" onClick={() => update({ interventions: draft.interventions.filter((_, i) => i !== index) })}>
                  {t('plan.remove')}
                </button>
              </div>
            ))}
            <button
              type="button"
              className="button secondary small"
              disabled={organisations.length === 0}
              onClick={() => update({ interventions: [...draft.interventions, { description: '', responsibleOrganisationId: organisations[0]?.id ?? '', status: 'PLANNED' }] })}
            >
              {t('plan.addIntervention')}
            </button>
          </fieldset>
          <button type="submit" className="button primary">
            {edit.busy ? t('plan.saving') : t('plan.save')}
          </button>
        </fieldset>
      </form>
    </section>
  );
}

function describeLine(line: DiffLine, i18n: I18n): string {
  const section = { status: i18n.t('plan.status'), followUpOn: i18n.t('plan.followUpOn'), consentGivenAt: i18n.t('plan.consentGivenAt'), consentValidUntil: i18n.t('plan.consentValidUntil'), personGoals: i18n.t('plan.goals'), overallResponsibility: i18n.t('plan.overallResponsibility'), needs: i18n.t('plan.needs'), interventions: i18n.t('plan.interventions'), otherMeasures: i18n.t('person.otherMeasures'), participants: i18n.t('plan.participants') }[line.section];
  return section;
}

function PlanHistory({ plan, staffNames, organisations }: { plan: PlanFieldsFragment; staffNames: Map<string, string>; organisations: Organisation[] }) {
  const i18n = useI18n();
  const { t, label, dateTime } = i18n;
  const versions = plan.versions;
  const [selected, setSelected] = useState(versions[0]?.version ?? 1);
  const index = versions.findIndex((v) => v.version === selected);
  const current = versions[index];
  const previous = versions[index + 1];
  const organisationName = useCallback((id: string) => organisations.find((o) => o.id === id)?.name ?? t('consent.otherOrganisation'), [organisations, t]);
  const lines = useMemo(
    () =>
      current && previous
        ? diffPlans(previous.snapshot, current.snapshot, {
            need: (n) => `${label('NeedArea', n.area)}: ${n.description}`,
            intervention: (x) =>
              `${x.description} (${label('Principal', x.responsiblePrincipal)}${x.responsibleOrganisationId ? `: ${organisationName(x.responsibleOrganisationId)}` : ''}, ${label('InterventionStatus', x.status).toLowerCase()})`,
            participant: (p) => `${(p.staffId && staffNames.get(p.staffId)) ?? p.name ?? label('ParticipantKind', p.kind)} (${p.summoned ? t('plan.summoned') : t('plan.invited')})`,
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
              <button type="button" className="link-button" aria-pressed={v.version === selected} onClick={() => setSelected(v.version)}>
                {t('plan.version', { version: v.version })}
              </button>
              <span className="muted">
                {' '}
                {t('plan.changedBy', { when: dateTime(v.changedAt) })}
                {staffNames.has(v.changedBy) && <> {t('plan.changedByWhom', { name: staffNames.get(v.changedBy)! })}</>}
              </span>
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
                      <span className="diff-kind">{t(`plan.${line.kind}`)}</span> <strong>{describeLine(line, i18n)}</strong>
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
