// On the person page: the person's consents as the consent register holds them (the access policy
// decides on these, not on the plan's dates), with forms in dialogs to record one and to withdraw one.
import { consentCardVariables } from '../first-reads';
import { useState } from 'react';
import { useFieldArray } from 'react-hook-form';
import {
  PersonConsentsDocument,
  RecordConsentDocument,
  WithdrawConsentDocument,
  type ConsentGivenHow,
  type ConsentPurpose,
  type ConsentScope,
  type PersonConsentsQuery,
  type SharingCategory,
} from '../api/generated';
import { useMutation, useQuery } from '../api/hooks';
import { Dialog, DialogButton } from '../components/dialog';
import { Field } from '../components/field';
import { FormButtons, FormProblem, useApiForm } from '../forms/api-form';
import { ErrorMessage, QueryView } from '../components/status';
import { swedishToday } from '../i18n/dates';
import { useI18n } from '../i18n/i18n';
import { localDate } from '../lib/local-time';

type Consent = PersonConsentsQuery['consents'][number];
const CATEGORIES: SharingCategory[] = ['SIP_PLAN', 'TIMELINE', 'HOUSING', 'FAMILY'];
export interface Organisation {
  id: string;
  name: string;
}

export function ConsentCard({
  personId,
  organisations,
  planConsent,
}: {
  personId: string;
  organisations: Organisation[];
  planConsent: { givenAt: string | null; validUntil: string | null } | null;
}) {
  const { t, date } = useI18n();
  const query = useQuery(PersonConsentsDocument, consentCardVariables(personId));
  const nameOf = (id: string) => organisations.find((o) => o.id === id)?.name ?? t('consent.otherOrganisation');
  return (
    <section className="card" aria-labelledby="consent-heading">
      <h2 id="consent-heading">{t('person.consent')}</h2>
      <QueryView state={query}>
        {(data) => (
          <>
            {data.consents.some((c) => c.active) ? null : (
              <p className="notice notice-warning">{t('consent.noneActive')}</p>
            )}
            {data.consents.length > 0 && (
              <ul className="plain consents">
                {data.consents.map((c) => (
                  <ConsentItem key={c.id} consent={c} nameOf={nameOf} onChanged={query.refetch} />
                ))}
              </ul>
            )}
          </>
        )}
      </QueryView>
      {planConsent?.givenAt && (
        <p className="hint">
          {t('person.consentGiven', { date: date(planConsent.givenAt) })}
          {planConsent.validUntil && <>, {t('person.consentUntil', { date: date(planConsent.validUntil) })}</>}
        </p>
      )}
      <DialogButton label={t('consent.record')} wide>
        {(close) => (
          <RecordConsentForm
            personId={personId}
            organisations={organisations}
            onRecorded={async () => {
              close();
              await query.refetch();
            }}
            onCancel={close}
          />
        )}
      </DialogButton>
    </section>
  );
}

function ConsentItem({
  consent: c,
  nameOf,
  onChanged,
}: {
  consent: Consent;
  nameOf: (id: string) => string;
  onChanged: () => Promise<void>;
}) {
  const { t, label, date, dateTime, fieldError } = useI18n();
  const withdraw = useMutation(WithdrawConsentDocument);
  const [confirming, setConfirming] = useState(false);
  const [note, setNote] = useState('');
  const state = c.withdrawnAt
    ? { tag: 'plan-closed', text: t('consent.withdrawn', { date: dateTime(c.withdrawnAt) }) }
    : c.active
      ? { tag: 'plan-active', text: t('consent.active') }
      : // The API's today (Swedish), so that the server-rendered first screen and the browser agree.
        c.validFrom > swedishToday()
        ? { tag: 'plan-draft', text: t('consent.notYet', { date: date(c.validFrom) }) }
        : { tag: 'plan-closed', text: t('consent.ended') };
  const submit = async () => {
    if (await withdraw.run({ input: { consentId: c.id, note: note.trim() || null } })) {
      setConfirming(false);
      await onChanged();
    }
  };
  return (
    <li>
      <strong>{label('ConsentPurpose', c.purpose)}</strong> <span className={`tag ${state.tag}`}>{state.text}</span>
      <div>
        {c.scope === 'WHOLE_GROUP'
          ? t('consent.wholeGroup')
          : t('consent.named', { names: c.organisationIds.map(nameOf).join(', ') })}
      </div>
      <div className="muted">
        {label('ConsentGivenHow', c.givenHow)}
        {c.witnessName && (
          <>
            {' '}
            ({t('consent.witness')}: {c.witnessName})
          </>
        )}{' '}
        · {date(c.validFrom)} – {c.validTo ? date(c.validTo) : t('consent.untilWithdrawn')}
      </div>
      {c.limitations.map((l) => (
        <div key={`${l.organisationId}:${l.category}`}>
          {t('consent.limitation', { what: label('SharingCategory', l.category), name: nameOf(l.organisationId) })}
        </div>
      ))}
      {c.withdrawalNote && <div className="muted">{c.withdrawalNote}</div>}
      {/* Kept while the dialog is open, so focus returns to it when the dialog closes. */}
      {!c.withdrawnAt && (c.active || c.validFrom > swedishToday()) && (
        <button type="button" className="button secondary small" onClick={() => setConfirming(true)}>
          {t('consent.withdraw')}
        </button>
      )}
      <Dialog open={confirming} title={t('consent.withdraw')} onClose={() => setConfirming(false)}>
        <div className="dialog-body">
          <p>{t('consent.confirmWithdraw')}</p>
          <Field label={t('consent.withdrawalNote')} error={fieldError(withdraw.error, 'note')}>
            <input name="withdrawalNote" value={note} onChange={(e) => setNote(e.target.value)} />
          </Field>
          {withdraw.error && withdraw.error.fields.length === 0 && <ErrorMessage error={withdraw.error} />}
          <div className="form-buttons">
            <button type="button" className="button" disabled={withdraw.busy} onClick={submit}>
              {t('consent.confirm')}
            </button>
            <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      </Dialog>
    </li>
  );
}

