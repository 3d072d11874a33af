// Integration clients (service accounts with an API key and OAuth client credentials) and deliveries that
// failed, for the administrator. A new client's key and a new client secret are shown once, here, and never
// again (only their hashes are kept); revoking a client deactivates its service account, so its key, secrets
// and access tokens are refused from the next request on.
import { Fragment, useRef, useState } from 'react';
import type { UseFormRegisterReturn } from 'react-hook-form';
import {
  AdminIntegrationClientsDocument,
  AdminOrganisationsDocument,
  AdminStaffPickerDocument,
  CreateIntegrationClientDocument,
  CreateIntegrationClientSecretDocument,
  FailedDeliveriesDocument,
  RegisterIntegrationClientKeyDocument,
  RemoveIntegrationClientKeyDocument,
  RetryFailedDeliveryDocument,
  RevokeIntegrationClientSecretDocument,
  RotateIntegrationClientKeyDocument,
  SetIntegrationClientScopesDocument,
  SetStaffActiveDocument,
  type AdminIntegrationClientsQuery,
  type IntegrationScope,
} from '../api/generated';
import { localDate } from '../lib/local-time';
import { useMutation, useQuery } from '../api/hooks';
import { DialogButton } from '../components/dialog';
import { Field } from '../components/field';
import { ErrorMessage, QueryView } from '../components/status';
import { FormButtons, FormProblem, useApiForm } from '../forms/api-form';
import { useI18n } from '../i18n/i18n';
import { useSession } from '../session';
import { AdminOnly } from './admin-home-page';

const SCOPES: IntegrationScope[] = [
  'DIRECTORY_READ',
  'DIRECTORY_WRITE',
  'PERSON_READ',
  'PERSON_WRITE',
  'PLAN_READ',
  'PLAN_WRITE',
  'DECISIONS_READ',
];

