import { registerEnumType } from '@nestjs/graphql';
import * as domain from '@samverka/domain';

/** Every domain enum exposed to GraphQL, under its domain name. */
const ENUM_NAMES = [
  'AccessGround',
  'CaseCheckKind',
  'CaseloadReason',
  'CaseloadSort',
  'ConsentGivenHow',
  'ConsentPurpose',
  'ConsentScope',
  'ConsentStanding',
  'ChildrenStatus',
  'ContactChannel',
  'ContactKind',
  'DecisionEventKind',
  'DeliveryChannel',
  'DischargeRequestStatus',
  'EndingReason',
  'EpisodeKind',
  'EpisodeStatus',
  'HousingKind',
  'IdentityKind',
  'IntegrationScope',
  'InterventionStatus',
  'LegalGender',
  'NeedArea',
  'OrganisationKind',
  'ParticipantKind',
  'Principal',
  'Profession',
  'ProposalStatus',
  'ProposalType',
  'ProtectedIdentity',
  'ReminderRule',
  'ReminderSubject',
  'SharingCategory',
  'SipMeetingStatus',
  'SipPlanStatus',
  'VoteChoice',
] as const satisfies ReadonlyArray<keyof typeof domain>;

for (const name of ENUM_NAMES) registerEnumType(domain[name], { name });
