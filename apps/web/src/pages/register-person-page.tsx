// Register a person, every kind of identity. The rules (a personnummer or samordningsnummer decides legal
// gender and birth year; a person without one needs both stated; a number already held is refused and the
// refusal told to the holder's coordinator) are the API's: this form only shows its answers.
import { useEffect, useState } from 'react';
import { ApiError } from '../api/client';
import {
  RegisterPersonDocument,
  type ContactChannel,
  type IdentityKind,
  type LegalGender,
  type PersonLanguage,
  type ProtectedIdentity,
} from '../api/generated';
import { useMutation } from '../api/hooks';
import { Field } from '../components/field';
import { Layout } from '../components/layout';
import { FormButtons, FormProblem, useApiForm } from '../forms/api-form';
import { useFieldErrors } from '../forms/field-fallback';
import { useI18n } from '../i18n/i18n';
import { useRouter, useSearchParams } from '../router';

export const IDENTITY_KINDS: IdentityKind[] = ['PERSONNUMMER', 'SAMORDNINGSNUMMER', 'RESERVE_NUMBER', 'UNIDENTIFIED'];
const CHANNELS: ContactChannel[] = ['VIA_STAFF', 'PHONE', 'SMS', 'LETTER', 'EMAIL'];
/** The languages messages to a person can be written in (PersonLanguage), Swedish first. */
export const PERSON_LANGUAGES: PersonLanguage[] = ['SV', 'EN'];
const PROTECTION: ProtectedIdentity[] = [
  'NONE',
  'SEKRETESSMARKERING',
  'SKYDDAD_FOLKBOKFORING',
  'FINGERADE_PERSONUPPGIFTER',
];

interface RegisterForm {
  identityKind: IdentityKind;
  identityNumber: string;
  givenName: string;
  familyName: string;
  birthYear: string;
  legalGender: LegalGender | '';
  roleInGroup: string;
  phone: string;
  preferredContactChannel: ContactChannel;
  preferredLanguage: PersonLanguage;
  protectedIdentity: ProtectedIdentity;
}

/** A personnummer or samordningsnummer carries birth date and legal gender. */
export const numberDecides = (kind: IdentityKind) => kind === 'PERSONNUMMER' || kind === 'SAMORDNINGSNUMMER';

/** A 12-digit number is a personnummer unless its day is over 60 (a samordningsnummer). */
function kindOfNumber(number: string): IdentityKind {
  const digits = number.replace(/\D/g, '');
  const day = Number(digits.length === 12 ? digits.slice(6, 8) : digits.slice(4, 6));
  return day > 60 ? 'SAMORDNINGSNUMMER' : 'PERSONNUMMER';
}

