import { useState, type FormEvent } from 'react';
import {
  CastVoteDocument,
  DecisionEventsDocument,
  DecisionsDocument,
  OpenProposalDocument,
  RequestDischargeDocument,
  WithdrawProposalDocument,
  type DecisionsQuery,
  type ProposalFieldsFragment,
  type ProposalType,
  type VoteChoice,
} from '../api/generated';
import { useLive, useMutation, useQuery, useReconnect, useSubscription } from '../api/hooks';
import { DialogButton } from '../components/dialog';
import { Field } from '../components/field';
import { Layout } from '../components/layout';
import { PersonTabs } from '../components/person-tabs';
import { FormButtons, useApiForm, useFocusFirstInvalid } from '../forms/api-form';
import { ErrorMessage, QueryView } from '../components/status';
import { useI18n } from '../i18n/i18n';
import { closeReasonText } from '../notifications';
import { localDate } from '../lib/local-time';
import { tally } from '../lib/tally';
import { mayLeave } from '../router';
import { Refusal, useFieldRefusal, type Refusals } from './group-refusal';

const PROPOSAL_TYPES: ProposalType[] = [
  'DISCHARGE',
  'PLAN_REVISION',
  'HOUSING_PLACEMENT',
  'CHANGE_OVERALL_RESPONSIBILITY',
  'COMPULSORY_CARE_APPLICATION',
  'OTHER',
];

export function DecisionsPage({ personId }: { personId: string }) {
  const { t } = useI18n();
  const query = useQuery(DecisionsDocument, { personId });
  // Every proposal, vote and discharge event of this person reads the page again: the tally and results
  // arrive live. After a drop the page is read again too, since events sent meanwhile were missed.
  const liveError = useSubscription(DecisionEventsDocument, { personId }, () => void query.refetch());
  useReconnect(() => void query.refetch());
  const lost = Boolean(liveError) || !useLive();
  const person = query.data?.person;
  return (
    <Layout
      title={
        person ? t('decisions.title', { name: `${person.givenName} ${person.familyName}` }) : t('person.decisions')
      }
    >
      <PersonTabs personId={personId} />
      <p className={`live ${lost ? 'live-lost' : ''}`} role="status">
        <span className="live-dot" aria-hidden="true" /> {lost ? t('status.liveLost') : t('decisions.live')}
      </p>
      <QueryView state={query}>{(data) => <DecisionsView data={data} onChanged={query.refetch} />}</QueryView>
    </Layout>
  );
}

function DecisionsView({ data, onChanged }: { data: DecisionsQuery; onChanged: () => Promise<void> }) {
  const { t } = useI18n();
  const { person, me } = data;
  return (
    <div className="grid">
      <section className="card wide" aria-labelledby="proposals-heading">
        <h2 id="proposals-heading">{t('person.decisions')}</h2>
        {person.proposals.length === 0 ? (
          <p>{t('decisions.none')}</p>
        ) : (
          person.proposals.map((p) => <ProposalCard key={p.id} proposal={p} myId={me.id} onChanged={onChanged} />)
        )}
      </section>
      <EpisodesCard person={person} myOrganisationId={me.organisationId} />
      <ProposeForm person={person} onChanged={onChanged} />
    </div>
  );
}

