// The person's details: identity (edit, re-identify), the children question, relatives and housing. Each
// change opens in a dialog behind a button; the rules (what a number decides, what may be ended and when)
// are the API's, and a refused save shows the API's answer at its field.
import { useFieldArray } from 'react-hook-form';
import { ApiError } from '../api/client';
import {
  AddRelativeDocument,
  EndRelativeDocument,
  PersonDetailsDocument,
  RecordMoveDocument,
  SetProtectedIdentityDocument,
  UpdatePersonDocument,
  UpdateRelativeDocument,
  type ChildrenStatus,
  type ContactChannel,
  type HousingKind,
  type IdentityKind,
  type LegalGender,
  type PersonDetailsQuery,
  type PersonLanguage,
  type ProtectedIdentity,
} from '../api/generated';
import { useMutation, useQuery } from '../api/hooks';
import { DialogButton } from '../components/dialog';
import { Field } from '../components/field';
import { IdentityFacts } from '../components/identity-facts';
import { Layout } from '../components/layout';
import { PersonTabs } from '../components/person-tabs';
import { QueryView } from '../components/status';
import { FormButtons, FormProblem, useApiForm } from '../forms/api-form';
import { useFieldErrors } from '../forms/field-fallback';
import { useI18n } from '../i18n/i18n';
import { localDate } from '../lib/local-time';
import { useSession } from '../session';
import { numberDecides, PERSON_LANGUAGES } from './register-person-page';

type Person = PersonDetailsQuery['person'];

/** A consent withholds the family from the reader's organisation: the API answers it empty and refuses changes. */
const familyWithheld = (data: PersonDetailsQuery) => data.patientOverview.consent.withheldFromYou.includes('FAMILY');

function Withheld() {
  const { t } = useI18n();
  return <p className="notice">{t('personDetails.familyWithheld')}</p>;
}
type Relative = Person['relatives'][number];

const CHANNELS: ContactChannel[] = ['VIA_STAFF', 'PHONE', 'SMS', 'LETTER', 'EMAIL'];
const HOUSING_KINDS: HousingKind[] = [
  'STREET',
  'EMERGENCY_SHELTER',
  'SUPPORTED_HOUSING_DRUG_TOLERANT',
  'SUPPORTED_HOUSING',
  'TRAINING_FLAT',
  'TRIAL_FLAT',
  'HOUSING_FIRST_FLAT',
  'OWN_LEASE',
  'HOSPITAL',
  'INSTITUTION',
];

export function PersonDetailsPage({ personId }: { personId: string }) {
  const { t } = useI18n();
  const details = useQuery(PersonDetailsDocument, { personId });
  const person = details.data?.person;
  return (
    <Layout
      title={
        person ? t('personDetails.title', { name: `${person.givenName} ${person.familyName}` }) : t('personDetails.tab')
      }
    >
      <PersonTabs personId={personId} />
      <QueryView state={details}>
        {(data) => (
          <div className="grid">
            <IdentityCard person={data.person} />
            <ProtectionCard person={data.person} />
            <ChildrenCard person={data.person} withheld={familyWithheld(data)} />
            <RelativesCard person={data.person} withheld={familyWithheld(data)} />
            <HousingCard person={data.person} />
          </div>
        )}
      </QueryView>
    </Layout>
  );
}

