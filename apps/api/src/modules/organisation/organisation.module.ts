import { Module } from '@nestjs/common';
import { AuthModule } from '@samverka/auth';
import { OrganisationModule } from '@samverka/domain';
import { OrganisationResolver, UnitResolver } from './organisation.resolver';

/** The schema's organisation resolvers (also what `npm run schema` builds the schema from). */
export const ORGANISATION_RESOLVERS = [OrganisationResolver, UnitResolver];

/** Organisations and units. */
@Module({
  imports: [AuthModule, OrganisationModule],
  providers: [...ORGANISATION_RESOLVERS],
})
export class OrganisationApiModule {}
