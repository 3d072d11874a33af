import { useState } from 'react';
import { ActTeamsDocument, SetActTeamNoContactAlertDaysDocument, type ActTeamsQuery } from '../api/generated';
import { useMutation, useQuery } from '../api/hooks';
import { BarChart } from '../components/bar-chart';
import { DialogButton } from '../components/dialog';
import { Field } from '../components/field';
import { Layout } from '../components/layout';
import { QueryView } from '../components/status';
import { FormButtons, FormProblem, useApiForm } from '../forms/api-form';
import { useFieldErrors } from '../forms/field-fallback';
import { useI18n } from '../i18n/i18n';
import { coverByDay } from '../lib/on-call';
import { useSession } from '../session';

export function TeamPage() {
  const { t } = useI18n();
  // The seven calendar days from today, in the browser's time zone.
  const [period] = useState(() => {
    const now = new Date();
    return {
      from: new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString(),
      to: new Date(now.getFullYear(), now.getMonth(), now.getDate() + 7).toISOString(),
    };
  });
  const teams = useQuery(ActTeamsDocument, period);
  return (
    <Layout title={t('team.title')}>
      <QueryView state={teams}>
        {(data) =>
          data.actTeams.length === 0 ? (
            <p>{t('team.none')}</p>
          ) : (
            data.actTeams.map((team) => <TeamView key={team.id} team={team} />)
          )
        }
      </QueryView>
    </Layout>
  );
}

