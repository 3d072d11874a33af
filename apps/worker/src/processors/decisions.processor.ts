import { Injectable, Logger } from '@nestjs/common';
import { CareEpisodeService, JobName, JobPayloads, JobQueue, ProposalService } from '@samverka/domain';
import { JobHandler } from '../runtime/job-handler.decorator';

@Injectable()
export class DecisionsProcessor {
  private readonly logger = new Logger('Decisions');

  constructor(
    private readonly proposals: ProposalService,
    private readonly episodes: CareEpisodeService,
    private readonly jobs: JobQueue,
  ) {}

  @JobHandler(JobName.PROPOSAL_DEADLINE)
  async closeAtDeadline({ proposalId }: JobPayloads[JobName.PROPOSAL_DEADLINE]): Promise<{ status: string | null }> {
    const proposal = await this.proposals.closeIfDue(proposalId);
    return { status: proposal?.status ?? null };
  }

  /** The safety net that makes a lost job harmless: overdue proposals close, pending requests are decided. */
  @JobHandler(JobName.DECISION_SWEEP)
  async sweep(): Promise<{ closed: number; requeued: number }> {
    const overdue = await this.proposals.overdueIds();
    for (const id of overdue) await this.proposals.closeIfDue(id);
    const stale = await this.episodes.staleRequestIds();
    for (const requestId of stale) {
      // A new job id: the original job may still exist (failed) under the old one.
      await this.jobs.enqueue(JobName.DISCHARGE_EXECUTE, { requestId }, { jobId: `discharge-${requestId}-sweep-${Date.now()}` });
    }
    if (overdue.length || stale.length) this.logger.log(`Sweep: closed ${overdue.length} overdue proposals, re-enqueued ${stale.length} discharge requests`);
    return { closed: overdue.length, requeued: stale.length };
  }

  @JobHandler(JobName.DISCHARGE_EXECUTE)
  async executeDischarge({ requestId }: JobPayloads[JobName.DISCHARGE_EXECUTE]): Promise<{ status: string | null }> {
    const request = await this.episodes.executeDischarge(requestId);
    return { status: request?.status ?? null };
  }
}
