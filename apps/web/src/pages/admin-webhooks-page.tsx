// Integration clients' webhooks for administrators (all) and organisation administrators (their own
// organisation's clients): the subscriptions, and the latest deliveries with every attempt. Clients
// subscribe themselves through the API, or an administrator subscribes one here; an administrator may also
// give a subscription a new signing secret and switch one off. A signing secret is shown once, here.
import { useRef, useState } from 'react';
import {
  AdminStaffPickerDocument,
  AdminWebhooksDocument,
  CreateWebhookSubscriptionDocument,
  DisableWebhookSubscriptionDocument,
  RotateWebhookSecretDocument,
  type WebhookDeliveryStatus,
  type WebhookEventKind,
} from '../api/generated';
import { useMutation, useQuery } from '../api/hooks';
import { DialogButton } from '../components/dialog';
import { Field } from '../components/field';
import { ErrorMessage, QueryView } from '../components/status';
import { FormButtons, FormProblem, useApiForm } from '../forms/api-form';
import { useI18n } from '../i18n/i18n';
import { administers, useSession } from '../session';
import { AdminOnly } from './admin-home-page';

const STATUSES: WebhookDeliveryStatus[] = ['PENDING', 'DELIVERED', 'FAILED', 'STOPPED'];
const EVENT_KINDS: WebhookEventKind[] = [
  'PROPOSAL_OPENED',
  'PROPOSAL_CLOSED',
  'DISCHARGE_EXECUTED',
  'DISCHARGE_REFUSED',
  'PLAN_ADOPTED',
  'MEMBERSHIP_CHANGED',
  'CONSENT_RECORDED',
  'CONSENT_WITHDRAWN',
  'MEETING_PLANNED',
  'MEETING_MOVED',
  'MEETING_CANCELLED',
];

/** A signing secret, shown once: the receiving system needs it to check the signatures; only this answer holds it. */
interface ShownSecret {
  url: string;
  secret: string;
}