function IdentityCard({ person }: { person: Person }) {
  const { t, label, date } = useI18n();
  const mayReidentify = person.identityKind === 'UNIDENTIFIED' || person.identityKind === 'RESERVE_NUMBER';
  return (
    <section className="card" aria-labelledby="details-identity">
      <h2 id="details-identity">{t('personDetails.identity')}</h2>
      <dl className="facts">
        <dt>{t('personDetails.name')}</dt>
        <dd>
          {person.givenName} {person.familyName}
        </dd>
        <IdentityFacts person={person} referenceLabel={t('personDetails.reference')} />
      </dl>
      {person.identityHistory.length > 0 && (
        <>
          <h3>{t('personDetails.history')}</h3>
          <ul className="plain">
            {person.identityHistory.map((h) => (
              <li key={`${h.identityKind}-${h.replacedAt}`}>
                {label('IdentityKind', h.identityKind)}
                {h.identityNumber ? ` ${h.identityNumber}` : ''},{' '}
                {t('personDetails.replaced', { date: date(h.replacedAt) })}
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="actions">
        <DialogButton label={t('personDetails.edit')} title={t('personDetails.editTitle')}>
          {(close) => <EditPersonForm person={person} onDone={close} />}
        </DialogButton>
        {mayReidentify && (
          <DialogButton label={t('personDetails.reidentify')} title={t('personDetails.reidentifyTitle')}>
            {(close) => <ReidentifyForm person={person} onDone={close} />}
          </DialogButton>
        )}
      </div>
    </section>
  );
}

interface EditPersonValues {
  givenName: string;
  familyName: string;
  phone: string;
  preferredContactChannel: ContactChannel;
  preferredLanguage: PersonLanguage;
  legalGender: LegalGender;
}

function EditPersonForm({ person, onDone }: { person: Person; onDone: () => void }) {
  const { t, label } = useI18n();
  const update = useMutation(UpdatePersonDocument);
  const decides = numberDecides(person.identityKind);
  const apiForm = useApiForm<EditPersonValues>({
    defaultValues: {
      givenName: person.givenName,
      familyName: person.familyName,
      phone: person.phone ?? '',
      preferredContactChannel: person.preferredContactChannel,
      preferredLanguage: person.preferredLanguage,
      legalGender: person.legalGender,
    },
    onSaved: onDone,
  });
  const { form, problem, submit } = apiForm;
  const errorOf = useFieldErrors(apiForm, (name) =>
    name === 'phone'
      ? t('registerPerson.invalidPhone')
      : name === 'legalGender'
        ? t('registerPerson.genderMissing')
        : t('personDetails.required'),
  );
  const save = submit((v) =>
    update.runOrThrow({
      personId: person.id,
      input: {
        givenName: v.givenName.trim(),
        familyName: v.familyName.trim(),
        phone: v.phone.trim() || null,
        preferredContactChannel: v.preferredContactChannel,
        preferredLanguage: v.preferredLanguage,
        ...(decides ? {} : { legalGender: v.legalGender }),
      },
    }),
  );
  return (
    <form onSubmit={save} noValidate>
      <div className="row">
        <Field label={t('registerPerson.givenName')} error={errorOf('givenName')}>
          <input autoComplete="off" {...form.register('givenName', { required: 'required' })} />
        </Field>
        <Field label={t('registerPerson.familyName')} error={errorOf('familyName')}>
          <input autoComplete="off" {...form.register('familyName', { required: 'required' })} />
        </Field>
      </div>
      {!decides && (
        <Field label={t('registerPerson.legalGender')} error={errorOf('legalGender')}>
          <select {...form.register('legalGender')}>
            {(['FEMALE', 'MALE', 'UNKNOWN'] as const).map((g) => (
              <option key={g} value={g}>
                {label('LegalGender', g)}
              </option>
            ))}
          </select>
        </Field>
      )}
      <div className="row">
        <Field label={t('registerPerson.phone')} error={errorOf('phone')}>
          <input type="tel" autoComplete="off" {...form.register('phone')} />
        </Field>
        <Field label={t('registerPerson.contactChannel')} error={errorOf('preferredContactChannel')}>
          <select {...form.register('preferredContactChannel')}>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {label('ContactChannel', c)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field
        label={t('registerPerson.language')}
        hint={t('registerPerson.languageHint')}
        error={errorOf('preferredLanguage')}
      >
        <select {...form.register('preferredLanguage')}>
          {PERSON_LANGUAGES.map((l) => (
            <option key={l} value={l}>
              {label('PersonLanguage', l)}
            </option>
          ))}
        </select>
      </Field>
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} onCancel={onDone} />
    </form>
  );
}

interface ReidentifyValues {
  identityKind: IdentityKind;
  identityNumber: string;
}

/** A person registered without documents gets a number: the earlier identity goes to the history (the API keeps it). */
function ReidentifyForm({ person, onDone }: { person: Person; onDone: () => void }) {
  const { t, label } = useI18n();
  const update = useMutation(UpdatePersonDocument);
  const apiForm = useApiForm<ReidentifyValues>({
    defaultValues: { identityKind: 'PERSONNUMMER', identityNumber: '' },
    onSaved: onDone,
  });
  const { form, problem, submit } = apiForm;
  const errorOf = useFieldErrors(apiForm, () => t('registerPerson.invalidNumber'));
  const save = submit(async (v) => {
    try {
      await update.runOrThrow({
        personId: person.id,
        input: { identityKind: v.identityKind, identityNumber: v.identityNumber.trim() },
      });
    } catch (e) {
      if (e instanceof ApiError && e.kind === 'conflict') throw new ApiError('invalid', t('personDetails.duplicate'));
      throw e;
    }
  });
  const kinds: IdentityKind[] = ['PERSONNUMMER', 'SAMORDNINGSNUMMER', 'RESERVE_NUMBER'];
  return (
    <form onSubmit={save} noValidate>
      <p>{t('personDetails.reidentifyIntro')}</p>
      <Field label={t('personDetails.newKind')} error={errorOf('identityKind')}>
        <select {...form.register('identityKind')}>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {label('IdentityKind', k)}
            </option>
          ))}
        </select>
      </Field>
      <Field
        label={t('personDetails.newNumber')}
        hint={t('registerPerson.identityNumberHint')}
        error={errorOf('identityNumber')}
      >
        <input autoComplete="off" inputMode="numeric" {...form.register('identityNumber', { required: 'required' })} />
      </Field>
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} saveLabel={t('personDetails.saveIdentity')} onCancel={onDone} />
    </form>
  );
}

const PROTECTION_LEVELS: ProtectedIdentity[] = [
  'NONE',
  'SEKRETESSMARKERING',
  'SKYDDAD_FOLKBOKFORING',
  'FINGERADE_PERSONUPPGIFTER',
];
/** The API's shortest reason for a change of protection level (MIN_PROTECTION_REASON_LENGTH); the API holds the rule. */
const MIN_PROTECTION_REASON = 10;

/**
 * The person's protection level and what it means for staff. The change is offered to staff authorised for
 * protected whereabouts; whether they may change it for this person (their own relation to the person) is
 * the API's decision, and its refusal is shown in the dialog.
 */
function ProtectionCard({ person }: { person: Person }) {
  const { t, label } = useI18n();
  const { staff } = useSession();
  return (
    <section className="card" aria-labelledby="details-protection">
      <h2 id="details-protection">{t('protection.title')}</h2>
      <dl className="facts">
        <dt>{t('protection.level')}</dt>
        <dd data-testid="protection-level">{label('ProtectedIdentity', person.protectedIdentity)}</dd>
      </dl>
      <p className={person.protectedIdentity === 'NONE' ? undefined : 'notice notice-warning'}>
        {t(`protection.meaning.${person.protectedIdentity}`)}
      </p>
      {staff?.whereaboutsAuthorised ? (
        <div className="actions">
          <DialogButton label={t('protection.change')}>
            {(close) => <ProtectionForm person={person} onDone={close} />}
          </DialogButton>
        </div>
      ) : (
        <p className="hint">{t('protection.whoMayChange')}</p>
      )}
    </section>
  );
}

interface ProtectionValues {
  level: ProtectedIdentity | '';
  reason: string;
}

function ProtectionForm({ person, onDone }: { person: Person; onDone: () => void }) {
  const { t, label } = useI18n();
  const change = useMutation(SetProtectedIdentityDocument);
  const apiForm = useApiForm<ProtectionValues>({ defaultValues: { level: '', reason: '' }, onSaved: onDone });
  const { form, problem, submit } = apiForm;
  const errorOf = useFieldErrors(apiForm, (name) =>
    name === 'reason' ? t('protection.reasonTooShort', { min: MIN_PROTECTION_REASON }) : undefined,
  );
  const save = submit((v) =>
    change.runOrThrow({ input: { personId: person.id, level: v.level as ProtectedIdentity, reason: v.reason.trim() } }),
  );
  return (
    <form onSubmit={save} noValidate>
      <p>
        {t('protection.level')}: <strong>{label('ProtectedIdentity', person.protectedIdentity)}</strong>
      </p>
      <Field label={t('protection.newLevel')} error={errorOf('level')}>
        <select {...form.register('level', { required: 'required' })}>
          <option value="">{t('protection.choose')}</option>
          {PROTECTION_LEVELS.filter((l) => l !== person.protectedIdentity).map((l) => (
            <option key={l} value={l}>
              {label('ProtectedIdentity', l)}
            </option>
          ))}
        </select>
      </Field>
      <Field
        label={t('protection.reason')}
        hint={t('protection.reasonHint', { min: MIN_PROTECTION_REASON })}
        error={errorOf('reason')}
      >
        <textarea rows={3} {...form.register('reason', { required: 'required' })} />
      </Field>
      <p className="hint">{t('protection.logged')}</p>
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} saveLabel={t('protection.save')} onCancel={onDone} />
    </form>
  );
}

