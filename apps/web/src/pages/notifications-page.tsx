import { useEffect, useRef, useState } from 'react';
import {
  InboxPersonsDocument,
  MarkAllNotificationsReadDocument,
  MarkNotificationsReadDocument,
  NotificationsDocument,
  type NotificationFieldsFragment,
} from '../api/generated';
import { useMutation, useQuery } from '../api/hooks';
import { Layout } from '../components/layout';
import { ErrorMessage, QueryView } from '../components/status';
import { useI18n } from '../i18n/i18n';
import { appointmentNote, kindLabel, notificationText, useNotifications } from '../notifications';
import { printAlone } from '../lib/print';
import { Link } from '../router';

export function NotificationsPage() {
  const { t } = useI18n();
  const all = useNotifications();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const unread = useQuery(NotificationsDocument, { unreadOnly: true }, { skip: !unreadOnly });
  // The shared list is read again when a notification arrives live; the unread-only list follows it.
  const refetchUnread = unread.refetch;
  useEffect(() => {
    if (unreadOnly && all.data) void refetchUnread();
  }, [all.data, unreadOnly, refetchUnread]);
  const shown = unreadOnly ? unread : all;
  // Notifications carry the person's id only; names come from my caseload (anyone else: "Open the person").
  const persons = useQuery(InboxPersonsDocument, {});
  const names = new Map(
    (persons.data?.caseload.edges ?? []).map(({ node: { person: p } }) => [p.id, `${p.givenName} ${p.familyName}`]),
  );
  const markOne = useMutation(MarkNotificationsReadDocument);
  const markAll = useMutation(MarkAllNotificationsReadDocument);
  const markRead = async (ids: string[]) => {
    if (ids.length && (await markOne.run({ ids }))) await all.refetch();
  };
  const markAllRead = async () => {
    if ((await markAll.run({})) !== null) await all.refetch();
  };
  const error = markOne.error ?? markAll.error;
  return (
    <Layout title={t('notifications.title')}>
      <div className="actions">
        <label className="choice">
          <input type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)} />{' '}
          {t('notifications.unreadOnly')}
        </label>
        <button
          type="button"
          className="button secondary"
          disabled={!all.data?.unreadNotificationCount || markAll.busy}
          onClick={markAllRead}
        >
          {t('notifications.markAllRead')}
        </button>
        <Link to="/settings" className="button secondary">
          {t('notifications.settings')}
        </Link>
      </div>
      {error && <ErrorMessage error={error} />}
      <QueryView state={shown}>
        {(data) =>
          data.notifications.length === 0 ? (
            <p>{unreadOnly ? t('notifications.emptyUnread') : t('notifications.empty')}</p>
          ) : (
            <ul className="inbox" aria-live="polite">
              {data.notifications.map((n) => (
                <InboxItem
                  key={n.id}
                  notification={n}
                  personName={names.get(n.personId)}
                  busy={markOne.busy}
                  onMarkRead={() => markRead([n.id])}
                />
              ))}
            </ul>
          )
        }
      </QueryView>
    </Layout>
  );
}

function InboxItem({
  notification: n,
  personName,
  busy,
  onMarkRead,
}: {
  notification: NotificationFieldsFragment;
  personName?: string;
  busy: boolean;
  onMarkRead: () => void;
}) {
  const i18n = useI18n();
  const { t, dateTime } = i18n;
  const note = useRef<HTMLDivElement>(null);
  const appointment = appointmentNote(n);
  const title = kindLabel(i18n, n.kind);
  const text = notificationText(i18n, n);
  return (
    <li className={n.readAt ? 'read' : 'unread'} data-kind={n.kind}>
      <div>
        {!n.readAt && <span className="tag tag-info">{t('notifications.unread')}</span>} <strong>{title}</strong>{' '}
        <span className="muted">{dateTime(n.createdAt)}</span>
        {text && <p>{text}</p>}
        {appointment && (
          <div className="appointment-note" ref={note}>
            <p className="appointment-note-title">{t('notifications.printHint')}</p>
            <p>{appointment}</p>
          </div>
        )}
        <Link to={`/persons/${n.personId}`}>{personName ?? t('notifications.openPerson')}</Link>
      </div>
      <div className="inbox-actions">
        {appointment && (
          <button
            type="button"
            className="button secondary small"
            onClick={() => note.current && printAlone(note.current)}
          >
            {t('notifications.print')}
          </button>
        )}
        {!n.readAt && (
          <button type="button" className="button secondary small" disabled={busy} onClick={onMarkRead}>
            {t('notifications.markRead')}
          </button>
        )}
      </div>
    </li>
  );
}
