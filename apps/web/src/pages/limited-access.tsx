// When the overview is refused: a member of the person's group whose organisation the person has not
// consented to sees what the law lets them know (whom to contact, whether a plan exists, their own
// organisation's records), and may open the person's data in an emergency (nödåtkomst): with a reason,
// for a limited time, logged, told to the coordinator and reviewed by an auditor.
import { OpenEmergencyAccessDocument, PersonAccessDocument, type PersonAccessQuery } from '../api/generated';
import { useMutation, useQuery } from '../api/hooks';
import { DialogButton } from '../components/dialog';
import { Field } from '../components/field';
import { ErrorMessage, Loading } from '../components/status';
import { FormButtons, FormProblem, useApiForm } from '../forms/api-form';
import { useI18n } from '../i18n/i18n';
import type { ApiError } from '../api/client';
import { useSession } from '../session';

type Access = PersonAccessQuery['personAccess'];

/** The overview's refusal, or the limited view when the reader has one. */
export function LimitedAccess({ personId, refusal }: { personId: string; refusal: ApiError }) {
  const access = useQuery(PersonAccessDocument, { personId });
  if (access.loading) return <Loading />;
  // Nothing more to show (no relation, or a connection problem): the overview's own answer says why.
  if (!access.data) return <ErrorMessage error={refusal} />;
  return <LimitedView access={access.data.personAccess} />;
}

function LimitedView({ access }: { access: Access }) {
  const { t, label, dateTime } = useI18n();
  const { staff } = useSession();
  // The reader may be one of the group's voting representatives: the others are whom to contact.
  const contacts = access.contacts.filter((c) => c.staff.id !== staff?.id);
  return (
    <div className="grid">
      <section className="card" aria-labelledby="limited-title">
        <h2 id="limited-title">{t('limited.title')}</h2>
        <p>{t('limited.intro')}</p>
        <p>{access.planExists ? t('limited.planExists') : t('limited.noPlan')}</p>
        <h3>{t('limited.contacts')}</h3>
        <ul className="plain">
          {contacts.map((c) => (
            <li key={`${c.role}-${c.staff.id}`}>
              {c.staff.givenName} {c.staff.familyName}, {label('Profession', c.staff.profession)},{' '}
              {c.staff.organisation.name} ({c.role === 'coordinator' ? t('limited.coordinator') : c.role})
              {c.staff.phone && (
                <>
                  {' '}
                  · {t('person.phone')}: <a href={`tel:${c.staff.phone}`}>{c.staff.phone}</a>
                </>
              )}
            </li>
          ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="limited-own-title">
        <h2 id="limited-own-title">{t('limited.ownRecords')}</h2>
        {access.ownOrganisationContacts.length === 0 ? (
          <p>{t('limited.noOwnRecords')}</p>
        ) : (
          <ul className="plain">
            {access.ownOrganisationContacts.map((c) => (
              <li key={c.id}>
                {dateTime(c.occurredAt)} · {label('ContactKind', c.kind)}: {c.summary}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="emergency-title">
        <h2 id="emergency-title">{t('limited.emergencyTitle')}</h2>
        <p>{t('limited.emergencyIntro')}</p>
        <DialogButton label={t('limited.openEmergency')} className="button secondary">
          {(close) => <EmergencyAccessForm personId={access.personId} onDone={close} />}
        </DialogButton>
      </section>
    </div>
  );
}

interface EmergencyForm {
  reason: string;
}

function EmergencyAccessForm({ personId, onDone }: { personId: string; onDone: () => void }) {
  const { t } = useI18n();
  const open = useMutation(OpenEmergencyAccessDocument);
  const { form, problem, submit, errorOf } = useApiForm<EmergencyForm>({
    defaultValues: { reason: '' },
    onSaved: onDone,
  });
  // Opened, every query refreshes (the mutation marks them stale): the overview replaces this view.
  const save = (v: EmergencyForm) => open.runOrThrow({ input: { personId, reason: v.reason.trim() } });
  return (
    <form onSubmit={submit(save)} noValidate aria-label={t('limited.openEmergency')}>
      <p className="hint">{t('limited.emergencyWarning')}</p>
      <Field label={t('limited.reason')} error={errorOf('reason')} hint={t('limited.reasonHint')}>
        <textarea rows={3} {...form.register('reason')} />
      </Field>
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} saveLabel={t('limited.openEmergency')} onCancel={onDone} />
    </form>
  );
}