function TeamView({ team }: { team: ActTeamsQuery['actTeams'][number] }) {
  const { t, label, dateTime, language } = useI18n();
  const figures = team.caseloadFigures;
  // The figures are the server's (DACTS H1, counted over the whole caseload), so every reader sees the same.
  const figuresOf = (m: ActTeamsQuery['actTeams'][number]['roster'][number]) =>
    m.caseloadFigures ?? { persons: 0, maxPersons: 0, withinFidelityTarget: true };
  const number = (n: number) => n.toLocaleString(language === 'sv' ? 'sv-SE' : 'en-GB', { maximumFractionDigits: 1 });
  return (
    <section className="card wide" aria-labelledby={`team-${team.id}`}>
      <h2 id={`team-${team.id}`}>
        {team.name} <span className="muted">({team.organisation.name})</span>
      </h2>
      <div className="columns">
        <div>
          <h3>{t('team.onCallNow')}</h3>
          {team.onCallNow.length === 0 ? (
            <p className="notice notice-warning">{t('team.noCover')}</p>
          ) : (
            <ul className="plain">
              {team.onCallNow.map((s) => (
                <li key={s.id}>
                  <strong>
                    {s.staff.givenName} {s.staff.familyName}
                  </strong>{' '}
                  <span className="muted">
                    {dateTime(s.startsAt)} – {dateTime(s.endsAt)}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {team.onCallPhone && (
            <p>
              {t('team.phone')}: <a href={`tel:${team.onCallPhone}`}>{team.onCallPhone}</a>
            </p>
          )}
        </div>
        <div>
          <h3>1:10</h3>
          <p className={`notice ${figures.withinFidelityTarget ? 'notice-ok' : 'notice-warning'}`}>
            {figures.withinFidelityTarget ? t('team.withinTarget') : t('team.overTarget')}
            <br />
            {t('team.figures', {
              persons: figures.persons,
              fte: number(figures.staffFte),
              ratio:
                figures.personsPerFte === null || figures.personsPerFte === undefined
                  ? t('common.none')
                  : number(figures.personsPerFte),
            })}
          </p>
        </div>
      </div>
      <NoContactAlert team={team} />
      <OnCallWeek team={team} />
      <h3>{t('team.roster')}</h3>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('team.member')}</th>
              <th scope="col">{t('team.profession')}</th>
              <th scope="col">{t('team.role')}</th>
              <th scope="col">{t('team.fte')}</th>
              <th scope="col">{t('team.caseload')}</th>
            </tr>
          </thead>
          <tbody>
            {team.roster.map((m) => {
              const own = figuresOf(m);
              return (
                <tr key={m.id}>
                  <th scope="row">
                    {m.staff.givenName} {m.staff.familyName}
                    <div className="muted">{m.staff.organisation.name}</div>
                  </th>
                  <td>{label('Profession', m.staff.profession)}</td>
                  <td>{m.role}</td>
                  <td className="number">{Math.round(m.fte * 100)} %</td>
                  <td className="number">
                    {own.persons} / {number(own.maxPersons)}{' '}
                    {!own.withinFidelityTarget && <span className="tag tag-danger">{t('team.overTarget')}</span>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <BarChart
        title={t('team.caseload')}
        // The line is the guideline for a full-time member; a bar is red when it is over the member's own share.
        data={team.roster.map((m) => ({
          label: `${m.staff.givenName} ${m.staff.familyName.slice(0, 1)}.`,
          value: figuresOf(m).persons,
          tone: figuresOf(m).withinFidelityTarget ? ('neutral' as const) : ('danger' as const),
        }))}
        limit={figures.maxPersonsPerFte}
      />
    </section>
  );
}

/** The API's bounds for the no-contact reminder (SetNoContactAlertDaysInput: 1-90); the API holds the rule. */
const ALERT_DAYS = { min: 1, max: 90 };

/**
 * After how many days without contact the team is reminded of a person. Changing it is directory
 * maintenance, the administrator's (the API's rule): offered to the administrator, the others are told who.
 */
export function NoContactAlert({ team }: { team: { id: string; name: string; noContactAlertDays: number } }) {
  const { t } = useI18n();
  const { staff } = useSession();
  return (
    <>
      <h3>{t('team.alertTitle')}</h3>
      <p data-testid="no-contact-alert">{t('team.alertDays', { days: team.noContactAlertDays })}</p>
      {staff?.administrator ? (
        <div className="actions">
          <DialogButton label={t('team.alertChange')} title={t('team.alertChangeTitle', { team: team.name })}>
            {(close) => <NoContactAlertForm team={team} onDone={close} />}
          </DialogButton>
        </div>
      ) : (
        <p className="hint">{t('team.alertWho')}</p>
      )}
    </>
  );
}

function NoContactAlertForm({
  team,
  onDone,
}: {
  team: { id: string; noContactAlertDays: number };
  onDone: () => void;
}) {
  const { t } = useI18n();
  const change = useMutation(SetActTeamNoContactAlertDaysDocument);
  const apiForm = useApiForm<{ days: string }>({
    defaultValues: { days: String(team.noContactAlertDays) },
    onSaved: onDone,
  });
  const { form, problem, submit } = apiForm;
  const errorOf = useFieldErrors(apiForm, () => t('team.alertWhole', ALERT_DAYS));
  const save = submit((v) => change.runOrThrow({ input: { teamId: team.id, days: Number(v.days) } }));
  return (
    <form onSubmit={save} noValidate>
      <Field label={t('team.alertField')} hint={t('team.alertHint', ALERT_DAYS)} error={errorOf('days')}>
        <input
          type="number"
          inputMode="numeric"
          min={ALERT_DAYS.min}
          max={ALERT_DAYS.max}
          step={1}
          {...form.register('days', {
            required: 'required',
            pattern: { value: /^\d+$/, message: t('team.alertWhole', ALERT_DAYS) },
          })}
        />
      </Field>
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} saveLabel={t('team.alertSave')} onCancel={onDone} />
    </form>
  );
}

/** The coming seven days' on-call cover and its gaps (also on the administrator's ACT team page). */
export function OnCallWeek({ team }: { team: Pick<ActTeamsQuery['actTeams'][number], 'onCallShifts'> }) {
  const { t, language } = useI18n();
  const locale = language === 'sv' ? 'sv-SE' : 'en-GB';
  const time = (d: Date) => d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  const days = coverByDay(
    team.onCallShifts.map((s) => ({
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      name: `${s.staff.givenName} ${s.staff.familyName}`,
    })),
    new Date(),
  );
  return (
    <>
      <h3>{t('team.onCallWeek')}</h3>
      <div className="table-wrap">
        <table className="on-call">
          <thead>
            <tr>
              <th scope="col">{t('team.day')}</th>
              <th scope="col">{t('team.covering')}</th>
              <th scope="col">{t('team.gaps')}</th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.day.toISOString()}>
                <th scope="row">
                  {d.day.toLocaleDateString(locale, { weekday: 'long', day: 'numeric', month: 'short' })}
                </th>
                <td>
                  {d.shifts.length === 0
                    ? t('team.gap')
                    : d.shifts.map((s, i) => (
                        <div key={i}>
                          {time(s.from)}–{time(s.to)} {s.name}
                        </div>
                      ))}
                </td>
                <td>
                  {d.gaps.length === 0 ? (
                    <span className="tag plan-active">{t('team.covered')}</span>
                  ) : (
                    d.gaps.map((g, i) => (
                      <div key={i}>
                        <span className="tag tag-danger">
                          {time(g.from)}–{time(g.to)}
                        </span>
                      </div>
                    ))
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