function ProposalCard({
  proposal,
  myId,
  onChanged,
}: {
  proposal: ProposalFieldsFragment;
  myId: string;
  onChanged: () => Promise<void>;
}) {
  const i18n = useI18n();
  const { t, label, dateTime } = i18n;
  const counts = tally(proposal.electorate);
  const closed = closeReasonText(i18n, proposal);
  const mine = proposal.electorate.find((e) => e.staffId === myId);
  const headingId = `proposal-${proposal.id}`;
  return (
    <article
      className={`proposal proposal-${proposal.status.toLowerCase()}`}
      aria-labelledby={headingId}
      data-testid="proposal"
    >
      <header>
        <h3 id={headingId}>
          {proposal.title}{' '}
          <span className={`tag status-${proposal.status.toLowerCase()}`}>
            {label('ProposalStatus', proposal.status)}
          </span>
        </h3>
        <p className="muted">
          {label('ProposalType', proposal.type)} ·{' '}
          {t('decisions.proposedBy', { name: `${proposal.proposer.givenName} ${proposal.proposer.familyName}` })} ·{' '}
          {t('decisions.deadlineAt', { date: dateTime(proposal.deadline) })}
        </p>
      </header>
      <p>{proposal.rationale}</p>
      <div className="tally" aria-label={t('decisions.tally', counts)}>
        <div className="tally-bar" aria-hidden="true">
          <span className="tally-agree" style={{ flexGrow: counts.agree }} />
          <span className="tally-disagree" style={{ flexGrow: counts.disagree }} />
          <span className="tally-pending" style={{ flexGrow: counts.pending }} />
        </div>
        <p className="tally-text" data-testid="tally">
          {t('decisions.tally', counts)}
        </p>
      </div>
      <ul className="electorate">
        {proposal.electorate.map((e) => (
          <li key={e.staffId}>
            <strong>
              {e.staff.givenName} {e.staff.familyName}
            </strong>{' '}
            <span className="muted">
              ({label('Profession', e.profession)}, {e.organisation.name})
            </span>
            :{' '}
            {e.choice ? (
              <span className={`vote vote-${e.choice.toLowerCase()}`}>{label('VoteChoice', e.choice)}</span>
            ) : (
              <span className="muted">{t('decisions.notVoted')}</span>
            )}
            {e.comment && <q>{e.comment}</q>}
          </li>
        ))}
      </ul>
      {closed && <p className="muted">{closed}</p>}
      {proposal.status === 'OPEN' && mine && (
        <VoteForm proposalId={proposal.id} current={mine.choice ?? null} onChanged={onChanged} />
      )}
      {proposal.status === 'OPEN' && (
        <DialogButton
          label={t('groupDecisions.withdraw')}
          title={t('groupDecisions.withdrawTitle', { title: proposal.title })}
        >
          {(close) => <WithdrawForm proposalId={proposal.id} onDone={close} />}
        </DialogButton>
      )}
    </article>
  );
}

function VoteForm({
  proposalId,
  current,
  onChanged,
}: {
  proposalId: string;
  current: VoteChoice | null;
  onChanged: () => Promise<void>;
}) {
  const { t, fieldError } = useI18n();
  const vote = useMutation(CastVoteDocument);
  const formRef = useFocusFirstInvalid(vote.error);
  const [choice, setChoice] = useState<VoteChoice | null>(current);
  const [comment, setComment] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!choice) return;
    if (await vote.run({ input: { proposalId, choice, comment: comment.trim() || null } })) {
      setComment('');
      await onChanged();
    }
  };
  return (
    <form ref={formRef} className="vote-form" onSubmit={submit} noValidate>
      <fieldset>
        <legend>{t('decisions.yourVote')}</legend>
        <label className="choice">
          <input
            type="radio"
            name={`choice-${proposalId}`}
            value="AGREE"
            checked={choice === 'AGREE'}
            onChange={() => setChoice('AGREE')}
          />{' '}
          {t('decisions.agree')}
        </label>
        <label className="choice">
          <input
            type="radio"
            name={`choice-${proposalId}`}
            value="DISAGREE"
            checked={choice === 'DISAGREE'}
            onChange={() => setChoice('DISAGREE')}
          />{' '}
          {t('decisions.disagree')}
        </label>
      </fieldset>
      <Field label={t('decisions.comment')} error={fieldError(vote.error, 'comment')}>
        <textarea name="comment" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
      </Field>
      {vote.error && !vote.error.fieldProblem('comment') && <ErrorMessage error={vote.error} />}
      <button type="submit" className="button primary" disabled={!choice || vote.busy}>
        {t('decisions.vote')}
      </button>
    </form>
  );
}

