import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';
import { notificationSharedAs } from '@samverka/domain';
import { SharedAs } from '../../graphql/withheld';

@ObjectType('Notification', { description: 'A message in your inbox about a person you work with; reminders have their rule as kind' })
export class NotificationType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  personId: string;

  @Field()
  kind: string;

  @SharedAs((n: { kind: string }) => notificationSharedAs(n.kind))
  @Field({ description: "Empty when it tells what a consent withholds from your organisation (a proposal's title, a plan's follow-up date)" })
  message: string;

  @Field(() => GraphQLISODateTime)
  createdAt: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  readAt: Date | null;
}
