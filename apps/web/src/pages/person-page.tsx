import { useState, type FormEvent } from 'react';
import { PersonOverviewDocument, RecordContactDocument, TimelineMoreDocument, type ContactKind, type PersonOverviewQuery, type TimelinePageFragment } from '../api/generated';
import { useApi, useMutation, useQuery } from '../api/hooks';
import { Field } from '../components/field';
import type { ApiError } from '../api/client';
import { Layout } from '../components/layout';
import { PersonTabs } from '../components/person-tabs';
import { ErrorMessage, QueryView } from '../components/status';
import { useI18n } from '../i18n/i18n';
import { instantOf, localDateTime } from '../lib/local-time';
import { Link } from '../router';
import { ConsentCard, type Organisation } from './consent-card';
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
      <QueryView state={overview}>{(data) => <OverviewView overview={data.patientOverview} onChanged={overview.refetch} />}</QueryView>
    </Layout>
  );
}

function OverviewView({ overview, onChanged }: { overview: Overview; onChanged: () => Promise<void> }) {
  const { t, label, date } = useI18n();
  const { person, sipPlan, roster, collaborationGroup } = overview;
  const isProtected = person.protectedIdentity !== 'NONE';
  const byPrincipal = (['MUNICIPALITY', 'REGION', 'OTHER'] as const).map((principal) => ({
    principal,
    items: (sipPlan?.interventions ?? []).filter((i) => i.responsiblePrincipal === principal),
  }));
  return (
    <div className="grid">
      <section className="card" aria-labelledby="identity-heading">
        <h2 id="identity-heading">{t('person.identity')}</h2>
        {isProtected && (
          <p className="notice notice-warning">
            {label('ProtectedIdentity', person.protectedIdentity)}: {t('person.protectedNotice')}
          </p>
        )}
        <dl className="facts">
          <dt>{label('IdentityKind', person.identityKind)}</dt>
          <dd>{person.identityNumber ?? t('common.none')}</dd>
          <dt>{t('person.reference')}</dt>
          <dd>{person.temporaryReference}</dd>
          <dt>{t('person.birthYear')}</dt>
          <dd>{person.birthYear ?? t('common.none')}</dd>
          <dt>{t('person.gender')}</dt>
          <dd>{label('LegalGender', person.legalGender)}</dd>
          <dt>{t('person.phone')}</dt>
          <dd>{person.phone ?? t('common.none')}</dd>
          <dt>{t('person.contactChannel')}</dt>
          <dd>{label('ContactChannel', person.preferredContactChannel)}</dd>
          <dt>{t('person.children')}</dt>
          <dd>{label('ChildrenStatus', person.childrenStatus)}</dd>
        </dl>
        <h3>{t('person.episodes')}</h3>
        <ul className="plain">
          {person.careEpisodes.map((e) => (
            <li key={e.id}>
              {label('EpisodeKind', e.kind)} ({e.organisation.name}): <strong>{label('EpisodeStatus', e.status)}</strong>
            </li>
          ))}
        </ul>
        {overview.actTeams.length > 0 && (
          <p>
            {t('person.actTeam')}: {overview.actTeams.map((team) => team.name).join(', ')}
          </p>
        )}
      </section>

      <ConsentCard
        personId={person.id}
        organisations={uniqueOrganisations(roster.map((m) => m.staff.organisation))}
        planConsent={sipPlan ? { givenAt: sipPlan.consentGivenAt ?? null, validUntil: sipPlan.consentValidUntil ?? null } : null}
      />

      <section className="card wide" aria-labelledby="plan-heading">
        <h2 id="plan-heading">{t('person.sip')}</h2>
        {!sipPlan ? (
          <p>{t('person.noPlan')}</p>
        ) : (
          <>
            <p>
              <span className={`tag plan-${sipPlan.status.toLowerCase()}`}>{label('SipPlanStatus', sipPlan.status)}</span> {t('plan.version', { version: sipPlan.version })} · {t('person.followUp')}: {date(sipPlan.followUpOn)} · {t('person.overallResponsibility')}:{' '}
              {sipPlan.overallResponsibilityOrganisation?.name ?? label('Principal', sipPlan.overallResponsibilityPrincipal)}
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
                          {i.description} <span className="muted">({i.responsibleOrganisation.name}, {label('InterventionStatus', i.status).toLowerCase()})</span>
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
              {m.staff.id === collaborationGroup?.coordinatorStaffId && <span className="tag">{t('person.coordinator')}</span>}
              {m.votingRepresentative && <span className="tag tag-info">{t('person.voting')}</span>}
              <br />
              <span className="muted">
                {label('Profession', m.staff.profession)} · {m.role} · {m.staff.organisation.name} ({label('Principal', m.principal)})
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
                <strong>{label('HousingKind', h.kind)}</strong> {h.provider && <span className="muted">({h.provider.name})</span>}
                <br />
                <span className="muted">
                  {date(h.startedOn)} – {h.endedOn ? date(h.endedOn) : t('person.current')}
                </span>
                {h.address ? <div>{h.address}</div> : isProtected ? <div className="muted">{t('person.hidden')}</div> : null}
              </li>
            ))}
          </ol>
        )}
      </section>

      <RemindersCard personId={person.id} />
      <RecordContact personId={person.id} isProtected={isProtected} onRecorded={onChanged} />
      {/* A new first page (after recording a contact) starts the list again. */}
      <Timeline key={person.timelineEntries.edges.map((e) => e.node.id).join()} personId={person.id} first={person.timelineEntries} />
    </div>
  );
}