export function AdminWebhooksPage() {
  const { t, label, dateTime } = useI18n();
  const { staff } = useSession();
  const [status, setStatus] = useState<WebhookDeliveryStatus | ''>('');
  const webhooks = useQuery(
    AdminWebhooksDocument,
    { status: status || null },
    { skip: !(staff?.administrator || administers(staff)) },
  );
  const disable = useMutation(DisableWebhookSubscriptionDocument);
  const rotate = useMutation(RotateWebhookSecretDocument);
  const [shown, setShown] = useState<ShownSecret | null>(null);
  return (
    <AdminOnly title={t('admin.webhooks.title')} organisationAdministrators>
      <p>{t('admin.webhooks.intro')}</p>
      <div className="actions">
        <DialogButton label={t('admin.webhooks.new')} title={t('admin.webhooks.newTitle')}>
          {(close) => (
            <SubscriptionForm
              onCreated={(created) => {
                setShown(created);
                close();
              }}
              onCancel={close}
            />
          )}
        </DialogButton>
      </div>
      {shown && (
        <div className="notice notice-warning" role="status">
          <p>
            <strong>{t('admin.webhooks.secretOnce', { url: shown.url })}</strong>
          </p>
          <p className="secret" aria-label={t('admin.webhooks.secret')}>
            {shown.secret}
          </p>
          <button type="button" className="button secondary small" onClick={() => setShown(null)}>
            {t('admin.webhooks.secretSaved')}
          </button>
        </div>
      )}
      {disable.error && <ErrorMessage error={disable.error} />}
      {rotate.error && <ErrorMessage error={rotate.error} />}
      <QueryView state={webhooks}>
        {(data) => {
          const urlOf = new Map(data.webhookSubscriptions.map((s) => [s.id, s.url]));
          const deliveries = data.webhookDeliveries.edges.map((e) => e.node);
          return (
            <>
              <h2>{t('admin.webhooks.subscriptions')}</h2>
              {data.webhookSubscriptions.length === 0 ? (
                <p>{t('admin.webhooks.noSubscriptions')}</p>
              ) : (
                <div className="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">{t('admin.webhooks.client')}</th>
                        <th scope="col">{t('admin.webhooks.url')}</th>
                        <th scope="col">{t('admin.webhooks.kinds')}</th>
                        <th scope="col">{t('admin.webhooks.status')}</th>
                        <th scope="col">{t('admin.staff.actions')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.webhookSubscriptions.map((s) => (
                        <tr key={s.id}>
                          <th scope="row">{s.clientName}</th>
                          <td lang="en">{s.url}</td>
                          <td>{s.eventKinds.map((k) => label('WebhookEventKind', k)).join(', ')}</td>
                          <td>
                            {s.active ? (
                              <span className="tag plan-active">{t('admin.webhooks.active')}</span>
                            ) : (
                              <span className="tag tag-danger">{t('admin.webhooks.disabled')}</span>
                            )}
                          </td>
                          <td>
                            {s.active && (
                              <button
                                type="button"
                                className="button secondary small"
                                disabled={rotate.busy}
                                aria-label={t('admin.webhooks.rotateName', { url: s.url })}
                                onClick={async () => {
                                  if (!window.confirm(t('admin.webhooks.rotateQuestion', { url: s.url }))) return;
                                  const answer = await rotate.run({ id: s.id });
                                  if (answer) setShown({ url: s.url, secret: answer.rotateWebhookSecret.secret });
                                }}
                              >
                                {t('admin.webhooks.rotate')}
                              </button>
                            )}{' '}
                            {s.active && (
                              <button
                                type="button"
                                className="button secondary small"
                                disabled={disable.busy}
                                aria-label={t('admin.webhooks.disableName', { url: s.url })}
                                onClick={() =>
                                  window.confirm(t('admin.webhooks.disableQuestion', { url: s.url })) &&
                                  void disable.run({ id: s.id })
                                }
                              >
                                {t('admin.webhooks.disable')}
                              </button>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              <h2>{t('admin.webhooks.deliveries')}</h2>
              <Field label={t('admin.webhooks.filter')}>
                <select value={status} onChange={(e) => setStatus(e.target.value as WebhookDeliveryStatus | '')}>
                  <option value="">{t('admin.webhooks.all')}</option>
                  {STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {label('WebhookDeliveryStatus', s)}
                    </option>
                  ))}
                </select>
              </Field>
              {deliveries.length === 0 ? (
                <p>{t('admin.webhooks.noDeliveries')}</p>
              ) : (
                <div className="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">{t('admin.webhooks.occurredAt')}</th>
                        <th scope="col">{t('admin.webhooks.kind')}</th>
                        <th scope="col">{t('admin.webhooks.url')}</th>
                        <th scope="col">{t('admin.webhooks.status')}</th>
                        <th scope="col">{t('admin.webhooks.attempts')}</th>
                        <th scope="col">{t('admin.webhooks.lastAttempt')}</th>
                        <th scope="col">{t('admin.webhooks.eventId')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {deliveries.map((d) => {
                        const last = d.attempts.at(-1);
                        return (
                          <tr key={d.id}>
                            <th scope="row">{dateTime(d.occurredAt)}</th>
                            <td>{label('WebhookEventKind', d.eventKind)}</td>
                            <td lang="en">{urlOf.get(d.subscriptionId) ?? '–'}</td>
                            <td>
                              {label('WebhookDeliveryStatus', d.status)}
                              {d.stopReason && <div className="muted">{label('WebhookStopReason', d.stopReason)}</div>}
                              {d.nextAttemptAt && (
                                <div className="muted">
                                  {t('admin.webhooks.nextAttempt', { time: dateTime(d.nextAttemptAt) })}
                                </div>
                              )}
                            </td>
                            <td className="number">{d.attemptCount}</td>
                            <td>
                              {last ? (
                                <>
                                  {dateTime(last.attemptedAt)}:{' '}
                                  {last.statusCode !== null && last.statusCode !== undefined
                                    ? t('admin.webhooks.answer', { code: String(last.statusCode) })
                                    : t('admin.webhooks.noAnswer', { error: last.error ?? '' })}{' '}
                                  ({t('admin.webhooks.duration', { ms: String(last.durationMs) })})
                                </>
                              ) : (
                                '–'
                              )}
                            </td>
                            <td>
                              <code>{d.eventId}</code>
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              )}
            </>
          );
        }}
      </QueryView>
    </AdminOnly>
  );
}

/** Subscribes an integration client the administrator manages; the signing secret goes to the page, shown once. */
function SubscriptionForm({ onCreated, onCancel }: { onCreated: (c: ShownSecret) => void; onCancel: () => void }) {
  const { t, label } = useI18n();
  const staff = useQuery(AdminStaffPickerDocument, {});
  const create = useMutation(CreateWebhookSubscriptionDocument);
  // The secret goes to the page only after the form is saved, so that closing asks nothing.
  const result = useRef<ShownSecret | null>(null);
  const { form, problem, submit, errorOf } = useApiForm<{
    clientId: string;
    url: string;
    eventKinds: WebhookEventKind[];
  }>({
    defaultValues: { clientId: '', url: '', eventKinds: [] },
    onSaved: () => result.current && onCreated(result.current),
  });
  const clients = (staff.data?.staffMembers.edges ?? []).map((e) => e.node).filter((s) => s.serviceAccount && s.active);
  const save = submit(async (v) => {
    const answer = (
      await create.runOrThrow({ input: { clientId: v.clientId, url: v.url.trim(), eventKinds: v.eventKinds } })
    ).createWebhookSubscription;
    result.current = { url: answer.subscription.url, secret: answer.secret };
  });
  if (staff.data && clients.length === 0) return <p>{t('admin.webhooks.noClients')}</p>;
  return (
    <form onSubmit={save} noValidate>
      <Field label={t('admin.webhooks.client')} hint={t('admin.webhooks.clientHint')} error={errorOf('clientId')}>
        <select {...form.register('clientId', { required: 'required' })}>
          <option value="">{t('admin.choose')}</option>
          {clients.map((c) => (
            <option key={c.id} value={c.id}>
              {c.givenName} ({c.organisation.name})
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('admin.webhooks.url')} hint={t('admin.webhooks.urlHint')} error={errorOf('url')}>
        <input type="url" autoComplete="off" lang="en" {...form.register('url', { required: 'required' })} />
      </Field>
      <fieldset>
        <legend>{t('admin.webhooks.kinds')}</legend>
        <p className="hint">{t('admin.webhooks.kindsHint')}</p>
        {EVENT_KINDS.map((k) => (
          <label key={k} className="choice">
            <input type="checkbox" value={k} {...form.register('eventKinds', { required: 'required' })} />{' '}
            {label('WebhookEventKind', k)}
          </label>
        ))}
        {errorOf('eventKinds') && <p className="field-error">{errorOf('eventKinds')}</p>}
      </fieldset>
      <FormProblem problem={problem} />
      <FormButtons busy={form.formState.isSubmitting} saveLabel={t('admin.webhooks.create')} onCancel={onCancel} />
    </form>
  );
}