function ChildrenCard({ person, withheld }: { person: Person; withheld: boolean }) {
  const { t, label } = useI18n();
  if (withheld) {
    return (
      <section className="card" aria-labelledby="details-children">
        <h2 id="details-children">{t('personDetails.children')}</h2>
        <Withheld />
      </section>
    );
  }
  return (
    <section className="card" aria-labelledby="details-children">
      <h2 id="details-children">{t('personDetails.children')}</h2>
      <p>
        <strong>{t('personDetails.childrenQuestion')}:</strong> {label('ChildrenStatus', person.childrenStatus)}
      </p>
      {person.childrenStatus === 'YES' &&
        (person.children.length > 0 ? (
          <ul className="plain">
            {person.children.map((c, i) => (
              <li key={i}>
                {t('personDetails.child', { n: i + 1 })}: {c.birthYear} ({t('personDetails.age', { age: c.age })}),{' '}
                {c.livesWithPerson ? t('personDetails.livesWith') : t('personDetails.livesElsewhere')}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('personDetails.noChildren')}</p>
        ))}
      <h3>{t('personDetails.childImpactNote')}</h3>
      <p style={{ whiteSpace: 'pre-wrap' }}>{person.childImpactNote ?? t('personDetails.noNote')}</p>
      <div className="actions">
        <DialogButton label={t('personDetails.answerChildren')} wide>
          {(close) => <ChildrenForm person={person} onDone={close} />}
        </DialogButton>
      </div>
    </section>
  );
}

interface ChildrenValues {
  childrenStatus: ChildrenStatus;
  children: Array<{ birthYear: string; livesWithPerson: boolean }>;
  childImpactNote: string;
}

function ChildrenForm({ person, onDone }: { person: Person; onDone: () => void }) {
  const { t, label } = useI18n();
  const update = useMutation(UpdatePersonDocument);
  const apiForm = useApiForm<ChildrenValues>({
    defaultValues: {
      childrenStatus: person.childrenStatus,
      children: person.children.map((c) => ({ birthYear: String(c.birthYear), livesWithPerson: c.livesWithPerson })),
      childImpactNote: person.childImpactNote ?? '',
    },
    onSaved: onDone,
  });
  const { form, problem, submit } = apiForm;
  const children = useFieldArray({ control: form.control, name: 'children' });
  const status = form.watch('childrenStatus');
  const errorOf = useFieldErrors(apiForm, (name) =>
    name.endsWith('birthYear')
      ? t('personDetails.invalidYear')
      : name === 'children'
        ? t('personDetails.childrenOnlyWhenYes')
        : t('registerPerson.tooLong'),
  );
  const save = submit((v) =>
    update.runOrThrow({
      personId: person.id,
      input: {
        childrenStatus: v.childrenStatus,
        children:
          v.childrenStatus === 'YES'
            ? v.children.map((c) => ({ birthYear: Number(c.birthYear), livesWithPerson: c.livesWithPerson }))
            : [],
        childImpactNote: v.childImpactNote.trim() || null,
      },
    }),
  );
  return (
    <form onSubmit={save} noValidate>
      <fieldset>
        <legend>{t('personDetails.childrenStatus')}</legend>
        {(['YES', 'NONE', 'UNKNOWN'] as const).map((s) => (
          <label key={s} className="choice">
            <input type="radio" value={s} {...form.register('childrenStatus')} />
            {label('ChildrenStatus', s)}
          </label>
        ))}
      </fieldset>
      {status === 'YES' && (
        <fieldset className="group">
          <legend>{t('personDetails.children')}</legend>
          {children.fields.map((field, i) => (
            <div key={field.id} className="row item">
              <Field
                label={`${t('personDetails.child', { n: i + 1 })}: ${t('personDetails.childBirthYear')}`}
                error={errorOf(`children.${i}.birthYear`)}
              >
                <input
                  inputMode="numeric"
                  autoComplete="off"
                  {...form.register(`children.${i}.birthYear`, { required: 'required' })}
                />
              </Field>
              <label className="choice">
                <input type="checkbox" {...form.register(`children.${i}.livesWithPerson`)} />
                {t('personDetails.livesWithPerson')}
              </label>
              <button type="button" className="button secondary small" onClick={() => children.remove(i)}>
                {t('personDetails.removeChild', { n: i + 1 })}
              </button>
            </div>
          ))}
          <button
            type="button"
            className="button secondary"
            onClick={() => children.append({ birthYear: '', livesWithPerson: false })}
          >
            {t('personDetails.addChild')}
          </button>
        </fieldset>
      )}
      <Field
        label={t('personDetails.childImpactNote')}
        hint={t('personDetails.childImpactHint')}
        error={errorOf('childImpactNote')}
      >
        <textarea rows={4} {...form.register('childImpactNote')} />
      </Field>
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} onCancel={onDone} />
    </form>
  );
}

function RelativesCard({ person, withheld }: { person: Person; withheld: boolean }) {
  const { t } = useI18n();
  if (withheld) {
    return (
      <section className="card" aria-labelledby="details-relatives">
        <h2 id="details-relatives">{t('personDetails.relatives')}</h2>
        <Withheld />
      </section>
    );
  }
  return (
    <section className="card" aria-labelledby="details-relatives">
      <h2 id="details-relatives">{t('personDetails.relatives')}</h2>
      {person.relatives.length === 0 ? (
        <p>{t('personDetails.noRelatives')}</p>
      ) : (
        <ul className="plain">
          {person.relatives.map((r) => (
            <li key={r.id}>
              <strong>{r.name}</strong> ({r.relation}){r.phone ? `, ${r.phone}` : ''},{' '}
              {r.mayParticipate ? t('personDetails.mayTakePart') : t('personDetails.mayNotTakePart')}
              {r.supportNeeds && (
                <>
                  <br />
                  {t('personDetails.supportNeeds')}: {r.supportNeeds}
                </>
              )}
              <div className="actions">
                <DialogButton
                  label={t('personDetails.editRelativeTitle', { name: r.name })}
                  className="button secondary small"
                >
                  {(close) => <RelativeForm personId={person.id} relative={r} onDone={close} />}
                </DialogButton>
                <DialogButton
                  label={t('personDetails.endRelativeTitle', { name: r.name })}
                  className="button secondary small"
                >
                  {(close) => <EndRelativeForm relative={r} onDone={close} />}
                </DialogButton>
              </div>
            </li>
          ))}
        </ul>
      )}
      <div className="actions">
        <DialogButton label={t('personDetails.addRelative')}>
          {(close) => <RelativeForm personId={person.id} onDone={close} />}
        </DialogButton>
      </div>
    </section>
  );
}

interface RelativeValues {
  name: string;
  relation: string;
  phone: string;
  mayParticipate: boolean;
  supportNeeds: string;
}

function RelativeForm({ personId, relative, onDone }: { personId: string; relative?: Relative; onDone: () => void }) {
  const { t } = useI18n();
  const add = useMutation(AddRelativeDocument);
  const update = useMutation(UpdateRelativeDocument);
  const apiForm = useApiForm<RelativeValues>({
    defaultValues: {
      name: relative?.name ?? '',
      relation: relative?.relation ?? '',
      phone: relative?.phone ?? '',
      mayParticipate: relative?.mayParticipate ?? false,
      supportNeeds: relative?.supportNeeds ?? '',
    },
    onSaved: onDone,
  });
  const { form, problem, submit } = apiForm;
  const errorOf = useFieldErrors(apiForm, (name) =>
    name === 'phone'
      ? t('registerPerson.invalidPhone')
      : name === 'supportNeeds'
        ? t('registerPerson.tooLong')
        : t('personDetails.required'),
  );
  const save = submit((v) => {
    const input = {
      name: v.name.trim(),
      relation: v.relation.trim(),
      phone: v.phone.trim() || null,
      mayParticipate: v.mayParticipate,
      supportNeeds: v.supportNeeds.trim() || null,
    };
    return relative ? update.runOrThrow({ relativeId: relative.id, input }) : add.runOrThrow({ personId, input });
  });
  return (
    <form onSubmit={save} noValidate>
      <div className="row">
        <Field label={t('personDetails.relativeName')} error={errorOf('name')}>
          <input autoComplete="off" {...form.register('name', { required: 'required' })} />
        </Field>
        <Field label={t('personDetails.relation')} hint={t('personDetails.relationHint')} error={errorOf('relation')}>
          <input autoComplete="off" {...form.register('relation', { required: 'required' })} />
        </Field>
      </div>
      <Field label={t('personDetails.relativePhone')} error={errorOf('phone')}>
        <input type="tel" autoComplete="off" {...form.register('phone')} />
      </Field>
      <p className="hint" id={`${personId}-participate-hint`}>
        {t('personDetails.mayParticipateHint')}
      </p>
      <label className="choice">
        <input type="checkbox" aria-describedby={`${personId}-participate-hint`} {...form.register('mayParticipate')} />
        {t('personDetails.mayParticipate')}
      </label>
      <Field label={t('personDetails.supportNeeds')} error={errorOf('supportNeeds')}>
        <textarea rows={3} {...form.register('supportNeeds')} />
      </Field>
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} onCancel={onDone} />
    </form>
  );
}

