import { useState } from 'react';
import {
  PersonOverviewDocument,
  RecordContactDocument,
  TimelineMoreDocument,
  type ContactKind,
  type PersonOverviewQuery,
  type TimelinePageFragment,
} from '../api/generated';
import { useApi, useMutation, useQuery } from '../api/hooks';
import { DialogButton } from '../components/dialog';
import { Field } from '../components/field';
import type { ApiError } from '../api/client';
import { FormButtons, FormProblem, useApiForm } from '../forms/api-form';
import { IdentityFacts } from '../components/identity-facts';
import { Layout } from '../components/layout';
import { PersonTabs } from '../components/person-tabs';
import { ErrorMessage, QueryView } from '../components/status';
import { useI18n } from '../i18n/i18n';
import { instantOf, localDateTime } from '../lib/local-time';
import { Link } from '../router';
import { daysAgo } from './caseload-page';
import { ConsentCard, type Organisation } from './consent-card';
import { LimitedAccess } from './limited-access';
import { RemindersCard } from './reminders-card';

type Overview = PersonOverviewQuery['patientOverview'];

/** The organisations of the collaboration group, each once: those a consent can name. */
function uniqueOrganisations(organisations: Organisation[]): Organisation[] {
  return [...new Map(organisations.map((o) => [o.id, o])).values()].sort((a, b) => a.name.localeCompare(b.name, 'sv'));
}

export function PersonPage({ personId }: { personId: string }) {
  const { t } = useI18n();
  const overview = useQuery(PersonOverviewDocument, { personId });
  const person = overview.data?.patientOverview.person;
  return (
    <Layout title={person ? `${person.givenName} ${person.familyName}` : t('person.overview')}>
      <PersonTabs personId={personId} />
      {overview.error?.kind === 'notFound' && !overview.data ? (
        <LimitedAccess personId={personId} refusal={overview.error} />
      ) : (
        <QueryView state={overview}>{(data) => <OverviewView overview={data.patientOverview} />}</QueryView>
      )}
    </Layout>
  );
}

