import { Module } from '@nestjs/common';
import { AuthModule } from '@samverka/auth';
import { OverviewModule } from '@samverka/domain';
import { CaseloadEntryResolver, OverviewResolver, ResponsibilityResolver } from './overview.resolver';

/** The schema's overview resolvers (also what `npm run schema` builds the schema from). */
export const OVERVIEW_RESOLVERS = [OverviewResolver, ResponsibilityResolver, CaseloadEntryResolver];

/** The person overview and the caseload. */
@Module({
  imports: [AuthModule, OverviewModule],
  providers: [...OVERVIEW_RESOLVERS],
})
export class OverviewApiModule {}
