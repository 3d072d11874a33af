// The signed-in user's notifications, shared by the header badge, the caseload and the inbox.
// Read once, then again whenever the live subscription says a new one has arrived, and when the live
// connection comes back after a drop (one may have arrived meanwhile).
import { createContext, useContext, type ReactNode } from 'react';
import { NotificationReceivedDocument, NotificationsDocument, type NotificationsQuery } from './api/generated';
import { useQuery, useReconnect, useSubscription, type QueryState } from './api/hooks';
import type { EnumName, I18n } from './i18n/i18n';

const NotificationsContext = createContext<QueryState<NotificationsQuery> | null>(null);

export function NotificationsProvider({ children }: { children: ReactNode }) {
  const state = useQuery(NotificationsDocument, { unreadOnly: false });
  const { refetch } = state;
  useSubscription(NotificationReceivedDocument, {}, () => void refetch());
  useReconnect(() => void refetch());
  return <NotificationsContext.Provider value={state}>{children}</NotificationsContext.Provider>;
}

export function useNotifications(): QueryState<NotificationsQuery> {
  const state = useContext(NotificationsContext);
  if (!state) throw new Error('useNotifications outside NotificationsProvider');
  return state;
}

/** Unread notifications: all of them from the API's count, or one person's among the latest. */
export function unreadCount(state: QueryState<NotificationsQuery>, personId?: string): number {
  if (!personId) return state.data?.unreadNotificationCount ?? 0;
  return (state.data?.notifications ?? []).filter((n) => !n.readAt && n.personId === personId).length;
}

/** A notification's kind (a reminder rule or a decision notice) in words; unknown kinds get a plain "Notification". */
export function kindLabel(i18n: Pick<I18n, 'label' | 't'>, kind: string): string {
  const name: EnumName = 'NotificationKind';
  const text = i18n.label(name, kind);
  return text === kind ? i18n.t('notifications.other') : text;
}

/** An appointment note for the person, to print and hand over (the planner's copy when the person has no SMS). */
export function isAppointmentNote(message: string): boolean {
  return /^(Lapp att skriva ut|Appointment note to print)/.test(message);
}
