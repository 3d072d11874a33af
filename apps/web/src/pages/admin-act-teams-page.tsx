// ACT teams for the administrator: create a team, its roster (members and their share of a full-time post)
// and the on-call shifts, with the coming week's gaps in the cover shown as on the team's own page.
import { useState } from 'react';
import {
  AddActTeamMemberDocument,
  AddOnCallShiftDocument,
  AdminActTeamsDocument,
  AdminOrganisationsDocument,
  AdminStaffPickerDocument,
  CreateActTeamDocument,
  EndActTeamMembershipDocument,
  type AdminActTeamsQuery,
} from '../api/generated';
import { useMutation, useQuery } from '../api/hooks';
import { DialogButton } from '../components/dialog';
import { Field } from '../components/field';
import { ErrorMessage, QueryView } from '../components/status';
import { FormButtons, FormProblem, useApiForm } from '../forms/api-form';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session';
import { AdminOnly } from './admin-home-page';
import { NoContactAlert, OnCallWeek } from './team-page';

type Team = AdminActTeamsQuery['actTeams'][number];

export function AdminActTeamsPage() {
  const { t } = useI18n();
  const { staff } = useSession();
  // The seven calendar days from today, in the browser's time zone (as the team's own page).
  const [period] = useState(() => {
    const now = new Date();
    return {
      from: new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString(),
      to: new Date(now.getFullYear(), now.getMonth(), now.getDate() + 7).toISOString(),
    };
  });
  const teams = useQuery(AdminActTeamsDocument, period, { skip: !staff?.administrator });
  return (
    <AdminOnly title={t('admin.teams.title')}>
      <div className="actions">
        <DialogButton label={t('admin.teams.newTeam')}>{(close) => <TeamForm onDone={close} />}</DialogButton>
      </div>
      <QueryView state={teams}>
        {(data) =>
          data.actTeams.length === 0 ? (
            <p>{t('admin.teams.none')}</p>
          ) : (
            data.actTeams.map((team) => <TeamAdmin key={team.id} team={team} />)
          )
        }
      </QueryView>
    </AdminOnly>
  );
}