/** The shared timeline, newest first, twenty at a time. */
function Timeline({ personId, first }: { personId: string; first: TimelinePageFragment }) {
  const { t, label, dateTime } = useI18n();
  const api = useApi();
  const [pages, setPages] = useState<TimelinePageFragment[]>([first]);
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

const CONTACT_KINDS: ContactKind[] = ['OUTREACH', 'HOME_VISIT', 'OFFICE_VISIT', 'PHONE', 'ACCOMPANYING_TO_CARE', 'SIP_MEETING', 'TEAM_MEETING'];

/** Records a contact on the shared timeline; no place for a person with a protected identity. */
function RecordContact({ personId, isProtected, onRecorded }: { personId: string; isProtected: boolean; onRecorded: () => Promise<void> }) {
  const { t, label, apiMessage } = useI18n();
  const record = useMutation(RecordContactDocument);
  const [kind, setKind] = useState<ContactKind>('OUTREACH');
  const [occurredAt, setOccurredAt] = useState(() => localDateTime(new Date()));
  const [summary, setSummary] = useState('');
  const [location, setLocation] = useState('');
  const at = (field: string) => apiMessage(record.error?.fieldMessage(field));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = { personId, kind, occurredAt: instantOf(occurredAt), summary: summary.trim(), location: isProtected ? null : location.trim() || null };
    if (await record.run({ input })) {
      setSummary('');
      setLocation('');
      await onRecorded();
    }
  };
  return (
    <section className="card wide" aria-labelledby="record-contact-heading">
      <h2 id="record-contact-heading">{t('contact.recordContact')}</h2>
      <form onSubmit={submit} noValidate>
        <div className="row">
          <Field label={t('contact.kind')} error={at('kind')}>
            <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as ContactKind)}>
              {CONTACT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {label('ContactKind', k)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('contact.occurredAt')} error={at('occurredAt')}>
            <input name="occurredAt" type="datetime-local" value={occurredAt} onChange={(e) => setOccurredAt(e.target.value)} />
          </Field>
          {!isProtected && (
            <Field label={t('contact.location')} error={at('location')}>
              <input name="location" value={location} onChange={(e) => setLocation(e.target.value)} />
            </Field>
          )}
        </div>
        {isProtected && <p className="hint">{t('contact.noLocation')}</p>}
        <Field label={t('contact.summary')} error={at('summary')}>
          <textarea name="summary" rows={2} value={summary} onChange={(e) => setSummary(e.target.value)} />
        </Field>
        {record.error && record.error.fields.length === 0 && <ErrorMessage error={record.error} />}
        <button type="submit" className="button primary" disabled={record.busy}>
          {t('contact.record')}
        </button>
      </form>
    </section>
  );
}
