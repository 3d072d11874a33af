import { Module } from '@nestjs/common';
import { AuthModule } from '@samverka/auth';
import { ConsentModule, TimelineModule } from '@samverka/domain';
import { ConsentResolver, PersonAccessResolver, PersonContactResolver } from './consent.resolver';

/** The schema's consent resolvers (also what `npm run schema` builds the schema from). */
export const CONSENT_RESOLVERS = [ConsentResolver, PersonAccessResolver, PersonContactResolver];

/** Consents, access requests and contacts on a person's timeline. */
@Module({
  imports: [AuthModule, ConsentModule, TimelineModule],
  providers: [...CONSENT_RESOLVERS],
})
export class ConsentApiModule {}
