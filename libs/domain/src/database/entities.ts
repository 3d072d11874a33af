import { ActTeamClient } from '../act-team/act-team-client.entity';
import { ActTeamMember } from '../act-team/act-team-member.entity';
import { ActTeam } from '../act-team/act-team.entity';
import { OnCallShift } from '../act-team/on-call-shift.entity';
import { AccessLogEntry } from '../access/access-log-entry.entity';
import { EmergencyAccess } from '../access/emergency-access.entity';
import { Consent } from '../consent/consent.entity';
import { CollaborationGroup } from '../collaboration/collaboration-group.entity';
import { GroupMember } from '../collaboration/group-member.entity';
import { ProposalElector } from '../decisions/proposal-elector.entity';
import { Proposal } from '../decisions/proposal.entity';
import { VoteEvent } from '../decisions/vote-event.entity';
import { CareEpisode } from '../episodes/care-episode.entity';
import { DischargeRequest } from '../discharge/discharge-request.entity';
import { Notification } from '../notifications/notification.entity';
import { HousingPlacement } from '../housing/housing-placement.entity';
import { Organisation } from '../organisation/organisation.entity';
import { Unit } from '../organisation/unit.entity';
import { Person } from '../person/person.entity';
import { Relative } from '../person/relative.entity';
import { SipFollowUp } from '../sip-plan/sip-follow-up.entity';
import { SipPlanApproval } from '../sip-plan/sip-plan-approval.entity';
import { SipPlanVersion } from '../sip-plan/sip-plan-version.entity';
import { SipPlan } from '../sip-plan/sip-plan.entity';
import { StaffMember } from '../staff/staff-member.entity';
import { ContactEntry } from '../timeline/contact-entry.entity';

export const ENTITIES = [
  Organisation,
  Unit,
  StaffMember,
  Person,
  Relative,
  CollaborationGroup,
  GroupMember,
  ActTeam,
  ActTeamMember,
  OnCallShift,
  ActTeamClient,
  SipPlan,
  SipPlanVersion,
  SipFollowUp,
  SipPlanApproval,
  ContactEntry,
  HousingPlacement,
  AccessLogEntry,
  Consent,
  EmergencyAccess,
  CareEpisode,
  Proposal,
  ProposalElector,
  VoteEvent,
  DischargeRequest,
  Notification,
];