/** The scopes an administrator gives a client: one checkbox each, all one form field. */
function ScopeChoices({ field, error }: { field: UseFormRegisterReturn<'scopes'>; error: string | undefined }) {
  const { t } = useI18n();
  return (
    <fieldset>
      <legend>{t('admin.integrations.scopes')}</legend>
      {SCOPES.map((s) => (
        <label key={s} className="choice">
          <input type="checkbox" value={s} {...field} /> <ScopeName scope={s} />
        </label>
      ))}
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}

/** A scope in words, with the OAuth scope string a partner asks for ("person.read"), which is English and marked so. */
function ScopeName({ scope }: { scope: IntegrationScope }) {
  const { label } = useI18n();
  return (
    <>
      {label('IntegrationScope', scope)} (<code lang="en">{scope.toLowerCase().replace('_', '.')}</code>)
    </>
  );
}

export function AdminIntegrationsPage() {
  const { t } = useI18n();
  const { staff } = useSession();
  const clients = useQuery(AdminStaffPickerDocument, {}, { skip: !staff?.administrator });
  const revoke = useMutation(SetStaffActiveDocument);
  const rotate = useMutation(RotateIntegrationClientKeyDocument);
  const credentials = useQuery(AdminIntegrationClientsDocument, {}, { skip: !staff?.administrator });
  const [created, setCreated] = useState<{ name: string; apiKey?: string; secret?: string } | null>(null);
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
            <strong>
              {created.secret
                ? t('admin.integrations.secretOnce', { name: created.name })
                : t('admin.integrations.keyOnce', { name: created.name })}
            </strong>
          </p>
          <p
            className="secret"
            aria-label={created.secret ? t('admin.integrations.secret') : t('admin.integrations.key')}
          >
            {created.secret ?? created.apiKey}
          </p>
          <button type="button" className="button secondary small" onClick={() => setCreated(null)}>
            {t('admin.integrations.keySaved')}
          </button>
        </div>
      )}
      <QueryView state={clients}>
        {(data) => {
          const accounts = data.staffMembers.edges.map((e) => e.node).filter((s) => s.serviceAccount);
          const clientOf = new Map((credentials.data?.integrationClients ?? []).map((c) => [c.staffId, c]));
          return accounts.length === 0 ? (
            <p>{t('admin.integrations.none')}</p>
          ) : (
            <>
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('admin.integrations.name')}</th>
                      <th scope="col">{t('admin.integrations.clientId')}</th>
                      <th scope="col">{t('admin.staff.organisation')}</th>
                      <th scope="col">{t('admin.staff.status')}</th>
                      <th scope="col">{t('admin.staff.actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {accounts.map((c) => (
                      <tr key={c.id}>
                        <th scope="row">{c.givenName}</th>
                        <td>
                          <code>{clientOf.get(c.id)?.clientId ?? '–'}</code>
                        </td>
                        <td>{c.organisation.name}</td>
                        <td>
                          {c.active ? (
                            <span className="tag plan-active">{t('admin.staff.active')}</span>
                          ) : (
                            <span className="tag tag-danger">{t('admin.integrations.revoked')}</span>
                          )}
                        </td>
                        <td>
                          {c.active && (
                            <div className="row-actions">
                              <button
                                type="button"
                                className="button secondary small"
                                disabled={rotate.busy}
                                aria-label={t('admin.integrations.rotateName', { name: c.givenName })}
                                onClick={async () => {
                                  if (!window.confirm(t('admin.integrations.rotateQuestion', { name: c.givenName })))
                                    return;
                                  const answer = await rotate.run({ staffId: c.id });
                                  if (answer)
                                    setCreated({
                                      name: answer.rotateIntegrationClientKey.staff.givenName,
                                      apiKey: answer.rotateIntegrationClientKey.apiKey,
                                    });
                                }}
                              >
                                {t('admin.integrations.rotate')}
                              </button>
                              <button
                                type="button"
                                className="button secondary small"
                                disabled={revoke.busy}
                                aria-label={t('admin.integrations.revokeName', { name: c.givenName })}
                                onClick={() =>
                                  window.confirm(t('admin.integrations.revokeQuestion', { name: c.givenName })) &&
                                  void revoke.run({ input: { staffId: c.id, active: false } })
                                }
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
              {accounts
                .filter((c) => c.active && clientOf.has(c.id))
                .map((c) => (
                  <ClientCredentials
                    key={c.id}
                    name={c.givenName}
                    client={clientOf.get(c.id)!}
                    onSecret={(secret) => setCreated({ name: c.givenName, secret })}
                  />
                ))}
            </>
          );
        }}
      </QueryView>
      {revoke.error && <ErrorMessage error={revoke.error} />}
      {rotate.error && <ErrorMessage error={rotate.error} />}
    </AdminOnly>
  );
}

function ClientForm({
  onCreated,
  onCancel,
}: {
  onCreated: (c: { name: string; apiKey: string }) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const organisations = useQuery(AdminOrganisationsDocument, {});
  const create = useMutation(CreateIntegrationClientDocument);
  // The key goes to the page (shown once) only after the form is saved, so that closing asks nothing.
  const result = useRef<{ name: string; apiKey: string } | null>(null);
  const { form, problem, submit, errorOf } = useApiForm<{
    name: string;
    organisationId: string;
    scopes: IntegrationScope[];
  }>({
    defaultValues: { name: '', organisationId: '', scopes: ['DIRECTORY_READ'] },
    onSaved: () => result.current && onCreated(result.current),
  });
  const save = submit(async (v) => {
    const answer = (
      await create.runOrThrow({ input: { name: v.name.trim(), organisationId: v.organisationId, scopes: v.scopes } })
    ).createIntegrationClient;
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
      <ScopeChoices field={form.register('scopes')} error={errorOf('scopes')} />
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} saveLabel={t('admin.staff.create')} onCancel={onCancel} />
    </form>
  );
}

type ClientCredentialsData = AdminIntegrationClientsQuery['integrationClients'][number];

/**
 * One client's OAuth credentials: its client_id, scopes, secrets (each with an expiry; two in force during a
 * change-over; revoked at once) and public keys for private_key_jwt. A new secret goes to the page's notice,
 * shown once.
 */
function ClientCredentials({
  name,
  client,
  onSecret,
}: {
  name: string;
  client: ClientCredentialsData;
  onSecret: (secret: string) => void;
}) {
  const { t, date } = useI18n();
  const revokeSecret = useMutation(RevokeIntegrationClientSecretDocument);
  const removeKey = useMutation(RemoveIntegrationClientKeyDocument);
  const now = new Date().toISOString();
  const stateOf = (s: ClientCredentialsData['secrets'][number]) =>
    s.revokedAt
      ? t('admin.integrations.secretRevoked')
      : s.expiresAt <= now
        ? t('admin.integrations.secretExpired')
        : t('admin.integrations.secretInForce');
  return (
    <section className="card" aria-labelledby={`client-${client.staffId}`}>
      <h2 id={`client-${client.staffId}`}>{t('admin.integrations.credentialsOf', { name })}</h2>
      <p>
        {t('admin.integrations.clientId')}: <code>{client.clientId}</code>
      </p>
      <p>
        {t('admin.integrations.scopes')}:{' '}
        {client.scopes.map((s, i) => (
          <Fragment key={s}>
            {i > 0 && ', '}
            <ScopeName scope={s} />
          </Fragment>
        ))}
      </p>
      <div className="actions">
        <DialogButton label={t('admin.integrations.editScopes', { name })} title={t('admin.integrations.scopes')}>
          {(close) => <ScopesForm client={client} onDone={close} />}
        </DialogButton>
        <DialogButton
          label={t('admin.integrations.newSecret', { name })}
          title={t('admin.integrations.newSecretTitle')}
        >
          {(close) => (
            <SecretForm
              staffId={client.staffId}
              onCreated={(secret) => {
                onSecret(secret);
                close();
              }}
              onCancel={close}
            />
          )}
        </DialogButton>
        <DialogButton label={t('admin.integrations.newKey', { name })} title={t('admin.integrations.newKeyTitle')}>
          {(close) => <PublicKeyForm staffId={client.staffId} onDone={close} />}
        </DialogButton>
      </div>
      <h3>{t('admin.integrations.secrets')}</h3>
      {client.secrets.length === 0 ? (
        <p>{t('admin.integrations.noSecrets')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('admin.integrations.secretHint')}</th>
                <th scope="col">{t('admin.integrations.created')}</th>
                <th scope="col">{t('admin.integrations.expires')}</th>
                <th scope="col">{t('admin.staff.status')}</th>
                <th scope="col">{t('admin.staff.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {client.secrets.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    <code>{s.hint}…</code>
                  </th>
                  <td>{date(s.createdAt)}</td>
                  <td>{date(s.expiresAt)}</td>
                  <td>{stateOf(s)}</td>
                  <td>
                    {!s.revokedAt && s.expiresAt > now && (
                      <button
                        type="button"
                        className="button secondary small"
                        disabled={revokeSecret.busy}
                        aria-label={t('admin.integrations.revokeSecretName', { hint: s.hint })}
                        onClick={() =>
                          window.confirm(t('admin.integrations.revokeSecretQuestion', { hint: s.hint })) &&
                          void revokeSecret.run({ secretId: s.id })
                        }
                      >
                        {t('admin.integrations.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>{t('admin.integrations.publicKeys')}</h3>
      {client.publicKeys.length === 0 ? (
        <p>{t('admin.integrations.noPublicKeys')}</p>
      ) : (
        <ul>
          {client.publicKeys.map((k) => (
            <li key={k.kid}>
              <code>{k.kid}</code> ({k.kty}
              {k.alg ? `, ${k.alg}` : ''}){' '}
              <button
                type="button"
                className="button secondary small"
                disabled={removeKey.busy}
                aria-label={t('admin.integrations.removeKeyName', { kid: k.kid })}
                onClick={() =>
                  window.confirm(t('admin.integrations.removeKeyQuestion', { kid: k.kid })) &&
                  void removeKey.run({ input: { staffId: client.staffId, kid: k.kid } })
                }
              >
                {t('admin.integrations.removeKey')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {revokeSecret.error && <ErrorMessage error={revokeSecret.error} />}
      {removeKey.error && <ErrorMessage error={removeKey.error} />}
    </section>
  );
}

function ScopesForm({ client, onDone }: { client: ClientCredentialsData; onDone: () => void }) {
  const { t } = useI18n();
  const save = useMutation(SetIntegrationClientScopesDocument);
  const { form, problem, submit, errorOf } = useApiForm<{ scopes: IntegrationScope[] }>({
    defaultValues: { scopes: client.scopes },
    onSaved: onDone,
  });
  const send = submit((v) => save.runOrThrow({ input: { staffId: client.staffId, scopes: v.scopes } }));
  return (
    <form onSubmit={send} noValidate>
      <ScopeChoices field={form.register('scopes')} error={errorOf('scopes')} />
      <FormProblem problem={problem} />
      <FormButtons
        busy={form.formState.isSubmitting}
        saveLabel={t('admin.integrations.saveScopes')}
        onCancel={onDone}
      />
    </form>
  );
}

/** A new secret with its expiry date (the end of that day, Swedish time, is close enough: the API stores the moment). */
function SecretForm({
  staffId,
  onCreated,
  onCancel,
}: {
  staffId: string;
  onCreated: (secret: string) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const create = useMutation(CreateIntegrationClientSecretDocument);
  const result = useRef<string | null>(null);
  const { form, problem, submit, errorOf } = useApiForm<{ expiresOn: string }>({
    defaultValues: { expiresOn: '' },
    onSaved: () => result.current && onCreated(result.current),
  });
  const send = submit(async (v) => {
    const expiresAt = new Date(`${v.expiresOn}T23:59:59`).toISOString();
    result.current = (await create.runOrThrow({ input: { staffId, expiresAt } })).createIntegrationClientSecret.secret;
  });
  return (
    <form onSubmit={send} noValidate>
      <p>{t('admin.integrations.secretIntro')}</p>
      <Field
        label={t('admin.integrations.expiresOn')}
        hint={t('admin.integrations.expiresOnHint')}
        error={errorOf('expiresOn') ?? errorOf('expiresAt' as never)}
      >
        <input type="date" min={localDate()} {...form.register('expiresOn', { required: 'required' })} />
      </Field>
      <FormProblem problem={problem} />
      <FormButtons
        busy={form.formState.isSubmitting}
        saveLabel={t('admin.integrations.createSecret')}
        onCancel={onCancel}
      />
    </form>
  );
}

function PublicKeyForm({ staffId, onDone }: { staffId: string; onDone: () => void }) {
  const { t } = useI18n();
  const register = useMutation(RegisterIntegrationClientKeyDocument);
  const { form, problem, submit, errorOf } = useApiForm<{ jwk: string }>({
    defaultValues: { jwk: '' },
    onSaved: onDone,
  });
  const send = submit((v) => register.runOrThrow({ input: { staffId, jwk: v.jwk.trim() } }));
  return (
    <form onSubmit={send} noValidate>
      <Field label={t('admin.integrations.jwk')} hint={t('admin.integrations.jwkHint')} error={errorOf('jwk')}>
        <textarea rows={6} spellCheck={false} {...form.register('jwk', { required: 'required' })} />
      </Field>
      <FormProblem problem={problem} />
      <FormButtons
        busy={form.formState.isSubmitting}
        saveLabel={t('admin.integrations.registerKey')}
        onCancel={onDone}
      />
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
                          aria-label={t('admin.deliveries.retryName', {
                            rule: label('NotificationKind', d.rule),
                            time: dateTime(d.failedAt),
                          })}
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