function OverviewView({ overview }: { overview: Overview }) {
  const { t, label, date } = useI18n();
  const { person, sipPlan, roster, collaborationGroup } = overview;
  const isProtected = person.protectedIdentity !== 'NONE';
  const byPrincipal = (['MUNICIPALITY', 'REGION', 'OTHER'] as const).map((principal) => ({
    principal,
    items: (sipPlan?.interventions ?? []).filter((i) => i.responsiblePrincipal === principal),
  }));
  return (
    <div className="grid">
      <AtAGlance overview={overview} />
      <section className="card" aria-labelledby="identity-heading">
        <h2 id="identity-heading">{t('person.identity')}</h2>
        {isProtected && (
          <p className="notice notice-warning">
            {label('ProtectedIdentity', person.protectedIdentity)}: {t('person.protectedNotice')}
          </p>
        )}
        <dl className="facts">
          <IdentityFacts person={person} referenceLabel={t('person.reference')} />
          <dt>{t('person.children')}</dt>
          <dd>{label('ChildrenStatus', person.childrenStatus)}</dd>
        </dl>
        <h3>{t('person.episodes')}</h3>
        <ul className="plain">
          {person.careEpisodes.map((e) => (
            <li key={e.id}>
              {label('EpisodeKind', e.kind)} ({e.organisation.name}):{' '}
              <strong>{label('EpisodeStatus', e.status)}</strong>
            </li>
          ))}
        </ul>
      </section>

      <ConsentCard
        personId={person.id}
        organisations={uniqueOrganisations(roster.map((m) => m.staff.organisation))}
        planConsent={
          sipPlan ? { givenAt: sipPlan.consentGivenAt ?? null, validUntil: sipPlan.consentValidUntil ?? null } : null
        }
      />

      <section className="card wide" aria-labelledby="plan-heading">
        <h2 id="plan-heading">{t('person.sip')}</h2>
        {!sipPlan ? (
          <p>{t('person.noPlan')}</p>
        ) : (
          <>
            <p>
              <span className={`tag plan-${sipPlan.status.toLowerCase()}`}>
                {label('SipPlanStatus', sipPlan.status)}
              </span>{' '}
              {t('plan.version', { version: sipPlan.version })} · {t('person.followUp')}: {date(sipPlan.followUpOn)} ·{' '}
              {t('person.overallResponsibility')}:{' '}
              {sipPlan.overallResponsibilityOrganisation?.name ??
                label('Principal', sipPlan.overallResponsibilityPrincipal)}
            </p>
            <h3>{t('person.goals')}</h3>
            <blockquote>{sipPlan.personGoals || t('common.none')}</blockquote>
            <h3>{t('person.needs')}</h3>
            <ul className="plain">
              {sipPlan.needs.map((n) => (
                <li key={n.id}>
                  <strong>{label('NeedArea', n.area)}:</strong> {n.description}
                </li>
              ))}
            </ul>
            <h3>{t('person.interventions')}</h3>
            <div className="columns">
              {byPrincipal
                .filter((g) => g.items.length > 0)
                .map((g) => (
                  <div key={g.principal} className={`principal principal-${g.principal.toLowerCase()}`}>
                    <h4>{label('Principal', g.principal)}</h4>
                    <ul className="plain">
                      {g.items.map((i) => (
                        <li key={i.id}>
                          {i.description}{' '}
                          <span className="muted">
                            ({i.responsibleOrganisation.name}, {label('InterventionStatus', i.status).toLowerCase()})
                          </span>
                        </li>
                      ))}
                    </ul>
                  </div>
                ))}
            </div>
            {sipPlan.otherMeasures.length > 0 && (
              <>
                <h3>{t('person.otherMeasures')}</h3>
                <ul className="plain">
                  {sipPlan.otherMeasures.map((m) => (
                    <li key={m.id}>
                      <strong>{m.actorName}:</strong> {m.description}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </>
        )}
        <p>
          <Link to={`/persons/${person.id}/plan`} className="button secondary">
            {t('person.openPlan')}
          </Link>
        </p>
      </section>

      <section className="card" aria-labelledby="group-heading">
        <h2 id="group-heading">{t('person.group')}</h2>
        <ul className="people">
          {roster.map((m) => (
            <li key={m.id}>
              <strong>
                {m.staff.givenName} {m.staff.familyName}
              </strong>
              {m.staff.id === collaborationGroup?.coordinatorStaffId && (
                <span className="tag">{t('person.coordinator')}</span>
              )}
              {m.votingRepresentative && <span className="tag tag-info">{t('person.voting')}</span>}
              <br />
              <span className="muted">
                {label('Profession', m.staff.profession)} · {m.role} · {m.staff.organisation.name} (
                {label('Principal', m.principal)})
              </span>
            </li>
          ))}
        </ul>
      </section>

      <section className="card" aria-labelledby="housing-heading">
        <h2 id="housing-heading">{t('person.housing')}</h2>
        {person.housingHistory.length === 0 ? (
          <p>{t('person.noHousing')}</p>
        ) : (
          <ol className="timeline">
            {person.housingHistory.map((h) => (
              <li key={h.id}>
                <strong>{label('HousingKind', h.kind)}</strong>{' '}
                {h.provider && <span className="muted">({h.provider.name})</span>}
                <br />
                <span className="muted">
                  {date(h.startedOn)} – {h.endedOn ? date(h.endedOn) : t('person.current')}
                </span>
                {h.address ? (
                  <div>{h.address}</div>
                ) : isProtected ? (
                  <div className="muted">{t('person.hidden')}</div>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </section>

      <RemindersCard personId={person.id} />
      <Timeline
        personId={person.id}
        first={person.timelineEntries}
        recordButton={<RecordContactButton personId={person.id} isProtected={isProtected} />}
      />
    </div>
  );
}

/** The shared timeline, newest first, twenty at a time. */
function Timeline({
  personId,
  first,
  recordButton,
}: {
  personId: string;
  first: TimelinePageFragment;
  recordButton?: React.ReactNode;
}) {
  const { t, label, dateTime } = useI18n();
  const api = useApi();
  const [pages, setPages] = useState<TimelinePageFragment[]>([first]);
  // A new first page (after recording a contact) starts the list again; the list is not remounted for it,
  // so the record button keeps focus when its dialog closes.
  const firstKey = first.edges.map((e) => e.node.id).join();
  const [shownFirst, setShownFirst] = useState(firstKey);
  if (firstKey !== shownFirst) {
    setShownFirst(firstKey);
    setPages([first]);
  }
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const last = pages[pages.length - 1];
  const entries = pages.flatMap((p) => p.edges.map((e) => e.node));
  const more = async () => {
    setBusy(true);
    setError(null);
    try {
      const next = await api.request(TimelineMoreDocument, { personId, after: last.pageInfo.endCursor! });
      setPages((p) => [...p, next.person.timelineEntries]);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card wide" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">{t('person.timeline')}</h2>
      {recordButton}
      {entries.length === 0 ? (
        <p>{t('person.noContacts')}</p>
      ) : (
        <ol className="timeline">
          {entries.map((c) => (
            <li key={c.id}>
              <strong>{label('ContactKind', c.kind)}</strong> <span className="muted">{dateTime(c.occurredAt)}</span>
              <div>{c.summary}</div>
              <span className="muted">
                {c.staff.givenName} {c.staff.familyName}, {label('Profession', c.staff.profession)}
                {c.location ? ` · ${c.location}` : ''}
              </span>
            </li>
          ))}
        </ol>
      )}
      {error && <ErrorMessage error={error} onRetry={more} />}
      {last.pageInfo.hasNextPage && (
        <button type="button" className="button secondary" disabled={busy} onClick={more}>
          {t('person.moreContacts')}
        </button>
      )}
    </section>
  );
}

const CONTACT_KINDS: ContactKind[] = [
  'OUTREACH',
  'HOME_VISIT',
  'OFFICE_VISIT',
  'PHONE',
  'ACCOMPANYING_TO_CARE',
  'SIP_MEETING',
  'TEAM_MEETING',
];

/** Opens the form to record a contact, in a dialog. */
export function RecordContactButton({
  personId,
  isProtected,
  primary,
}: {
  personId: string;
  isProtected: boolean;
  primary?: boolean;
}) {
  const { t } = useI18n();
  return (
    <DialogButton label={t('contact.recordContact')} className={primary ? 'button' : 'button secondary'}>
      {(close) => <RecordContactForm personId={personId} isProtected={isProtected} onDone={close} />}
    </DialogButton>
  );
}

interface ContactForm {
  kind: ContactKind;
  occurredAt: string;
  location: string;
  summary: string;
}

/** Records a contact on the shared timeline; no place for a person with a protected identity. */
function RecordContactForm({
  personId,
  isProtected,
  onDone,
}: {
  personId: string;
  isProtected: boolean;
  onDone: () => void;
}) {
  const { t, label } = useI18n();
  const record = useMutation(RecordContactDocument);
  const { form, problem, submit, errorOf } = useApiForm<ContactForm>({
    defaultValues: { kind: 'OUTREACH', occurredAt: localDateTime(new Date()), location: '', summary: '' },
    onSaved: onDone,
  });
  const save = (v: ContactForm) =>
    record.runOrThrow({
      input: {
        personId,
        kind: v.kind,
        occurredAt: v.occurredAt ? instantOf(v.occurredAt) : '',
        summary: v.summary.trim(),
        location: isProtected ? null : v.location.trim() || null,
      },
    });
  return (
    <form onSubmit={submit(save)} noValidate aria-label={t('contact.recordContact')}>
      <div className="row">
        <Field label={t('contact.kind')} error={errorOf('kind')}>
          <select {...form.register('kind')}>
            {CONTACT_KINDS.map((k) => (
              <option key={k} value={k}>
                {label('ContactKind', k)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('contact.occurredAt')} error={errorOf('occurredAt')}>
          <input type="datetime-local" {...form.register('occurredAt')} />
        </Field>
      </div>
      {isProtected ? (
        <p className="hint">{t('contact.noLocation')}</p>
      ) : (
        <Field label={t('contact.location')} error={errorOf('location')}>
          <input {...form.register('location')} />
        </Field>
      )}
      <Field label={t('contact.summary')} error={errorOf('summary')}>
        <textarea rows={3} {...form.register('summary')} />
      </Field>
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} saveLabel={t('contact.record')} onCancel={onDone} />
    </form>
  );
}

/**
 * The first screen: where things stand with the person, as the server computed it for this reader (the
 * votes they owe, what a consent withholds from their organisation), with the daily action at hand.
 */
function AtAGlance({ overview }: { overview: Overview }) {
  const { t, label, date, dateTime } = useI18n();
  const { person, collaborationGroup } = overview;
  const coordinator = collaborationGroup?.coordinator ?? null;
  const withheld = new Set(overview.consent.withheldFromYou);
  const notShared = <span className="muted">{t('overview.notShared')}</span>;
  const isProtected = person.protectedIdentity !== 'NONE';
  const consentTone =
    overview.consent.state === 'IN_FORCE'
      ? 'plan-active'
      : overview.consent.state === 'ENDS_SOON'
        ? 'tag-warning'
        : 'tag-danger';
  return (
    <section className="card wide glance" aria-labelledby="glance-heading">
      <h2 id="glance-heading">{t('overview.glance')}</h2>
      {overview.votesMissing.length > 0 && (
        <div className="notice notice-warning votes-missing">
          <strong>{t('overview.yourVoteMissing')}</strong>{' '}
          <ul className="plain">
            {overview.votesMissing.map((p) => (
              <li key={p.id}>
                <Link to={`/persons/${person.id}/decisions`}>{p.title || t('overview.proposalUntitled')}</Link>{' '}
                <span>{t('overview.voteBy', { when: dateTime(p.deadline) })}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="actions">
        <RecordContactButton personId={person.id} isProtected={isProtected} primary />
        <Link to={`/persons/${person.id}/plan`} className="button secondary">
          {t('person.openPlan')}
        </Link>
      </div>
      <dl className="facts glance-facts">
        <dt>{t('overview.nextMeeting')}</dt>
        <dd data-testid="glance-meeting">
          {overview.nextSipMeeting ? (
            <>
              {dateTime(overview.nextSipMeeting.startsAt)}
              {overview.nextSipMeeting.location && <span className="muted"> · {overview.nextSipMeeting.location}</span>}
            </>
          ) : (
            <span className="muted">{t('overview.noMeeting')}</span>
          )}
        </dd>
        <dt>{t('overview.nextFollowUp')}</dt>
        <dd data-testid="glance-follow-up">
          {withheld.has('SIP_PLAN') ? (
            notShared
          ) : overview.nextFollowUpOn ? (
            <>
              {date(overview.nextFollowUpOn)}
              {overview.followUpOverdue && <span className="tag tag-danger">{t('caseload.overdue')}</span>}
            </>
          ) : (
            <span className="muted">{t('overview.noFollowUp')}</span>
          )}
        </dd>
        <dt>{t('overview.coordinator')}</dt>
        <dd data-testid="glance-coordinator">
          {coordinator ? (
            <>
              {coordinator.givenName} {coordinator.familyName}{' '}
              <span className="muted">
                ({label('Profession', coordinator.profession)}, {coordinator.organisation.name})
              </span>
              {coordinator.phone && (
                <>
                  {' '}
                  · <a href={`tel:${coordinator.phone}`}>{coordinator.phone}</a>
                </>
              )}
            </>
          ) : (
            <span className="muted">{t('overview.noCoordinator')}</span>
          )}
        </dd>
        <dt>{t('overview.openDecisions')}</dt>
        <dd data-testid="glance-decisions">
          {overview.openProposals.length === 0 ? (
            <span className="muted">{t('overview.noOpenDecisions')}</span>
          ) : (
            <Link to={`/persons/${person.id}/decisions`}>
              {t('overview.openDecisionsCount', { count: overview.openProposals.length })}
            </Link>
          )}
        </dd>
        <dt>{t('overview.housingNow')}</dt>
        <dd data-testid="glance-housing">
          {withheld.has('HOUSING') ? (
            notShared
          ) : overview.currentHousing ? (
            <>
              {label('HousingKind', overview.currentHousing.kind)}{' '}
              {overview.currentHousing.provider && (
                <span className="muted">({overview.currentHousing.provider.name})</span>
              )}{' '}
              <span className="muted">{t('overview.since', { date: date(overview.currentHousing.startedOn) })}</span>
            </>
          ) : (
            <span className="muted">{t('overview.noHousing')}</span>
          )}
        </dd>
        <dt>{t('overview.lastContact')}</dt>
        <dd data-testid="glance-last-contact">
          {withheld.has('TIMELINE') ? (
            notShared
          ) : overview.daysSinceLastContact === null || overview.daysSinceLastContact === undefined ? (
            <span className="muted">{t('overview.noContactYet')}</span>
          ) : (
            <>
              {daysAgo(t, overview.daysSinceLastContact)}{' '}
              <span className="muted">({dateTime(overview.lastContactAt)})</span>
            </>
          )}
        </dd>
        <dt>{t('person.consent')}</dt>
        <dd data-testid="glance-consent">
          <span className={`tag ${consentTone}`}>{label('ConsentStanding', overview.consent.state)}</span>
          {overview.consent.validUntil && (
            <span className="muted"> {t('overview.consentUntil', { date: date(overview.consent.validUntil) })}</span>
          )}
          {withheld.size > 0 && (
            <div className="muted">
              {t('overview.withheldFromYou', {
                what: overview.consent.withheldFromYou.map((c) => label('SharingCategory', c)).join(', '),
              })}
            </div>
          )}
        </dd>
        <dt>{t('person.actTeam')}</dt>
        <dd data-testid="glance-act">
          {overview.actTeams.length === 0 ? (
            <span className="muted">{t('overview.noActTeam')}</span>
          ) : (
            overview.actTeams.map((team) => (
              <div key={team.id}>
                <strong>{team.name}</strong> · {t('overview.onCallNow')}:{' '}
                {team.onCallNow.length === 0 ? (
                  <span className="tag tag-warning">{t('overview.nobodyOnCall')}</span>
                ) : (
                  team.onCallNow.map((shift) => (
                    <span key={shift.id}>
                      {shift.staff.givenName} {shift.staff.familyName}
                      {shift.staff.phone && (
                        <>
                          {' '}
                          <a href={`tel:${shift.staff.phone}`}>{shift.staff.phone}</a>
                        </>
                      )}
                    </span>
                  ))
                )}
                {team.onCallPhone && (
                  <>
                    {' '}
                    · {t('team.phone')}: <a href={`tel:${team.onCallPhone}`}>{team.onCallPhone}</a>
                  </>
                )}
              </div>
            ))
          )}
        </dd>
      </dl>
      <h3>{t('overview.responsibilities')}</h3>
      {withheld.has('SIP_PLAN') ? (
        <p>{notShared}</p>
      ) : overview.responsibilities.length === 0 ? (
        <p className="muted">{t('overview.noResponsibilities')}</p>
      ) : (
        <ul className="plain responsibilities">
          {overview.responsibilities.map((r) => (
            <li key={r.organisationId}>
              <strong>{r.organisation.name}</strong> <span className="muted">({label('Principal', r.principal)})</span>
              {r.overallResponsibility && <span className="tag tag-info">{t('person.overallResponsibility')}</span>}
              {r.interventions.length > 0 && <div>{r.interventions.map((i) => i.description).join('; ')}</div>}
              {r.contacts.length === 0 ? (
                <div className="muted">{t('overview.noContactInGroup')}</div>
              ) : (
                <div>
                  {r.contacts.map((c, index) => (
                    <span key={c.id}>
                      {index > 0 && ' · '}
                      {c.staff.givenName} {c.staff.familyName} <span className="muted">({c.role})</span>
                      {c.staff.phone && (
                        <>
                          {' '}
                          <a href={`tel:${c.staff.phone}`}>{c.staff.phone}</a>
                        </>
                      )}
                    </span>
                  ))}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
