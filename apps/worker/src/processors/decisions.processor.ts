import { Injectable, Logger } from '@nestjs/common';
import { CollaborationService, DischargeService, ProposalService } from '@samverka/domain';
import { JobName, JobPayloads, JobQueue } from '@samverka/infrastructure';
import { JobHandler } from '../runtime/job-handler.decorator';

@Injectable()
export class DecisionsProcessor {
  private readonly logger = new Logger('Decisions');

  constructor(
    private readonly proposals: ProposalService,
    private readonly discharges: DischargeService,
    private readonly jobs: JobQueue,
    private readonly collaboration: CollaborationService,
  ) {}

  @JobHandler(JobName.PROPOSAL_DEADLINE)
  async closeAtDeadline({ proposalId }: JobPayloads[JobName.PROPOSAL_DEADLINE]): Promise<{ status: string | null }> {
    const proposal = await this.proposals.closeIfDue(proposalId);
    return { status: proposal?.status ?? null };
  }

  /**
   * Every minute: memberships that began or ended by the calendar void open proposals; overdue proposals
   * close; pending requests whose job was lost are queued again (so a crash loses no decision).
   */
  @JobHandler(JobName.DECISION_SWEEP)
  async sweep(): Promise<{ changedGroups: number; closed: number; requeued: number }> {
    const changedGroups = await this.proposals.groupsChangedByCalendar();
    for (const groupId of changedGroups) await this.collaboration.recordCalendarChange(groupId);
    const overdue = await this.proposals.overdueIds();
    for (const id of overdue) await this.proposals.closeIfDue(id);
    const stale = await this.discharges.staleRequestIds();
    for (const requestId of stale) {
      // A new job id: the original job may still exist (failed) under the old one.
      await this.jobs.enqueue(
        JobName.DISCHARGE_EXECUTE,
        { requestId },
        { jobId: `discharge-${requestId}-sweep-${Date.now()}` },
      );
    }
    if (changedGroups.length || overdue.length || stale.length) {
      this.logger.log({
        event: 'decisions.swept',
        changedGroups: changedGroups.length,
        overdueProposals: overdue.length,
        requeuedDischarges: stale.length,
        msg: `Sweep: ${changedGroups.length} groups changed by the calendar, ${overdue.length} overdue proposals closed, ${stale.length} discharge requests re-enqueued`,
      });
    }
    return { changedGroups: changedGroups.length, closed: overdue.length, requeued: stale.length };
  }

  @JobHandler(JobName.DISCHARGE_EXECUTE)
  async executeDischarge({ requestId }: JobPayloads[JobName.DISCHARGE_EXECUTE]): Promise<{ status: string | null }> {
    const request = await this.discharges.executeDischarge(requestId);
    return { status: request?.status ?? null };
  }
}
