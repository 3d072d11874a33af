import { Module } from '@nestjs/common';
import { AuthModule } from '@samverka/auth';
import { StaffModule } from '@samverka/domain';
import { DirectoryEntryResolver, StaffResolver } from './staff.resolver';
import { IntegrationClientResolver } from './integration-client.resolver';

/** The schema's staff resolvers (also what `npm run schema` builds the schema from). */
export const STAFF_RESOLVERS = [StaffResolver, DirectoryEntryResolver, IntegrationClientResolver];

/** Staff, the directory, API keys and integration clients. */
@Module({
  imports: [AuthModule, StaffModule],
  providers: [...STAFF_RESOLVERS],
})
export class StaffApiModule {}
