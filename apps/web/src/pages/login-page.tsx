import { useState, type FormEvent } from 'react';
import { AuthModeDocument, SignInDocument } from '../api/generated';
import { useMutation, useQuery } from '../api/hooks';
import { Field } from '../components/field';
import { LanguageSwitch } from '../components/layout';
import { ErrorMessage } from '../components/status';
import { useFocusFirstInvalid } from '../forms/api-form';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session';

/** The API's sign-in through the organisation's provider (AUTH_MODE=oidc); it comes back to / with a session cookie. */
const ORGANISATION_SIGN_IN = '/auth/login';

export function LoginPage() {
  const { t, fieldError } = useI18n();
  const { signIn, reason } = useSession();
  const mode = useQuery(AuthModeDocument, {});
  const login = useMutation(SignInDocument);
  const formRef = useFocusFirstInvalid(login.error);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  // The API sends a failed sign-in through the organisation back here with ?signin=failed.
  const providerFailed = new URLSearchParams(window.location.search).get('signin') === 'failed';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await login.run({ input: { username: username.trim(), password } });
    if (result) signIn(result.signIn.staff);
  };

  const wrongCredentials = login.error && login.error.kind !== 'connection' && !login.error.fields.length;
  return (
    <main id="main" className="login-page">
      <div className="login-card">
        <LanguageSwitch />
        <h1>{t('appName')}</h1>
        <p className="lead">{t('login.intro')}</p>
        {reason === 'expired' && (
          <p className="status" role="status">
            {t('login.expired')}
          </p>
        )}
        {reason === 'signedOut' && (
          <p className="status" role="status">
            {t('login.signedOut')}
          </p>
        )}
        {mode.error && <ErrorMessage error={mode.error} />}
        {mode.data?.authMode === 'OIDC' && (
          <>
            <h2>{t('login.title')}</h2>
            {providerFailed && (
              <p className="status status-error" role="alert">
                {t('login.organisationFailed')}
              </p>
            )}
            <a className="button primary" href={ORGANISATION_SIGN_IN}>
              {t('login.withOrganisation')}
            </a>
          </>
        )}
        {mode.data?.authMode === 'LOCAL' && (
          <form ref={formRef} onSubmit={submit} noValidate>
            <h2>{t('login.title')}</h2>
            <Field label={t('login.username')} error={fieldError(login.error, 'username')}>
              <input
                name="username"
                autoComplete="username"
                value={username}
                onChange={(e) => setUsername(e.target.value)}
                required
              />
            </Field>
            <Field label={t('login.password')} error={fieldError(login.error, 'password')}>
              <input
                name="password"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                required
              />
            </Field>
            {wrongCredentials && (
              <p className="status status-error" role="alert">
                {t('login.failed')}
              </p>
            )}
            {login.error?.kind === 'connection' && <ErrorMessage error={login.error} />}
            <button type="submit" className="button primary" disabled={login.busy}>
              {login.busy ? t('login.busy') : t('login.submit')}
            </button>
          </form>
        )}
      </div>
    </main>
  );
}
