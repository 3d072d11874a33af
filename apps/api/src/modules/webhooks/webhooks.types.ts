import { ArgsType, Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { WebhookDeliveryStatus, WebhookEventKind, WebhookStopReason } from '@samverka/domain';
import { ArrayMaxSize, ArrayNotEmpty, IsEnum, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { Connection, PageArgs } from '../../graphql/connection';

@ObjectType('WebhookSubscription', {
  description: "An integration client's endpoint and the kinds of event it is sent (about persons it may see)",
})
export class WebhookSubscriptionType {
  @Field(() => ID)
  id: string;

  @Field(() => ID, { description: "The integration client (its service account's staff id)" })
  clientId: string;

  @Field({ description: "The integration client's name" })
  clientName: string;

  @Field()
  url: string;

  @Field(() => [WebhookEventKind])
  eventKinds: WebhookEventKind[];

  @Field()
  active: boolean;

  @Field()
  createdAt: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'When the secret was last replaced (the previous one signs beside it for 24 hours)',
  })
  secretRotatedAt: Date | null;

  @Field(() => Date, { nullable: true })
  disabledAt: Date | null;
}

@ObjectType('WebhookSubscriptionWithSecret')
export class WebhookSubscriptionWithSecretType {
  @Field(() => WebhookSubscriptionType)
  subscription: WebhookSubscriptionType;

  @Field({ description: 'The Standard Webhooks signing secret (whsec_…): shown only in this answer' })
  secret: string;
}

@ObjectType('WebhookAttempt', {
  description: 'One attempt to deliver: what the endpoint answered (or the failure), how long it took, when',
})
export class WebhookAttemptType {
  @Field(() => Int)
  number: number;

  @Field()
  attemptedAt: Date;

  @Field(() => Int)
  durationMs: number;

  @Field(() => Int, { nullable: true, description: "The endpoint's HTTP status" })
  statusCode: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why no answer came: the error class or code (e.g. ECONNREFUSED, TimeoutError)',
  })
  error: string | null;
}

@ObjectType('WebhookDelivery', {
  description: 'One event to one subscription, with every attempt (ids and kind only: no personal data)',
})
export class WebhookDeliveryType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  subscriptionId: string;

  @Field(() => ID, { description: 'The webhook-id header: the same in every attempt' })
  eventId: string;

  @Field(() => WebhookEventKind)
  eventKind: WebhookEventKind;

  @Field()
  occurredAt: Date;

  @Field(() => WebhookDeliveryStatus)
  status: WebhookDeliveryStatus;

  @Field(() => WebhookStopReason, { nullable: true })
  stopReason: WebhookStopReason | null;

  @Field(() => Int)
  attemptCount: number;

  @Field(() => Date, { nullable: true, description: 'When the next attempt is due (pending deliveries)' })
  nextAttemptAt: Date | null;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  finishedAt: Date | null;

  @Field(() => [WebhookAttemptType])
  attempts: WebhookAttemptType[];
}

export const WebhookDeliveryConnection = Connection(WebhookDeliveryType);

@InputType()
export class CreateWebhookSubscriptionInput {
  @Field(() => ID, {
    nullable: true,
    description: 'The integration client; an integration client calling may leave it out (itself)',
  })
  @IsOptional()
  @IsUUID()
  clientId?: string | null;

  @Field({ description: 'https (http only to localhost or 127.0.0.1 outside production)' })
  @IsString()
  @Length(10, 2000)
  url: string;

  @Field(() => [WebhookEventKind])
  @ArrayNotEmpty()
  @ArrayMaxSize(20)
  @IsEnum(WebhookEventKind, { each: true })
  eventKinds: WebhookEventKind[];
}

@ArgsType()
export class WebhookSubscriptionsArgs {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  clientId?: string | null;
}

@ArgsType()
export class WebhookDeliveriesArgs extends PageArgs {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  subscriptionId?: string | null;

  @Field(() => WebhookDeliveryStatus, { nullable: true })
  @IsOptional()
  @IsEnum(WebhookDeliveryStatus)
  status?: WebhookDeliveryStatus | null;
}
