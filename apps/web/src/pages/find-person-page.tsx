// Find a person before registering: by identity number, temporary reference, or name and birth year.
// The API answers only persons the user may already see; a full identity number held by someone the user
// may not see answers "known: ask for access" (logged against the person and told to their coordinator).
import { useState } from 'react';
import { FindPersonsDocument, type FindPersonInput, type FindPersonsQuery } from '../api/generated';
import { useApi } from '../api/hooks';
import { Field } from '../components/field';
import { Layout } from '../components/layout';
import { FormButtons, FormProblem, useApiForm } from '../forms/api-form';
import { useFieldErrors } from '../forms/field-fallback';
import { useI18n } from '../i18n/i18n';
import { Link, useSearchParams } from '../router';

export type SearchMode = 'number' | 'reference' | 'name';

interface SearchForm {
  mode: SearchMode;
  identityNumber: string;
  temporaryReference: string;
  givenName: string;
  familyName: string;
  birthYear: string;
}

/** Exactly one key, as the API takes it. */
function toInput(values: SearchForm): FindPersonInput {
  if (values.mode === 'number') return { identityNumber: values.identityNumber.trim() };
  if (values.mode === 'reference') return { temporaryReference: values.temporaryReference.trim() };
  return {
    givenName: values.givenName.trim(),
    familyName: values.familyName.trim(),
    birthYear: Number(values.birthYear),
  };
}

/** What the registration form starts from: what was searched. */
export function registrationLink(values: SearchForm): string {
  const params = new URLSearchParams();
  if (values.mode === 'number' && values.identityNumber.trim())
    params.set('identityNumber', values.identityNumber.trim());
  if (values.mode === 'name') {
    for (const key of ['givenName', 'familyName', 'birthYear'] as const)
      if (values[key].trim()) params.set(key, values[key].trim());
  }
  const query = params.toString();
  return `/persons/new${query ? `?${query}` : ''}`;
}

export function FindPersonPage() {
  const { t } = useI18n();
  const api = useApi();
  const [params] = useSearchParams();
  const initialMode = (['number', 'reference', 'name'] as const).find((m) => m === params.get('by')) ?? 'number';
  const apiForm = useApiForm<SearchForm>({
    unguarded: true,
    defaultValues: {
      mode: initialMode,
      identityNumber: '',
      temporaryReference: '',
      givenName: '',
      familyName: '',
      birthYear: '',
    },
  });
  const { form, problem, submit } = apiForm;
  const errorOf = useFieldErrors(apiForm, (name) =>
    name === 'identityNumber'
      ? t('findPerson.invalidNumber')
      : name === 'birthYear'
        ? t('findPerson.invalidYear')
        : undefined,
  );
  const [result, setResult] = useState<{ answer: FindPersonsQuery['findPersons']; searched: SearchForm } | null>(null);
  const mode = form.watch('mode');

  const search = submit(async (values) => {
    setResult(null);
    const data = await api.request(FindPersonsDocument, { input: toInput(values) });
    setResult({ answer: data.findPersons, searched: values });
  });

  return (
    <Layout title={t('findPerson.title')}>
      <p>{t('findPerson.intro')}</p>
      <form className="card" onSubmit={search} noValidate aria-label={t('findPerson.title')}>
        <fieldset style={{ marginBottom: '0.9rem' }}>
          <legend>{t('findPerson.by')}</legend>
          {(['number', 'reference', 'name'] as const).map((m) => (
            <label key={m} className="choice">
              <input type="radio" value={m} {...form.register('mode', { onChange: () => setResult(null) })} />
              {t(
                m === 'number'
                  ? 'findPerson.byNumber'
                  : m === 'reference'
                    ? 'findPerson.byReference'
                    : 'findPerson.byName',
              )}
            </label>
          ))}
        </fieldset>
        {mode === 'number' && (
          <Field
            label={t('findPerson.identityNumber')}
            hint={t('findPerson.identityNumberHint')}
            error={errorOf('identityNumber')}
          >
            <input
              autoComplete="off"
              inputMode="numeric"
              {...form.register('identityNumber', { required: 'required' })}
            />
          </Field>
        )}
        {mode === 'reference' && (
          <Field
            label={t('findPerson.temporaryReference')}
            hint={t('findPerson.referenceHint')}
            error={errorOf('temporaryReference')}
          >
            <input autoComplete="off" {...form.register('temporaryReference', { required: 'required' })} />
          </Field>
        )}
        {mode === 'name' && (
          <>
            <p className="hint">{t('findPerson.nameHint')}</p>
            <div className="row">
              <Field label={t('findPerson.givenName')} error={errorOf('givenName')}>
                <input autoComplete="off" {...form.register('givenName', { required: 'required' })} />
              </Field>
              <Field label={t('findPerson.familyName')} error={errorOf('familyName')}>
                <input autoComplete="off" {...form.register('familyName', { required: 'required' })} />
              </Field>
              <Field label={t('findPerson.birthYear')} error={errorOf('birthYear')}>
                <input
                  inputMode="numeric"
                  autoComplete="off"
                  {...form.register('birthYear', { required: 'required' })}
                />
              </Field>
            </div>
          </>
        )}
        <FormProblem problem={problem} />
        <FormButtons busy={form.formState.isSubmitting} saveLabel={t('findPerson.search')} />
      </form>
      {result && <SearchResult answer={result.answer} searched={result.searched} />}
    </Layout>
  );
}

function SearchResult({ answer, searched }: { answer: FindPersonsQuery['findPersons']; searched: SearchForm }) {
  const { t } = useI18n();
  return (
    <section className="card" style={{ marginTop: '1.25rem' }} aria-labelledby="results-heading" aria-live="polite">
      <h2 id="results-heading">{t('findPerson.results')}</h2>
      {answer.registeredElsewhere && (
        <div className="notice notice-warning" role="alert">
          <p>
            <strong>{t('findPerson.registeredElsewhere')}</strong>
          </p>
          <p>{t('findPerson.registeredElsewhereText')}</p>
        </div>
      )}
      {answer.persons.length > 0 ? (
        <ul className="plain">
          {answer.persons.map((p) => (
            <li key={p.id}>
              <Link to={`/persons/${p.id}`}>
                {p.givenName} {p.familyName}
                {p.birthYear ? ` (${p.birthYear})` : ''}
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        !answer.registeredElsewhere && (
          <>
            <p>{t('findPerson.nothing')}</p>
            {searched.mode !== 'number' && <p className="hint">{t('findPerson.nothingByName')}</p>}
            <p>
              <Link to={registrationLink(searched)} className="button">
                {t('findPerson.register')}
              </Link>
            </p>
            <p className="hint">{t('findPerson.registerHint')}</p>
          </>
        )
      )}
    </section>
  );
}