function EpisodesCard({ person, myOrganisationId }: { person: DecisionsQuery['person']; myOrganisationId: string }) {
  const { t, label, dateTime } = useI18n();
  return (
    <section className="card" aria-labelledby="episodes-heading">
      <h2 id="episodes-heading">{t('decisions.episodesTitle')}</h2>
      <p className="hint">{t('decisions.dischargeHint')}</p>
      <ul className="plain episodes">
        {person.careEpisodes.map((e) => (
          <li key={e.id} data-testid={`episode-${e.kind}`}>
            <strong>{label('EpisodeKind', e.kind)}</strong> ({e.organisation.name}):{' '}
            <span className={`tag episode-${e.status.toLowerCase()}`}>{label('EpisodeStatus', e.status)}</span>
            {e.dischargeRequests.length > 0 && (
              <ul className="plain requests">
                {e.dischargeRequests.map((r) => (
                  <li key={r.id}>
                    {t('decisions.requests')}:{' '}
                    <strong className={`request-${r.status.toLowerCase()}`}>
                      {label('DischargeRequestStatus', r.status)}
                    </strong>{' '}
                    <span className="muted">{dateTime(r.decidedAt ?? r.requestedAt)}</span>
                    {r.reason && (
                      <div className="muted">
                        {t(`codes.refusal.${r.reason}`, {
                          status: r.reasonProposalStatus
                            ? label('ProposalStatus', r.reasonProposalStatus).toLowerCase()
                            : label('EpisodeStatus', r.reasonEpisodeStatus).toLowerCase(),
                        })}
                      </div>
                    )}
                  </li>
                ))}
              </ul>
            )}
            {e.status === 'ACTIVE' &&
              e.organisationId === myOrganisationId &&
              !e.dischargeRequests.some((r) => r.status === 'PENDING') &&
              (e.dischargeApproved ? (
                <div>
                  <DialogButton
                    label={t('decisions.requestDischarge')}
                    title={t('groupDecisions.confirmDischargeTitle', {
                      kind: label('EpisodeKind', e.kind),
                      organisation: e.organisation.name,
                    })}
                    className="button secondary small"
                  >
                    {(close) => <ConfirmDischarge episodeId={e.id} onDone={close} />}
                  </DialogButton>
                </div>
              ) : (
                <div className="muted">{t('decisions.needsApproval')}</div>
              ))}
          </li>
        ))}
      </ul>
    </section>
  );
}

const WITHDRAW_REFUSALS: Refusals = {
  forbidden: 'groupDecisions.withdrawRefused',
  invalid: 'groupDecisions.withdrawRefused',
};

/** Withdrawing an open proposal, with the reason kept as its close reason. */
function WithdrawForm({ proposalId, onDone }: { proposalId: string; onDone: () => void }) {
  const { t } = useI18n();
  const withdraw = useMutation(WithdrawProposalDocument);
  const api = useApiForm<{ reason: string }>({ defaultValues: { reason: '' }, onSaved: onDone });
  const fieldError = useFieldRefusal(api, WITHDRAW_REFUSALS);
  return (
    <form
      onSubmit={api.submit((v) => withdraw.runOrThrow({ input: { proposalId, reason: v.reason.trim() } }))}
      noValidate
    >
      <p className="hint">{t('groupDecisions.withdrawHint')}</p>
      <Field label={t('groupDecisions.withdrawReason')} error={fieldError('reason')}>
        <textarea rows={2} {...api.form.register('reason', { required: 'required' })} />
      </Field>
      <Refusal problem={api.problem} refusals={WITHDRAW_REFUSALS} />
      <FormButtons
        busy={api.form.formState.isSubmitting}
        saveLabel={t('groupDecisions.withdraw')}
        onCancel={() => mayLeave() && onDone()}
      />
    </form>
  );
}