function TeamAdmin({ team }: { team: Team }) {
  const { t, label, date } = useI18n();
  const { staff: me } = useSession();
  const end = useMutation(EndActTeamMembershipDocument);
  return (
    <section className="card wide admin-block" aria-labelledby={`team-${team.id}`}>
      <h2 id={`team-${team.id}`}>
        {team.name} <span className="muted">({team.organisation.name})</span>
      </h2>
      {team.onCallPhone && (
        <p>
          {t('team.phone')}: {team.onCallPhone}
        </p>
      )}
      <h3>{t('team.roster')}</h3>
      {team.roster.length === 0 ? (
        <p>{t('admin.teams.noMembers')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('team.member')}</th>
                <th scope="col">{t('team.profession')}</th>
                <th scope="col">{t('team.role')}</th>
                <th scope="col">{t('team.fte')}</th>
                <th scope="col">{t('admin.teams.since')}</th>
                <th scope="col">{t('admin.staff.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {team.roster.map((m) => {
                const name = `${m.staff.givenName} ${m.staff.familyName}`;
                return (
                  <tr key={m.id}>
                    <th scope="row">
                      {name}
                      <div className="muted">{m.staff.organisation.name}</div>
                    </th>
                    <td>{label('Profession', m.staff.profession)}</td>
                    <td>{m.role}</td>
                    <td className="number">{Math.round(m.fte * 100)} %</td>
                    <td>{date(m.validFrom)}</td>
                    <td>
                      {/* Another administrator ends your own membership (the API refuses it too). */}
                      {m.staff.id !== me?.id && (
                        <button
                          type="button"
                          className="button secondary small"
                          disabled={end.busy}
                          aria-label={t('admin.teams.endMembershipOf', { name })}
                          onClick={() => void end.run({ memberId: m.id })}
                        >
                          {t('admin.teams.endMembership')}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {end.error && <ErrorMessage error={end.error} />}
      <div className="actions">
        <DialogButton label={t('admin.teams.addMember')} title={t('admin.teams.addMemberTo', { team: team.name })}>
          {(close) => <MemberForm team={team} onDone={close} />}
        </DialogButton>
        {team.roster.length > 0 && (
          <DialogButton label={t('admin.teams.addShift')} title={t('admin.teams.addShiftTo', { team: team.name })}>
            {(close) => <ShiftForm team={team} onDone={close} />}
          </DialogButton>
        )}
      </div>
      <NoContactAlert team={team} />
      <OnCallWeek team={team} />
    </section>
  );
}

function TeamForm({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const organisations = useQuery(AdminOrganisationsDocument, {});
  const create = useMutation(CreateActTeamDocument);
  const { form, problem, submit, errorOf } = useApiForm<{ name: string; organisationId: string; onCallPhone: string }>({
    defaultValues: { name: '', organisationId: '', onCallPhone: '' },
    onSaved: onDone,
  });
  const save = submit((v) =>
    create.runOrThrow({
      input: { name: v.name.trim(), organisationId: v.organisationId, onCallPhone: v.onCallPhone.trim() || null },
    }),
  );
  return (
    <form onSubmit={save} noValidate>
      <Field label={t('admin.teams.name')} error={errorOf('name')}>
        <input autoComplete="off" {...form.register('name', { required: 'required' })} />
      </Field>
      <Field label={t('admin.staff.organisation')} error={errorOf('organisationId')}>
        <select {...form.register('organisationId', { required: 'required' })}>
          <option value="">{t('admin.choose')}</option>
          {organisations.data?.organisations.edges.map(({ node: o }) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('team.phone')} error={errorOf('onCallPhone')}>
        <input type="tel" autoComplete="off" {...form.register('onCallPhone')} />
      </Field>
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} saveLabel={t('admin.staff.create')} onCancel={onDone} />
    </form>
  );
}

function MemberForm({ team, onDone }: { team: Team; onDone: () => void }) {
  const { t, label } = useI18n();
  const staff = useQuery(AdminStaffPickerDocument, {});
  const add = useMutation(AddActTeamMemberDocument);
  const { form, problem, submit, errorOf } = useApiForm<{ staffId: string; role: string; percent: string }>({
    defaultValues: { staffId: '', role: '', percent: '100' },
    onSaved: onDone,
  });
  const onRoster = new Set(team.roster.map((m) => m.staff.id));
  const candidates = (staff.data?.staffMembers.edges ?? [])
    .map((e) => e.node)
    .filter((s) => s.active && !s.serviceAccount && !onRoster.has(s.id));
  const save = submit((v) =>
    add.runOrThrow({
      input: { teamId: team.id, staffId: v.staffId, role: v.role.trim(), fte: Number(v.percent) / 100 },
    }),
  );
  return (
    <form onSubmit={save} noValidate>
      <Field label={t('team.member')} error={errorOf('staffId')}>
        <select {...form.register('staffId', { required: 'required' })}>
          <option value="">{t('admin.choose')}</option>
          {candidates.map((s) => (
            <option key={s.id} value={s.id}>
              {s.givenName} {s.familyName} ({label('Profession', s.profession)}, {s.organisation.name})
            </option>
          ))}
        </select>
      </Field>
      <div className="row">
        <Field label={t('team.role')} hint={t('admin.teams.roleHint')} error={errorOf('role')}>
          <input autoComplete="off" {...form.register('role', { required: 'required' })} />
        </Field>
        <Field label={t('admin.teams.percent')} error={errorOf('percent')}>
          <input
            type="number"
            min={1}
            max={100}
            step={1}
            inputMode="numeric"
            {...form.register('percent', {
              required: 'required',
              validate: (v) => (Number(v) > 0 && Number(v) <= 100) || t('admin.teams.percentRange'),
            })}
          />
        </Field>
      </div>
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} saveLabel={t('admin.teams.add')} onCancel={onDone} />
    </form>
  );
}

/** A date and time typed in the browser's time zone (datetime-local), as an instant. */
const instant = (local: string) => new Date(local).toISOString();

function ShiftForm({ team, onDone }: { team: Team; onDone: () => void }) {
  const { t } = useI18n();
  const add = useMutation(AddOnCallShiftDocument);
  const { form, problem, submit, errorOf } = useApiForm<{ staffId: string; startsAt: string; endsAt: string }>({
    defaultValues: { staffId: '', startsAt: '', endsAt: '' },
    onSaved: onDone,
  });
  const save = submit((v) =>
    add.runOrThrow({
      input: { teamId: team.id, staffId: v.staffId, startsAt: instant(v.startsAt), endsAt: instant(v.endsAt) },
    }),
  );
  return (
    <form onSubmit={save} noValidate>
      <Field label={t('team.member')} error={errorOf('staffId')}>
        <select {...form.register('staffId', { required: 'required' })}>
          <option value="">{t('admin.choose')}</option>
          {team.roster.map((m) => (
            <option key={m.id} value={m.staff.id}>
              {m.staff.givenName} {m.staff.familyName}
            </option>
          ))}
        </select>
      </Field>
      <div className="row">
        <Field label={t('admin.teams.startsAt')} error={errorOf('startsAt')}>
          <input type="datetime-local" {...form.register('startsAt', { required: 'required' })} />
        </Field>
        <Field label={t('admin.teams.endsAt')} error={errorOf('endsAt')}>
          <input type="datetime-local" {...form.register('endsAt', { required: 'required' })} />
        </Field>
      </div>
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} saveLabel={t('admin.teams.add')} onCancel={onDone} />
    </form>
  );
}
