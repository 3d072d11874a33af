import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AccessPolicy, CurrentActor } from '@samverka/auth';
import { AccessAction, AccessLogService, Actor, EmergencyAccessService } from '@samverka/domain';
import { toConnection } from '../../graphql/connection';
import { GraphQLContext } from '../../graphql/graphql-context';
import { OrganisationType } from '../organisation/organisation.types';
import { StaffMemberType } from '../staff/staff.types';
import { EpisodeEndingType } from '../decisions/decisions.types';
import { ProtectedIdentityChangeType } from '../person/protected-identity.types';
import {
  AccessLogEntryType,
  AccessLogExtractType,
  AccessLogSampleArgs,
  ChainReportType,
  EmergencyAccessArgs,
  EmergencyAccessConnection,
  EmergencyAccessType,
  ExtractPageArgs,
  IdentityNumberAccessLogArgs,
  OpenEmergencyAccessInput,
  PersonAccessLogArgs,
  ReviewAccessLogEntryInput,
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

  @Query(() => [AccessLogEntryType], {
    description:
      "The person's log extract: who looked at the person's data, from which organisation, what and when (auditors)",
  })
  async accessLogForPerson(@Args() args: PersonAccessLogArgs, @CurrentActor() actor: Actor) {
    await this.access.authoriseAudit(actor, args.personId);
    return this.log.forPerson(args.personId, args, args);
  }

  @Query(() => AccessLogExtractType, {
    description:
      "The log extract a person asks for, found by their identity number (auditors, who may not search the register): whether the number is held, and who looked at the holder's data; reading it is logged against the person",
  })
  async accessLogForIdentityNumber(@Args() args: IdentityNumberAccessLogArgs, @CurrentActor() actor: Actor) {
    this.access.assertAuditor(actor);
    const personIds = await this.log.personsHolding(args.identityNumber);
    for (const personId of personIds) await this.access.authoriseAudit(actor, personId);
    return { registered: personIds.length > 0, personIds, from: args.from ?? null, to: args.to ?? null };
  }

  @Query(() => [AccessLogEntryType], { description: 'What one staff member looked at (auditors)' })
  async accessLogForStaff(@Args() args: StaffAccessLogArgs, @CurrentActor() actor: Actor) {
    await this.access.authoriseAudit(actor, null);
    return this.log.forStaff(args.staffId, args, args);
  }

  @Query(() => [AccessLogEntryType], {
    description: 'A random sample of entries, for the systematic log checks (auditors)',
  })
  async accessLogSample(@Args() args: AccessLogSampleArgs, @CurrentActor() actor: Actor) {
    await this.access.authoriseAudit(actor, null);
    return this.log.sample(args.size, args, args.seed);
  }

  @Mutation(() => AccessLogEntryType, {
    description:
      'Marks an access-log entry reviewed in the systematic log check, noting what was found (auditors; once, never changed; logged against its person)',
  })
  async reviewAccessLogEntry(@Args('input') input: ReviewAccessLogEntryInput, @CurrentActor() actor: Actor) {
    this.access.assertAuditor(actor);
    const reviewed = await this.log.review(actor.staffId, input.entryId, input.note ?? null);
    await this.access.logAuditReview(actor, [reviewed.personId], 'reviewAccessLogEntry');
    return reviewed;
  }

  @Query(() => ChainReportType, { description: 'Checks the hash chain of the whole access log (auditors)' })
  async accessLogVerification(@CurrentActor() actor: Actor) {
    await this.access.authoriseAudit(actor, null);
    return this.log.verify();
  }

  @Mutation(() => EmergencyAccessType, {
    description:
      "Opens a person's data beyond your normal rights for a few hours, stating why; logged as emergency access, the coordinator is notified and it is reviewed",
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
    await this.access.logAuditReview(
      actor,
      page.items.map((e) => e.personId),
      'emergencyAccesses',
    );
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

/** Who opened an emergency access, and from which organisation: names an auditor can read (no person data). */
@Resolver(() => EmergencyAccessType)
export class EmergencyAccessFieldsResolver {
  @ResolveField(() => StaffMemberType)
  staff(@Parent() access: EmergencyAccessType, @Context() ctx: GraphQLContext) {
    return ctx.loaders.staff.load(access.staffId);
  }

  @ResolveField(() => OrganisationType)
  organisation(@Parent() access: EmergencyAccessType, @Context() ctx: GraphQLContext) {
    return ctx.loaders.organisation.load(access.organisationId);
  }
}

/** Who changed a protection level: a name for the auditor's review. */
@Resolver(() => ProtectedIdentityChangeType)
export class ProtectedIdentityChangeFieldsResolver {
  @ResolveField(() => StaffMemberType, { description: 'Who made the change' })
  changedByStaff(@Parent() change: ProtectedIdentityChangeType, @Context() ctx: GraphQLContext) {
    return ctx.loaders.staff.load(change.changedBy);
  }
}

/** Who recorded an ending, and whose episode it was: names for the auditor's review. */
@Resolver(() => EpisodeEndingType)
export class EpisodeEndingFieldsResolver {
  @ResolveField(() => StaffMemberType, { description: 'Who recorded the ending' })
  endedByStaff(@Parent() ending: EpisodeEndingType, @Context() ctx: GraphQLContext) {
    return ctx.loaders.staff.load(ending.endedBy);
  }

  @ResolveField(() => OrganisationType, { description: 'The organisation whose episode ended' })
  organisation(@Parent() ending: EpisodeEndingType, @Context() ctx: GraphQLContext) {
    return ctx.loaders.organisation.load(ending.organisationId);
  }
}

/** The extract's entries, a page at a time (the page size is this field's, so the query's cost counts it once). */
@Resolver(() => AccessLogExtractType)
export class AccessLogExtractResolver {
  constructor(private readonly log: AccessLogService) {}

  @ResolveField(() => [AccessLogEntryType], { description: 'Newest first; none when the number is not registered' })
  async entries(@Parent() extract: AccessLogExtractType, @Args() page: ExtractPageArgs) {
    if (extract.personIds.length === 0) return [];
    return this.log.forIdentityNumber(extract.personIds, { from: extract.from, to: extract.to }, page);
  }
}
