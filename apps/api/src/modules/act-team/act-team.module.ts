import { Module } from '@nestjs/common';
import { AuthModule } from '@samverka/auth';
import { ActTeamModule } from '@samverka/domain';
import {
  ActTeamClientResolver,
  ActTeamMemberResolver,
  ActTeamResolver,
  OnCallShiftResolver,
} from './act-team.resolver';

/** The schema's act-team resolvers (also what `npm run schema` builds the schema from). */
export const ACT_TEAM_RESOLVERS = [ActTeamResolver, ActTeamMemberResolver, ActTeamClientResolver, OnCallShiftResolver];

/** ACT teams: their members, caseloads and on-call cover. */
@Module({
  imports: [AuthModule, ActTeamModule],
  providers: [...ACT_TEAM_RESOLVERS],
})
export class ActTeamApiModule {}
