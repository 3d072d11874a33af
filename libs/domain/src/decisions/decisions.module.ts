import { Module } from '@nestjs/common';
import { CollaborationModule } from '../collaboration/collaboration.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { DecisionEventBus } from './decision-events';
import { ProposalService } from './proposal.service';

/** Joint decisions of a collaboration group: proposals, votes, consensus, and their event stream. */
@Module({
  imports: [CollaborationModule, NotificationsModule],
  providers: [ProposalService, DecisionEventBus],
  exports: [ProposalService, DecisionEventBus],
})
export class DecisionsModule {}
