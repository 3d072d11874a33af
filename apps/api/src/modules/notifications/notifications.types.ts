import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import {
  EndingReason,
  EpisodeKind,
  MembershipChange,
  Notification,
  NotificationKind,
  notificationSharedAs,
  Principal,
  ProposalCloseReason,
} from '@samverka/domain';
import { SharedAs } from '../../graphql/withheld';

@ObjectType('NotificationParams', {
  description:
    'What a notification is worded with (each client words its kind in its language); only those its kind uses are set',
})
export class NotificationParamsType {
  @Field(() => String, { nullable: true, description: "The proposal's title (the plan's data)" })
  proposalTitle?: string;

  @Field(() => ProposalCloseReason, { nullable: true })
  closeReason?: ProposalCloseReason;

  @Field(() => EndingReason, { nullable: true })
  endingReason?: EndingReason;

  @Field(() => EpisodeKind, { nullable: true })
  episodeKind?: EpisodeKind;

  @Field(() => Principal, { nullable: true, description: 'The principal of the member who joined or left' })
  principal?: Principal;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Whether the member who joined or left votes for their principal',
  })
  votingRepresentative?: boolean;

  @Field(() => MembershipChange, { nullable: true })
  membershipChange?: MembershipChange;

  @Field(() => String, { nullable: true, description: 'The day a membership begins (YYYY-MM-DD), when not today' })
  validFrom?: string;

  @Field(() => String, { nullable: true, description: 'The day a membership ends (YYYY-MM-DD)' })
  validTo?: string;

  @Field(() => String, { nullable: true, description: 'The day a reminder is about (YYYY-MM-DD)' })
  date?: string;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: "The moment a reminder is about (a meeting, a vote's deadline)",
  })
  startsAt?: Date;

  @Field(() => String, {
    nullable: true,
    description: "An appointment note to print and hand over to the person, in the person's language",
  })
  appointmentNote?: string;
}

@ObjectType('Notification', {
  description:
    'A notice in your inbox about a person you work with, as a kind with parameters; reminders have their rule as kind',
})
export class NotificationType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  personId: string;

  @Field(() => NotificationKind)
  kind: NotificationKind;

  @SharedAs((n: { kind: string }) => notificationSharedAs(n.kind))
  @Field(() => NotificationParamsType, {
    nullable: true,
    description:
      "Null when it tells what a consent withholds from your organisation (a proposal's title, a plan's follow-up date)",
  })
  params: NotificationParamsType | null;

  @Field(() => GraphQLISODateTime)
  createdAt: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  readAt: Date | null;
}

/** A stored notification as the API shows it (its moment, kept as text in the parameters, as a DateTime). */
export function toNotificationType(n: Notification): NotificationType {
  const { startsAt, ...params } = n.params;
  return {
    id: n.id,
    personId: n.personId,
    kind: n.kind,
    params: { ...params, ...(startsAt ? { startsAt: new Date(startsAt) } : {}) },
    createdAt: n.createdAt,
    readAt: n.readAt,
  };
}