/** Ends a relative today: there is no date to give, the server dates it. */
function EndRelativeForm({ relative, onDone }: { relative: Relative; onDone: () => void }) {
  const { t } = useI18n();
  const end = useMutation(EndRelativeDocument);
  const { form, problem, submit } = useApiForm<Record<string, never>>({ onSaved: onDone });
  const save = submit(() => end.runOrThrow({ relativeId: relative.id }));
  return (
    <form onSubmit={save} noValidate>
      <p>{t('personDetails.endRelativeText')}</p>
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} saveLabel={t('personDetails.confirmEnd')} onCancel={onDone} />
    </form>
  );
}

function HousingCard({ person }: { person: Person }) {
  const { t, label, date } = useI18n();
  const { staff } = useSession();
  const isProtected = person.protectedIdentity !== 'NONE';
  const current = person.currentHousing;
  return (
    <section className="card" aria-labelledby="details-housing">
      <h2 id="details-housing">{t('personDetails.housing')}</h2>
      <h3>{t('personDetails.currentHousing')}</h3>
      {current ? (
        <p>
          <strong>{label('HousingKind', current.kind)}</strong>{' '}
          {t('personDetails.since', { date: date(current.startedOn) })}
          {current.address && `, ${current.address}`}
        </p>
      ) : (
        <p>{t('personDetails.noHousing')}</p>
      )}
      {/* Staff authorised for protected whereabouts are shown the address (the API decides): told so, not that it is hidden. */}
      {isProtected && (
        <p className="hint">
          {staff?.whereaboutsAuthorised ? t('personDetails.addressShownToYou') : t('personDetails.addressHidden')}
        </p>
      )}
      {person.housingHistory.length > 1 && (
        <ul className="plain">
          {person.housingHistory
            .filter((h) => h.id !== current?.id)
            .map((h) => (
              <li key={h.id}>
                {label('HousingKind', h.kind)}:{' '}
                {t('personDetails.period', { from: date(h.startedOn), to: date(h.endedOn) })}
                {h.address && `, ${h.address}`}
              </li>
            ))}
        </ul>
      )}
      <div className="actions">
        <DialogButton label={t('personDetails.recordMove')}>
          {(close) => <MoveForm personId={person.id} onDone={close} />}
        </DialogButton>
      </div>
    </section>
  );
}

