// Integration clients' webhooks for administrators (all) and organisation administrators (their own
// organisation's clients): the subscriptions, and the latest deliveries with every attempt. Clients
// subscribe themselves through the API; here an administrator can only look and switch one off.
import { useState } from 'react';
import {
  AdminWebhooksDocument,
  DisableWebhookSubscriptionDocument,
  type WebhookDeliveryStatus,
} from '../api/generated';
import { useMutation, useQuery } from '../api/hooks';
import { Field } from '../components/field';
import { ErrorMessage, QueryView } from '../components/status';
import { useI18n } from '../i18n/i18n';
import { administers, useSession } from '../session';
import { AdminOnly } from './admin-home-page';

const STATUSES: WebhookDeliveryStatus[] = ['PENDING', 'DELIVERED', 'FAILED', 'STOPPED'];

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
  return (
    <AdminOnly title={t('admin.webhooks.title')} organisationAdministrators>
      <p>{t('admin.webhooks.intro')}</p>
      {disable.error && <ErrorMessage error={disable.error} />}
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