interface ConsentForm {
  purpose: ConsentPurpose;
  scope: ConsentScope;
  organisationIds: string[];
  givenHow: ConsentGivenHow;
  witnessName: string;
  validTo: string;
  limitations: Array<{ organisationId: string; category: SharingCategory }>;
}

function RecordConsentForm({
  personId,
  organisations,
  onRecorded,
  onCancel,
}: {
  personId: string;
  organisations: Organisation[];
  onRecorded: () => Promise<void>;
  onCancel: () => void;
}) {
  const { t, label } = useI18n();
  const record = useMutation(RecordConsentDocument);
  const { form, problem, submit, errorOf } = useApiForm<ConsentForm>({
    defaultValues: {
      purpose: 'SHARING',
      scope: 'WHOLE_GROUP',
      organisationIds: [],
      givenHow: 'WRITTEN',
      witnessName: '',
      validTo: '',
      limitations: [],
    },
    onSaved: () => void onRecorded(),
  });
  const limitations = useFieldArray({ control: form.control, name: 'limitations' });
  const scope = form.watch('scope');
  const givenHow = form.watch('givenHow');
  const save = (v: ConsentForm) =>
    record.runOrThrow({
      input: {
        personId,
        purpose: v.purpose,
        scope: v.scope,
        organisationIds: v.scope === 'NAMED_ORGANISATIONS' ? v.organisationIds : null,
        givenHow: v.givenHow,
        witnessName: v.givenHow === 'VERBAL_WITH_WITNESS' ? v.witnessName.trim() || null : null,
        validTo: v.validTo || null,
        limitations: v.limitations.length ? v.limitations : null,
      },
    });
  return (
    <form onSubmit={submit(save)} noValidate aria-label={t('consent.record')}>
      <div className="row">
        <Field label={t('consent.purpose')} error={errorOf('purpose')}>
          <select {...form.register('purpose')}>
            {(['SHARING', 'SIP'] as const).map((p) => (
              <option key={p} value={p}>
                {label('ConsentPurpose', p)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('consent.scope')} error={errorOf('scope')}>
          <select {...form.register('scope')}>
            {(['WHOLE_GROUP', 'NAMED_ORGANISATIONS'] as const).map((s) => (
              <option key={s} value={s}>
                {label('ConsentScope', s)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {scope === 'NAMED_ORGANISATIONS' && (
        <fieldset className={`group${errorOf('organisationIds') ? ' field-invalid' : ''}`}>
          <legend>{t('consent.organisations')}</legend>
          {organisations.map((o) => (
            <div key={o.id}>
              <label className="choice">
                <input type="checkbox" value={o.id} {...form.register('organisationIds')} /> {o.name}
              </label>
            </div>
          ))}
          {errorOf('organisationIds') && <p className="field-error">{errorOf('organisationIds')}</p>}
        </fieldset>
      )}
      <div className="row">
        <Field label={t('consent.givenHow')} error={errorOf('givenHow')}>
          <select {...form.register('givenHow')}>
            {(['WRITTEN', 'VERBAL_WITH_WITNESS'] as const).map((g) => (
              <option key={g} value={g}>
                {label('ConsentGivenHow', g)}
              </option>
            ))}
          </select>
        </Field>
        {givenHow === 'VERBAL_WITH_WITNESS' && (
          <Field label={t('consent.witness')} error={errorOf('witnessName')}>
            <input {...form.register('witnessName')} />
          </Field>
        )}
        <Field label={t('consent.validTo')} hint={t('consent.validToHint')} error={errorOf('validTo')}>
          <input type="date" min={localDate()} {...form.register('validTo')} />
        </Field>
      </div>
      <fieldset className="group">
        <legend>{t('consent.limitations')}</legend>
        <p className="hint">{t('consent.limitationsHint')}</p>
        {limitations.fields.map((l, index) => (
          <div className="row item" key={l.id}>
            <Field label={t('consent.limitationWhat')} error={errorOf(`limitations.${index}.category`)}>
              <select {...form.register(`limitations.${index}.category`)}>
                {CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {label('SharingCategory', c)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('consent.limitationWith')} error={errorOf(`limitations.${index}.organisationId`)}>
              <select {...form.register(`limitations.${index}.organisationId`)}>
                {organisations.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            </Field>
            <button type="button" className="button secondary small" onClick={() => limitations.remove(index)}>
              {t('plan.remove')}
            </button>
          </div>
        ))}
        <button
          type="button"
          className="button secondary small"
          disabled={organisations.length === 0}
          onClick={() => limitations.append({ organisationId: organisations[0].id, category: 'SIP_PLAN' })}
        >
          {t('consent.addLimitation')}
        </button>
      </fieldset>
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} saveLabel={t('consent.submit')} onCancel={onCancel} />
    </form>
  );
}
