import { Module } from '@nestjs/common';
import { AuthModule } from '@samverka/auth';
import { TimelineModule } from '@samverka/domain';
import { TimelineResolver } from './timeline.resolver';

/** The schema's timeline resolvers (also what `npm run schema` builds the schema from). */
export const TIMELINE_RESOLVERS = [TimelineResolver];

/** A person's timeline. */
@Module({
  imports: [AuthModule, TimelineModule],
  providers: [...TIMELINE_RESOLVERS],
})
export class TimelineApiModule {}
