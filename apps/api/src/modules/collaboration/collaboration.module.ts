import { Module } from '@nestjs/common';
import { AuthModule } from '@samverka/auth';
import { CollaborationModule } from '@samverka/domain';
import { CollaborationGroupResolver, GroupMemberResolver } from './collaboration.resolver';

/** The schema's collaboration resolvers (also what `npm run schema` builds the schema from). */
export const COLLABORATION_RESOLVERS = [CollaborationGroupResolver, GroupMemberResolver];

/** Collaboration groups and their members. */
@Module({
  imports: [AuthModule, CollaborationModule],
  providers: [...COLLABORATION_RESOLVERS],
})
export class CollaborationApiModule {}
