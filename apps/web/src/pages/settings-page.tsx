import { useState, type FormEvent } from 'react';
import {
  MyNotificationPreferencesDocument,
  SetNotificationPreferencesDocument,
  type MyNotificationPreferencesQuery,
} from '../api/generated';
import { useMutation, useQuery } from '../api/hooks';
import { Field } from '../components/field';
import { Layout } from '../components/layout';
import { ErrorMessage, QueryView } from '../components/status';
import { useFocusFirstInvalid } from '../forms/api-form';
import { useI18n } from '../i18n/i18n';

type Preferences = MyNotificationPreferencesQuery['myNotificationPreferences'];

/** My own notification settings: e-mail, SMS, their language, and quiet hours. */
export function SettingsPage() {
  const { t } = useI18n();
  const query = useQuery(MyNotificationPreferencesDocument, {});
  return (
    <Layout title={t('settings.title')}>
      <QueryView state={query}>{(data) => <PreferencesForm initial={data.myNotificationPreferences} />}</QueryView>
    </Layout>
  );
}

function PreferencesForm({ initial }: { initial: Preferences }) {
  const { t, fieldError } = useI18n();
  const save = useMutation(SetNotificationPreferencesDocument);
  const formRef = useFocusFirstInvalid(save.error);
  const [prefs, setPrefs] = useState(initial);
  const [saved, setSaved] = useState(false);
  const set = (change: Partial<Preferences>) => {
    setPrefs((p) => ({ ...p, ...change }));
    setSaved(false);
  };
  const at = (field: string) => fieldError(save.error, field);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await save.run({
      input: {
        email: prefs.email,
        sms: prefs.sms,
        locale: prefs.locale,
        quietFrom: prefs.quietFrom || null,
        quietTo: prefs.quietTo || null,
      },
    });
    if (result) {
      setPrefs(result.setNotificationPreferences);
      setSaved(true);
    }
  };
  return (
    <section className="card">
      <p>{t('settings.intro')}</p>
      <form ref={formRef} onSubmit={submit} noValidate>
        <fieldset className="group">
          <legend>{t('settings.channels')}</legend>
          <label className="choice">
            <input
              type="checkbox"
              name="email"
              checked={prefs.email}
              onChange={(e) => set({ email: e.target.checked })}
            />{' '}
            {t('settings.email')}
          </label>
          <label className="choice">
            <input type="checkbox" name="sms" checked={prefs.sms} onChange={(e) => set({ sms: e.target.checked })} />{' '}
            {t('settings.sms')}
          </label>
        </fieldset>
        <Field label={t('settings.locale')} error={at('locale')}>
          <select name="locale" value={prefs.locale} onChange={(e) => set({ locale: e.target.value })}>
            <option value="sv" lang="sv">
              Svenska
            </option>
            <option value="en" lang="en">
              English
            </option>
          </select>
        </Field>
        <fieldset className="group">
          <legend>{t('settings.quiet')}</legend>
          <p className="hint">{t('settings.quietHint')}</p>
          <div className="row">
            <Field label={t('settings.quietFrom')} error={at('quietFrom')}>
              <input
                name="quietFrom"
                type="time"
                value={prefs.quietFrom ?? ''}
                onChange={(e) => set({ quietFrom: e.target.value || null })}
              />
            </Field>
            <Field label={t('settings.quietTo')} error={at('quietTo')}>
              <input
                name="quietTo"
                type="time"
                value={prefs.quietTo ?? ''}
                onChange={(e) => set({ quietTo: e.target.value || null })}
              />
            </Field>
          </div>
        </fieldset>
        {save.error && save.error.fields.length === 0 && <ErrorMessage error={save.error} />}
        {saved && (
          <p className="status status-ok" role="status">
            {t('status.saved')}
          </p>
        )}
        <button type="submit" className="button primary" disabled={save.busy}>
          {t('settings.save')}
        </button>
      </form>
    </section>
  );
}
