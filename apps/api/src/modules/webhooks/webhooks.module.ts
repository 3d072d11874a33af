import { Module } from '@nestjs/common';
import { WebhooksModule } from '@samverka/domain';
import { WebhooksResolver } from './webhooks.resolver';

/** The schema's webhooks resolvers (also what `npm run schema` builds the schema from). */
export const WEBHOOKS_RESOLVERS = [WebhooksResolver];

/** Webhook subscriptions of integration clients. */
@Module({
  imports: [WebhooksModule],
  providers: [...WEBHOOKS_RESOLVERS],
})
export class WebhooksApiModule {}
