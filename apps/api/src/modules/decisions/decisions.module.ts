import { Module } from '@nestjs/common';
import { AuthModule } from '@samverka/auth';
import { DecisionsModule, DischargeModule, EpisodesModule } from '@samverka/domain';
import {
  CareEpisodeResolver,
  DecisionEventResolver,
  DischargeRequestResolver,
  ElectorResolver,
  ProposalResolver,
  VoteRecordResolver,
} from './decisions.resolver';
import { DecisionEventStream } from './decision-event.stream';

/** The schema's decisions resolvers (also what `npm run schema` builds the schema from). */
export const DECISIONS_RESOLVERS = [
  ProposalResolver,
  DecisionEventResolver,
  ElectorResolver,
  VoteRecordResolver,
  CareEpisodeResolver,
  DischargeRequestResolver,
];

/** Joint decisions, care episodes and discharge, and their live events (DecisionEventStream, shared with the inbox). */
@Module({
  imports: [AuthModule, DecisionsModule, DischargeModule, EpisodesModule],
  providers: [...DECISIONS_RESOLVERS, DecisionEventStream],
  exports: [DecisionEventStream],
})
export class DecisionsApiModule {}
