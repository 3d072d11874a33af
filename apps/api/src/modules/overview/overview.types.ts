import { Field, ID, ObjectType } from '@nestjs/graphql';
import { CaseloadReason, SharingCategory, SipPlanStatus } from '@samverka/domain';
import { Connection } from '../../graphql/connection';
import { SharedAs } from '../../graphql/withheld';
import { PersonType } from '../person/person.types';

@ObjectType('PatientOverview', {
  description: 'Everything a worker reads before meeting the person, in one round trip: person, plan, group, timeline, housing',
})
export class PatientOverviewType {
  @Field(() => ID)
  personId: string;

  @Field(() => PersonType)
  person: PersonType;
}

@ObjectType('CaseloadEntry')
export class CaseloadEntryType {
  @Field(() => ID)
  personId: string;

  @Field(() => [CaseloadReason], { description: 'Why the person is on your caseload' })
  reasons: CaseloadReason[];

  @SharedAs(SharingCategory.SIP_PLAN)
  @Field(() => ID, { nullable: true })
  planId: string | null;

  @SharedAs(SharingCategory.SIP_PLAN)
  @Field(() => SipPlanStatus, { nullable: true, description: 'Status of the current plan; null when there is none' })
  planStatus: SipPlanStatus | null;

  @SharedAs(SharingCategory.SIP_PLAN)
  @Field(() => String, { nullable: true, description: 'ISO date of the next follow-up of the current plan' })
  nextFollowUpOn: string | null;

  @SharedAs(SharingCategory.SIP_PLAN)
  @Field({ description: 'The follow-up date has passed' })
  followUpOverdue: boolean;
}

export const CaseloadConnection = Connection(CaseloadEntryType, 'Caseload');
