import { Field, GraphQLISODateTime, ID, ObjectType } from '@nestjs/graphql';

@ObjectType('Notification', { description: 'A message in your inbox about a person you work with; reminders have their rule as kind' })
export class NotificationType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  personId: string;

  @Field()
  kind: string;

  @Field()
  message: string;

  @Field(() => GraphQLISODateTime)
  createdAt: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  readAt: Date | null;
}