/** A discharge request says what will happen and is sent only when confirmed. */
function ConfirmDischarge({ episodeId, onDone }: { episodeId: string; onDone: () => void }) {
  const { t } = useI18n();
  const request = useMutation(RequestDischargeDocument);
  const api = useApiForm<Record<string, never>>({ defaultValues: {}, onSaved: onDone });
  return (
    <form onSubmit={api.submit(() => request.runOrThrow({ episodeId }))} noValidate>
      <p>{t('groupDecisions.confirmDischargeText')}</p>
      <Refusal problem={api.problem} refusals={{}} />
      <FormButtons
        busy={api.form.formState.isSubmitting}
        saveLabel={t('groupDecisions.send')}
        onCancel={() => mayLeave() && onDone()}
      />
    </form>
  );
}

function inDays(days: number): string {
  return localDate(new Date(Date.now() + days * 86_400_000));
}

function ProposeForm({ person, onChanged }: { person: DecisionsQuery['person']; onChanged: () => Promise<void> }) {
  const { t, label, fieldError } = useI18n();
  const open = useMutation(OpenProposalDocument);
  const formRef = useFocusFirstInvalid(open.error);
  const activeEpisodes = person.careEpisodes.filter((e) => e.status === 'ACTIVE');
  const [type, setType] = useState<ProposalType>('DISCHARGE');
  const [title, setTitle] = useState('');
  const [rationale, setRationale] = useState('');
  const [deadline, setDeadline] = useState(inDays(7));
  const [episodeId, setEpisodeId] = useState(activeEpisodes[0]?.id ?? '');
  const at = (field: string) => fieldError(open.error, field);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // The last moment of the chosen day, in the user's own time zone.
    const deadlineAt = deadline ? new Date(`${deadline}T23:59:00`).toISOString() : '';
    const result = await open.run({
      input: {
        personId: person.id,
        type,
        title: title.trim(),
        rationale: rationale.trim(),
        deadline: deadlineAt,
        episodeId: type === 'DISCHARGE' ? episodeId || null : null,
      },
    });
    if (result) {
      setTitle('');
      setRationale('');
      await onChanged();
    }
  };
  return (
    <section className="card" aria-labelledby="propose-heading">
      <h2 id="propose-heading">{t('decisions.propose')}</h2>
      <form ref={formRef} onSubmit={submit} noValidate>
        <Field label={t('decisions.type')} error={at('type')}>
          <select name="type" value={type} onChange={(e) => setType(e.target.value as ProposalType)}>
            {PROPOSAL_TYPES.map((p) => (
              <option key={p} value={p}>
                {label('ProposalType', p)}
              </option>
            ))}
          </select>
        </Field>
        {type === 'DISCHARGE' && (
          <Field label={t('decisions.episode')} error={at('episodeId')}>
            <select name="episodeId" value={episodeId} onChange={(e) => setEpisodeId(e.target.value)}>
              {activeEpisodes.map((e) => (
                <option key={e.id} value={e.id}>
                  {label('EpisodeKind', e.kind)} ({e.organisation.name})
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field label={t('decisions.titleField')} error={at('title')}>
          <input name="title" value={title} onChange={(e) => setTitle(e.target.value)} />
        </Field>
        <Field label={t('decisions.rationale')} error={at('rationale')}>
          <textarea name="rationale" rows={3} value={rationale} onChange={(e) => setRationale(e.target.value)} />
        </Field>
        <Field label={t('decisions.deadline')} error={at('deadline')}>
          <input name="deadline" type="date" value={deadline} onChange={(e) => setDeadline(e.target.value)} />
        </Field>
        {open.error && !open.error.fields.length && <ErrorMessage error={open.error} />}
        <button type="submit" className="button primary" disabled={open.busy}>
          {t('decisions.submit')}
        </button>
      </form>
    </section>
  );
}
