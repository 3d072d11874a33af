import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AccessPolicy, CurrentActor } from '@samverka/auth';
import { AccessAction, AccessLogService, Actor, EmergencyAccessService } from '@samverka/domain';
import { toConnection } from '../../graphql/connection';
import {
  AccessLogEntryType,
  AccessLogSampleArgs,
  ChainReportType,
  EmergencyAccessArgs,
  EmergencyAccessConnection,
  EmergencyAccessType,
  OpenEmergencyAccessInput,
  PersonAccessLogArgs,
  ReviewEmergencyAccessInput,
  StaffAccessLogArgs,
} from './audit.types';

/** The access log's review queries (auditors only, who see no care data) and emergency access. */
@Resolver()
export class AuditResolver {
  constructor(
    private readonly access: AccessPolicy,
    private readonly log: AccessLogService,
    private readonly emergencies: EmergencyAccessService,
  ) {}

  @Query(() => [AccessLogEntryType], { description: "The person's log extract: who looked at the person's data, from which organisation, what and when (auditors)" })
  async accessLogForPerson(@Args() args: PersonAccessLogArgs, @CurrentActor() actor: Actor) {
    await this.access.authoriseAudit(actor, args.personId);
    return this.log.forPerson(args.personId, args, args);
  }

  @Query(() => [AccessLogEntryType], { description: 'What one staff member looked at (auditors)' })
  async accessLogForStaff(@Args() args: StaffAccessLogArgs, @CurrentActor() actor: Actor) {
    await this.access.authoriseAudit(actor, null);
    return this.log.forStaff(args.staffId, args, args);
  }

  @Query(() => [AccessLogEntryType], { description: 'A random sample of entries, for the systematic log checks (auditors)' })
  async accessLogSample(@Args() args: AccessLogSampleArgs, @CurrentActor() actor: Actor) {
    await this.access.authoriseAudit(actor, null);
    return this.log.sample(args.size, args);
  }

  @Query(() => ChainReportType, { description: 'Checks the hash chain of the whole access log (auditors)' })
  async accessLogVerification(@CurrentActor() actor: Actor) {
    await this.access.authoriseAudit(actor, null);
    return this.log.verify();
  }

  @Mutation(() => EmergencyAccessType, {
    description: "Opens a person's data beyond your normal rights for a few hours, stating why; logged as emergency access, the coordinator is notified and it is reviewed",
  })
  async openEmergencyAccess(@Args('input') input: OpenEmergencyAccessInput, @CurrentActor() actor: Actor) {
    this.access.assertCareStaff(actor);
    const opened = await this.emergencies.open(actor, input.personId, input.reason);
    // The opening itself is the first access on the emergency ground.
    await this.access.authorise(actor, [input.personId], AccessAction.READ_PERSON, 'openEmergencyAccess');
    return opened;
  }

  @Query(() => EmergencyAccessConnection, { description: 'Emergency accesses for review, newest first (auditors)' })
  async emergencyAccesses(@Args() args: EmergencyAccessArgs, @CurrentActor() actor: Actor) {
    this.access.assertAuditor(actor);
    const page = await this.emergencies.list(args, { unreviewedOnly: args.unreviewedOnly });
    await this.access.logAuditReview(actor, page.items.map((e) => e.personId), 'emergencyAccesses');
    return toConnection(page);
  }

  @Mutation(() => EmergencyAccessType, { description: 'Marks an emergency access as reviewed (auditors)' })
  async reviewEmergencyAccess(@Args('input') input: ReviewEmergencyAccessInput, @CurrentActor() actor: Actor) {
    this.access.assertAuditor(actor);
    const reviewed = await this.emergencies.review(actor, input.id, input.note ?? null);
    await this.access.logAuditReview(actor, [reviewed.personId], 'reviewEmergencyAccess');
    return reviewed;
  }
}