export function RegisterPersonPage() {
  const { t, label } = useI18n();
  const { navigate } = useRouter();
  const [params] = useSearchParams();
  const searchedNumber = params.get('identityNumber') ?? '';
  const register = useMutation(RegisterPersonDocument);
  const apiForm = useApiForm<RegisterForm>({
    defaultValues: {
      identityKind: searchedNumber ? kindOfNumber(searchedNumber) : 'UNIDENTIFIED',
      identityNumber: searchedNumber,
      givenName: params.get('givenName') ?? '',
      familyName: params.get('familyName') ?? '',
      birthYear: params.get('birthYear') ?? '',
      legalGender: '',
      roleInGroup: '',
      phone: '',
      preferredContactChannel: 'VIA_STAFF',
      preferredLanguage: 'SV',
      protectedIdentity: 'NONE',
    },
  });
  const { form, problem, submit } = apiForm;
  const kind = form.watch('identityKind');
  const [created, setCreated] = useState<string | null>(null);
  const dirty = form.formState.isDirty;
  // Once saved (and so no longer guarded as unsaved), on to the new person's details.
  useEffect(() => {
    if (created && !dirty) navigate(`/persons/${created}/details`);
  }, [created, dirty]);
  const decides = numberDecides(kind);
  const errorOf = useFieldErrors(apiForm, (name) => {
    if (name === 'identityNumber') return t('registerPerson.invalidNumber');
    if (name === 'legalGender')
      return decides ? t('registerPerson.genderContradicts') : t('registerPerson.genderMissing');
    if (name === 'birthYear') return t('registerPerson.yearMissing');
    if (name === 'phone') return t('registerPerson.invalidPhone');
    return t('registerPerson.tooLong');
  });

  const save = submit(async (values) => {
    const year = values.birthYear.trim();
    try {
      const person = await register.runOrThrow({
        input: {
          identityKind: values.identityKind,
          identityNumber: values.identityKind === 'UNIDENTIFIED' ? null : values.identityNumber.trim(),
          givenName: values.givenName.trim(),
          familyName: values.familyName.trim(),
          birthYear: decides || year === '' ? null : Number(year),
          legalGender: values.legalGender || null,
          roleInGroup: values.roleInGroup.trim(),
          phone: values.phone.trim() || null,
          preferredContactChannel: values.preferredContactChannel,
          preferredLanguage: values.preferredLanguage,
          protectedIdentity: values.protectedIdentity,
        },
      });
      setCreated(person.registerPerson.id);
    } catch (e) {
      // The number is held: the API says only that, and has told the holder's coordinator.
      if (e instanceof ApiError && e.kind === 'conflict') throw new ApiError('invalid', t('registerPerson.duplicate'));
      throw e;
    }
  });

  return (
    <Layout title={t('registerPerson.title')}>
      <p>{t('registerPerson.intro')}</p>
      <form className="card" onSubmit={save} noValidate aria-label={t('registerPerson.title')}>
        <div className="row">
          <Field label={t('registerPerson.identityKind')} error={errorOf('identityKind')}>
            <select {...form.register('identityKind')}>
              {IDENTITY_KINDS.map((k) => (
                <option key={k} value={k}>
                  {label('IdentityKind', k)}
                </option>
              ))}
            </select>
          </Field>
          {kind !== 'UNIDENTIFIED' && (
            <Field
              label={t('registerPerson.identityNumber')}
              hint={t('registerPerson.identityNumberHint')}
              error={errorOf('identityNumber')}
            >
              <input
                autoComplete="off"
                inputMode="numeric"
                {...form.register('identityNumber', { required: 'required' })}
              />
            </Field>
          )}
        </div>
        <div className="row">
          <Field label={t('registerPerson.givenName')} error={errorOf('givenName')}>
            <input autoComplete="off" {...form.register('givenName', { required: 'required' })} />
          </Field>
          <Field label={t('registerPerson.familyName')} error={errorOf('familyName')}>
            <input autoComplete="off" {...form.register('familyName', { required: 'required' })} />
          </Field>
        </div>
        <div className="row">
          {!decides && (
            <Field
              label={t('registerPerson.birthYear')}
              hint={t('registerPerson.birthYearHint')}
              error={errorOf('birthYear')}
            >
              <input autoComplete="off" inputMode="numeric" {...form.register('birthYear')} />
            </Field>
          )}
          <Field
            label={t('registerPerson.legalGender')}
            hint={decides ? t('registerPerson.legalGenderFromNumber') : t('registerPerson.legalGenderRequired')}
            error={errorOf('legalGender')}
          >
            <select {...form.register('legalGender')}>
              <option value="">{decides ? t('registerPerson.fromNumber') : t('registerPerson.notStated')}</option>
              {(['FEMALE', 'MALE'] as const).map((g) => (
                <option key={g} value={g}>
                  {label('LegalGender', g)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <Field
          label={t('registerPerson.roleInGroup')}
          hint={t('registerPerson.roleHint')}
          error={errorOf('roleInGroup')}
        >
          <input autoComplete="off" {...form.register('roleInGroup', { required: 'required' })} />
        </Field>
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
          <Field label={t('registerPerson.protectedIdentity')} error={errorOf('protectedIdentity')}>
            <select {...form.register('protectedIdentity')}>
              {PROTECTION.map((p) => (
                <option key={p} value={p}>
                  {label('ProtectedIdentity', p)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <FormProblem problem={problem} />
        <FormButtons
          busy={form.formState.isSubmitting}
          saveLabel={t('registerPerson.submit')}
          onCancel={() => navigate('/find')}
        />
      </form>
    </Layout>
  );
}
