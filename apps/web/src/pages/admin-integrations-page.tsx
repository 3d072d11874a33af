// Integration clients (service accounts with an API key) and deliveries that failed, for the administrator.
// A new client's key is shown once, here, and never again (only its hash is kept); revoking a client
// deactivates its service account, so the key is refused from the next request on.
import { useRef, useState } from 'react';
import {
  AdminOrganisationsDocument,
  AdminStaffPickerDocument,
  CreateIntegrationClientDocument,
  FailedDeliveriesDocument,
  RetryFailedDeliveryDocument,
  RotateIntegrationClientKeyDocument,
  SetStaffActiveDocument,
  type IntegrationScope,
} from '../api/generated';
import { useMutation, useQuery } from '../api/hooks';
import { DialogButton } from '../components/dialog';
import { Field } from '../components/field';
import { ErrorMessage, QueryView } from '../components/status';
import { FormButtons, FormProblem, useApiForm } from '../forms/api-form';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session';
import { AdminOnly } from './admin-home-page';

const SCOPES: IntegrationScope[] = ['DIRECTORY_READ', 'DIRECTORY_WRITE', 'PERSON_READ', 'PERSON_WRITE', 'PLAN_READ', 'PLAN_WRITE', 'DECISIONS_READ'];

export function AdminIntegrationsPage() {
  const { t } = useI18n();
  const { staff } = useSession();
  const clients = useQuery(AdminStaffPickerDocument, {}, { skip: !staff?.administrator });
  const revoke = useMutation(SetStaffActiveDocument);
  const rotate = useMutation(RotateIntegrationClientKeyDocument);
  const [created, setCreated] = useState<{ name: string; apiKey: string } | null>(null);
  return (
    <AdminOnly title={t('admin.integrations.title')}>
      <p>{t('admin.integrations.intro')}</p>
      <div className="actions">
        <DialogButton label={t('admin.integrations.new')}>
          {(close) => (
            <ClientForm
              onCreated={(c) => {
                setCreated(c);
                close();
              }}
              onCancel={close}
            />
          )}
        </DialogButton>
      </div>
      {created && (
        <div className="notice notice-warning" role="status">
          <p>
            <strong>{t('admin.integrations.keyOnce', { name: created.name })}</strong>
          </p>
          <p className="secret" aria-label={t('admin.integrations.key')}>
            {created.apiKey}
          </p>
          <button type="button" className="button secondary small" onClick={() => setCreated(null)}>
            {t('admin.integrations.keySaved')}
          </button>
        </div>
      )}
      <QueryView state={clients}>
        {(data) => {
          const accounts = data.staffMembers.edges.map((e) => e.node).filter((s) => s.serviceAccount);
          return accounts.length === 0 ? (
            <p>{t('admin.integrations.none')}</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('admin.integrations.name')}</th>
                    <th scope="col">{t('admin.staff.organisation')}</th>
                    <th scope="col">{t('admin.staff.status')}</th>
                    <th scope="col">{t('admin.staff.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {accounts.map((c) => (
                    <tr key={c.id}>
                      <th scope="row">{c.givenName}</th>
                      <td>{c.organisation.name}</td>
                      <td>{c.active ? <span className="tag plan-active">{t('admin.staff.active')}</span> : <span className="tag tag-danger">{t('admin.integrations.revoked')}</span>}</td>
                      <td>
                        {c.active && (
                          <div className="row-actions">
                            <button
                              type="button"
                              className="button secondary small"
                              disabled={rotate.busy}
                              aria-label={t('admin.integrations.rotateName', { name: c.givenName })}
                              onClick={async () => {
                                if (!window.confirm(t('admin.integrations.rotateQuestion', { name: c.givenName }))) return;
                                const answer = await rotate.run({ staffId: c.id });
                                if (answer) setCreated({ name: answer.rotateIntegrationClientKey.staff.givenName, apiKey: answer.rotateIntegrationClientKey.apiKey });
                              }}
                            >
                              {t('admin.integrations.rotate')}
                            </button>
                            <button
                              type="button"
                              className="button secondary small"
                              disabled={revoke.busy}
                              aria-label={t('admin.integrations.revokeName', { name: c.givenName })}
                              onClick={() => window.confirm(t('admin.integrations.revokeQuestion', { name: c.givenName })) && void revoke.run({ input: { staffId: c.id, active: false } })}
                            >
                              {t('admin.integrations.revoke')}
                            </button>
                          </div>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      </QueryView>
      {revoke.error && <ErrorMessage error={revoke.error} />}
      {rotate.error && <ErrorMessage error={rotate.error} />}
    </AdminOnly>
  );
}

function ClientForm({ onCreated, onCancel }: { onCreated: (c: { name: string; apiKey: string }) => void; onCancel: () => void }) {
  const { t, label } = useI18n();
  const organisations = useQuery(AdminOrganisationsDocument, {});
  const create = useMutation(CreateIntegrationClientDocument);
  // The key goes to the page (shown once) only after the form is saved, so that closing asks nothing.
  const result = useRef<{ name: string; apiKey: string } | null>(null);
  const { form, problem, submit, errorOf } = useApiForm<{ name: string; organisationId: string; scopes: IntegrationScope[] }>({
    defaultValues: { name: '', organisationId: '', scopes: ['DIRECTORY_READ'] },
    onSaved: () => result.current && onCreated(result.current),
  });
  const save = submit(async (v) => {
    const answer = (await create.runOrThrow({ input: { name: v.name.trim(), organisationId: v.organisationId, scopes: v.scopes } })).createIntegrationClient;
    result.current = { name: answer.staff.givenName, apiKey: answer.apiKey };
  });
  return (
    <form onSubmit={save} noValidate>
      <Field label={t('admin.integrations.name')} hint={t('admin.integrations.nameHint')} error={errorOf('name')}>
        <input autoComplete="off" {...form.register('name', { required: 'required' })} />
      </Field>
      <Field label={t('admin.staff.organisation')} error={errorOf('organisationId')}>
        <select {...form.register('organisationId', { required: 'required' })}>
          <option value="">{t('admin.choose')}</option>
          {organisations.data?.organisations.edges.map(({ node: o }) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </Field>
      <fieldset>
        <legend>{t('admin.integrations.scopes')}</legend>
        {SCOPES.map((s) => (
          <label key={s} className="choice">
            <input type="checkbox" value={s} {...form.register('scopes')} /> {label('IntegrationScope', s)}
          </label>
        ))}
        {errorOf('scopes') && <p className="field-error">{errorOf('scopes')}</p>}
      </fieldset>
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} saveLabel={t('admin.staff.create')} onCancel={onCancel} />
    </form>
  );
}

export function AdminDeliveriesPage() {
  const { t, label, dateTime } = useI18n();
  const { staff } = useSession();
  const deliveries = useQuery(FailedDeliveriesDocument, {}, { skip: !staff?.administrator });
  const retry = useMutation(RetryFailedDeliveryDocument);
  return (
    <AdminOnly title={t('admin.deliveries.title')}>
      <p>{t('admin.deliveries.intro')}</p>
      {retry.error && <ErrorMessage error={retry.error} />}
      <QueryView state={deliveries}>
        {(data) =>
          data.failedDeliveries.length === 0 ? (
            <p>{t('admin.deliveries.none')}</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('admin.deliveries.failedAt')}</th>
                    <th scope="col">{t('admin.deliveries.channel')}</th>
                    <th scope="col">{t('admin.deliveries.rule')}</th>
                    <th scope="col">{t('admin.deliveries.attempts')}</th>
                    <th scope="col">{t('admin.deliveries.lastError')}</th>
                    <th scope="col">{t('admin.staff.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.failedDeliveries.map((d) => (
                    <tr key={d.id}>
                      <th scope="row">{dateTime(d.failedAt)}</th>
                      <td>{label('DeliveryChannel', d.channel)}</td>
                      <td>{label('NotificationKind', d.rule)}</td>
                      <td className="number">{d.attempts}</td>
                      {/* The mail or SMS service's own words, as it answered (usually English). */}
                      <td lang="en">{d.lastError ?? '–'}</td>
                      <td>
                        <button
                          type="button"
                          className="button secondary small"
                          disabled={retry.busy}
                          aria-label={t('admin.deliveries.retryName', { rule: label('NotificationKind', d.rule), time: dateTime(d.failedAt) })}
                          onClick={() => void retry.run({ id: d.id })}
                        >
                          {t('admin.deliveries.retry')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </QueryView>
    </AdminOnly>
  );
}
