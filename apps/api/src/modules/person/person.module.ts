import { Module } from '@nestjs/common';
import { AuthModule } from '@samverka/auth';
import { PersonModule, TimelineModule } from '@samverka/domain';
import { PersonResolver } from './person.resolver';
import { RelativeResolver } from './relative.resolver';
import { ProtectedIdentityResolver } from './protected-identity.resolver';

/** The schema's person resolvers (also what `npm run schema` builds the schema from). */
export const PERSON_RESOLVERS = [PersonResolver, RelativeResolver, ProtectedIdentityResolver];

/** Persons, their relatives and protected identities. */
@Module({
  imports: [AuthModule, PersonModule, TimelineModule],
  providers: [...PERSON_RESOLVERS],
})
export class PersonApiModule {}
