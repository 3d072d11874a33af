import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, IntegrationScopes } from '@samverka/auth';
import { Actor, IntegrationScope, WebhookSubscriptionService } from '@samverka/domain';
import { toConnection } from '../../graphql/connection';
import { UuidPipe } from '../../graphql/uuid.pipe';
import {
  CreateWebhookSubscriptionInput,
  WebhookDeliveriesArgs,
  WebhookDeliveryConnection,
  WebhookSubscriptionsArgs,
  WebhookSubscriptionType,
  WebhookSubscriptionWithSecretType,
} from './webhooks.types';

/**
 * Any integration client manages its own subscriptions, whatever its scopes: what it is sent is decided
 * per person by the access policy at delivery, so subscribing alone reveals nothing.
 */
const ANY_SCOPE = Object.values(IntegrationScope);

/** Webhook subscriptions and their deliveries: the client itself, and the administrators of its organisation (WebhookSubscriptionService's rule). */
@Resolver(() => WebhookSubscriptionType)
export class WebhooksResolver {
  constructor(private readonly subscriptions: WebhookSubscriptionService) {}

  @IntegrationScopes(...ANY_SCOPE)
  @Query(() => [WebhookSubscriptionType], {
    description:
      "Webhook subscriptions: an integration client's own, an organisation administrator's organisation's, or all (the administrator)",
  })
  webhookSubscriptions(@Args() args: WebhookSubscriptionsArgs, @CurrentActor() actor: Actor) {
    return this.subscriptions.list(actor, args);
  }

  @IntegrationScopes(...ANY_SCOPE)
  @Query(() => WebhookDeliveryConnection, {
    description: 'Webhook deliveries with every attempt, newest first, of the subscriptions the caller manages',
  })
  async webhookDeliveries(@Args() args: WebhookDeliveriesArgs, @CurrentActor() actor: Actor) {
    return toConnection(await this.subscriptions.deliveries(actor, args, args));
  }

  @IntegrationScopes(...ANY_SCOPE)
  @Mutation(() => WebhookSubscriptionWithSecretType, {
    description: 'Subscribes an integration client to kinds of event; the signing secret is shown only in this answer',
  })
  createWebhookSubscription(@Args('input') input: CreateWebhookSubscriptionInput, @CurrentActor() actor: Actor) {
    return this.subscriptions.create(actor, input);
  }

  @IntegrationScopes(...ANY_SCOPE)
  @Mutation(() => WebhookSubscriptionWithSecretType, {
    description:
      'A new signing secret, shown only in this answer; the previous one keeps signing beside it for 24 hours',
  })
  rotateWebhookSecret(@Args('id', { type: () => ID }, UuidPipe) id: string, @CurrentActor() actor: Actor) {
    return this.subscriptions.rotateSecret(actor, id);
  }

  @IntegrationScopes(...ANY_SCOPE)
  @Mutation(() => WebhookSubscriptionType, {
    description: 'Stops a subscription for good (pending deliveries stop at their next attempt)',
  })
  disableWebhookSubscription(@Args('id', { type: () => ID }, UuidPipe) id: string, @CurrentActor() actor: Actor) {
    return this.subscriptions.disable(actor, id);
  }
}