interface MoveValues {
  kind: HousingKind;
  startedOn: string;
  address: string;
  note: string;
}

function MoveForm({ personId, onDone }: { personId: string; onDone: () => void }) {
  const { t, label } = useI18n();
  const move = useMutation(RecordMoveDocument);
  const apiForm = useApiForm<MoveValues>({
    defaultValues: { kind: 'EMERGENCY_SHELTER', startedOn: localDate(), address: '', note: '' },
    onSaved: onDone,
  });
  const { form, problem, submit } = apiForm;
  const errorOf = useFieldErrors(apiForm, (name) =>
    name === 'startedOn' ? t('personDetails.invalidDate') : t('registerPerson.tooLong'),
  );
  const save = submit((v) =>
    move.runOrThrow({
      input: {
        personId,
        kind: v.kind,
        startedOn: v.startedOn,
        address: v.address.trim() || null,
        note: v.note.trim() || null,
      },
    }),
  );
  return (
    <form onSubmit={save} noValidate>
      <div className="row">
        <Field label={t('personDetails.housingKind')} error={errorOf('kind')}>
          <select {...form.register('kind')}>
            {HOUSING_KINDS.map((k) => (
              <option key={k} value={k}>
                {label('HousingKind', k)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('personDetails.startedOn')} error={errorOf('startedOn')}>
          <input type="date" {...form.register('startedOn', { required: 'required' })} />
        </Field>
      </div>
      <Field label={t('personDetails.address')} error={errorOf('address')}>
        <input autoComplete="off" {...form.register('address')} />
      </Field>
      <Field label={t('personDetails.note')} error={errorOf('note')}>
        <textarea rows={3} {...form.register('note')} />
      </Field>
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} saveLabel={t('personDetails.saveMove')} onCancel={onDone} />
    </form>
  );
}
