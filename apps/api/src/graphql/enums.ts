import { registerEnumType } from '@nestjs/graphql';
import {
  CaseloadReason,
  ChildrenStatus,
  ContactChannel,
  ContactKind,
  HousingKind,
  IdentityKind,
  InterventionStatus,
  LegalGender,
  NeedArea,
  OrganisationKind,
  ParticipantKind,
  Principal,
  Profession,
  ProtectedIdentity,
  SipPlanStatus,
} from '@samverka/domain';

/** Every domain enum, exposed to GraphQL under its domain name. */
const ENUMS = {
  CaseloadReason,
  ChildrenStatus,
  ContactChannel,
  ContactKind,
  HousingKind,
  IdentityKind,
  InterventionStatus,
  LegalGender,
  NeedArea,
  OrganisationKind,
  ParticipantKind,
  Principal,
  Profession,
  ProtectedIdentity,
  SipPlanStatus,
};

for (const [name, enumRef] of Object.entries(ENUMS)) registerEnumType(enumRef, { name });
