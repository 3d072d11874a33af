// The signed-in user's notifications, shared by the header badge, the caseload and the inbox.
// Read once, then again whenever the live subscription says a new one has arrived, and when the live
// connection comes back after a drop (one may have arrived meanwhile).
import { createContext, useContext, type ReactNode } from 'react';
import {
  NotificationReceivedDocument,
  NotificationsDocument,
  type EndingReason,
  type NotificationFieldsFragment,
  type NotificationsQuery,
  type ProposalCloseReason,
} from './api/generated';
import { useQuery, useReconnect, useSubscription, type QueryState } from './api/hooks';
import { allNotifications } from './first-reads';
import type { EnumName, I18n } from './i18n/i18n';

const NotificationsContext = createContext<QueryState<NotificationsQuery> | null>(null);

export function NotificationsProvider({ children }: { children: ReactNode }) {
  const state = useQuery(NotificationsDocument, allNotifications);
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

/** An appointment note for the person, to print and hand over (the planner's copy when the person has no SMS), in the person's language. */
export function appointmentNote(n: NotificationFieldsFragment): string | null {
  return n.params?.appointmentNote ?? null;
}

type Words = Pick<I18n, 'label' | 't' | 'date' | 'dateTime'>;

/** Why a proposal closed, in words (the withdrawer's own words when a proposal was withdrawn and may be shown). */
export function closeReasonText(
  i18n: Words,
  p: {
    closeReason?: ProposalCloseReason | null;
    closeEndingReason?: EndingReason | null;
    withdrawalReason?: string | null;
  },
): string | null {
  if (!p.closeReason) return null;
  if (p.closeReason === 'WITHDRAWN' && p.withdrawalReason)
    return i18n.t('codes.withdrawnBecause', { reason: p.withdrawalReason });
  return i18n.t(`codes.closeReason.${p.closeReason}`, { ending: i18n.label('EndingReason', p.closeEndingReason) });
}

/** What a notification is about beyond its kind, worded from its parameters; null when the kind says it all (or a consent withholds it). */
export function notificationText(i18n: Words, n: NotificationFieldsFragment): string | null {
  const p = n.params;
  if (!p) return null;
  const { t, label } = i18n;
  const parts: string[] = [];
  switch (n.kind) {
    case 'PROPOSAL_OPENED':
      if (p.proposalTitle) parts.push(t('codes.proposal', { title: p.proposalTitle }));
      break;
    case 'PROPOSAL_APPROVED':
    case 'PROPOSAL_REJECTED':
    case 'PROPOSAL_EXPIRED':
    case 'PROPOSAL_VOIDED':
      if (p.proposalTitle) parts.push(t('codes.proposal', { title: p.proposalTitle }));
      parts.push(closeReasonText(i18n, { closeReason: p.closeReason, closeEndingReason: p.endingReason }) ?? '');
      break;
    case 'EPISODE_DISCHARGED':
      if (p.episodeKind) parts.push(t('codes.episodeDischarged', { kind: label('EpisodeKind', p.episodeKind) }));
      break;
    case 'EPISODE_ENDED':
      if (p.episodeKind)
        parts.push(
          t('codes.episodeEnded', {
            kind: label('EpisodeKind', p.episodeKind),
            ending: label('EndingReason', p.endingReason),
          }),
        );
      break;
    case 'GROUP_MEMBERSHIP_CHANGED':
      if (p.principal && p.membershipChange) {
        const who = t(p.votingRepresentative ? 'codes.member.voting' : 'codes.member.plain', {
          principal: t(`codes.principalOf.${p.principal}`),
        });
        parts.push(
          t(`codes.membership.${p.membershipChange}`, {
            who,
            date: i18n.date(p.validTo),
            principal: t(`codes.principalOf.${p.principal}`),
          }),
        );
        if (p.validFrom) parts.push(t('codes.from', { date: i18n.date(p.validFrom) }));
        if (p.validTo && p.membershipChange === 'JOINED') parts.push(t('codes.until', { date: i18n.date(p.validTo) }));
      }
      break;
    case 'ACT_TEAM_ROSTER_CHANGED':
      if (p.membershipChange) parts.push(t(`codes.roster.${p.membershipChange}`));
      break;
    case 'ACT_TEAM_ENROLMENT':
    case 'ACT_TEAM_PLACE_ENDED':
    case 'CONSENT_RECORDED':
    case 'CONSENT_WITHDRAWN':
    case 'PROTECTED_IDENTITY_CHANGED':
    case 'REGISTER_MATCH':
    case 'EMERGENCY_ACCESS':
    case 'RELATIVES_CHANGED':
      parts.push(t(`codes.notice.${n.kind}`));
      break;
    case 'SIP_PLAN_FOLLOW_UP_HELD':
      if (p.date) parts.push(t('codes.followUpHeld', { date: i18n.date(p.date) }));
      break;
    default:
      // Reminders: the moment or the day they are about.
      if (p.startsAt) parts.push(t('codes.about', { date: i18n.dateTime(p.startsAt) }));
      else if (p.date) parts.push(t('codes.about', { date: i18n.date(p.date) }));
  }
  const text = parts.filter(Boolean).join(' ');
  return text || null;
}
