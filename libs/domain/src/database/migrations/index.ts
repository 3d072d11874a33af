import { Foundation1763884800000 } from './1763884800000-foundation';
import { JointDecisions1763971200000 } from './1763971200000-joint-decisions';
import { MembershipHistory1764057600000 } from './1764057600000-membership-history';
import { Administrators1764144000000 } from './1764144000000-administrators';
import { IdentityHistory1764230400000 } from './1764230400000-identity-history';
import { Reminders1764316800000 } from './1764316800000-reminders';
import { ConsentAndAudit1764403200000 } from './1764403200000-consent-and-audit';
import { ConsentReminders1764489600000 } from './1764489600000-consent-reminders';
import { AccessLogAnchorGuard1764576000000 } from './1764576000000-access-log-anchor-guard';
import { MeetingDetailsReminders1764662400000 } from './1764662400000-meeting-details-reminders';
import { KeyedAccessLog1764748800000 } from './1764748800000-keyed-access-log';
import { MembershipEndsAtOnce1764835200000 } from './1764835200000-membership-ends-at-once';
import { EpisodeEndingReview1764835200001 } from './1764835200001-episode-ending-review';
import { ProtectedIdentityChanges1764921600000 } from './1764921600000-protected-identity-changes';
import { RegisterCheckGround1764921600001 } from './1764921600001-register-check-ground';
import { OpaqueReminderJobIds1765008000000 } from './1765008000000-opaque-reminder-job-ids';
import { StaffSessions1765094400000 } from './1765094400000-staff-sessions';
import { WithdrawnProposals1765180800000 } from './1765180800000-withdrawn-proposals';
import { PersonDetails1765267200030 } from './1765267200030-person-details';
import { CodesNotProse1765267200040 } from './1765267200040-codes-not-prose';
import { PersonLanguage1765267200041 } from './1765267200041-person-language';
import { SipFollowUps1765267200070 } from './1765267200070-sip-follow-ups';
import { DeliveryRetries1765353600000 } from './1765353600000-delivery-retries';
import { AccessLogReview1765353600100 } from './1765353600100-access-log-review';
import { SipPlanApprovals1765353600200 } from './1765353600200-sip-plan-approvals';
import { OAuthClients1765400000000 } from './1765400000000-oauth-clients';
import { Webhooks1765400001000 } from './1765400001000-webhooks';
import { GuardsFromSource1765410500000 } from './1765410500000-guards-from-source';
import { PersonReadIndexes1765497600000 } from './1765497600000-person-read-indexes';
import { ApprovalStampedByDeadline1765497600100 } from './1765497600100-approval-stamped-by-deadline';
import { CaseloadCoveringIndexes1765497600200 } from './1765497600200-caseload-covering-indexes';

/** Every migration, in order. New ones are appended; committed ones never change. */
export const MIGRATIONS = [
  Foundation1763884800000,
  JointDecisions1763971200000,
  MembershipHistory1764057600000,
  Administrators1764144000000,
  IdentityHistory1764230400000,
  Reminders1764316800000,
  ConsentAndAudit1764403200000,
  ConsentReminders1764489600000,
  AccessLogAnchorGuard1764576000000,
  MeetingDetailsReminders1764662400000,
  KeyedAccessLog1764748800000,
  MembershipEndsAtOnce1764835200000,
  EpisodeEndingReview1764835200001,
  ProtectedIdentityChanges1764921600000,
  RegisterCheckGround1764921600001,
  OpaqueReminderJobIds1765008000000,
  StaffSessions1765094400000,
  WithdrawnProposals1765180800000,
  PersonDetails1765267200030,
  CodesNotProse1765267200040,
  PersonLanguage1765267200041,
  SipFollowUps1765267200070,
  DeliveryRetries1765353600000,
  AccessLogReview1765353600100,
  SipPlanApprovals1765353600200,
  OAuthClients1765400000000,
  Webhooks1765400001000,
  GuardsFromSource1765410500000,
  PersonReadIndexes1765497600000,
  ApprovalStampedByDeadline1765497600100,
  CaseloadCoveringIndexes1765497600200,
];
