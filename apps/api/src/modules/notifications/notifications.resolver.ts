import { Args, Context, ID, Int, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { AccessPolicy, CurrentActor, isUuid, TokenService } from '@samverka/auth';
import { AccessAction, Actor, DomainError, Notification, NotificationService } from '@samverka/domain';
import { GraphQLContext } from '../../graphql/graphql-context';
import { primeWithheld } from '../../graphql/withheld';
import { DecisionEventStream } from '../decisions/decision-event.stream';
import { NotificationType, toNotificationType } from './notifications.types';

/**
 * The in-app inbox: every staff member sees only their own notifications, and of those only the ones about
 * persons the access policy lets them see now (a withdrawn consent or an ended membership hides them at
 * once); showing one is logged like any other read of the person.
 */
@Resolver(() => NotificationType)
export class NotificationResolver {
  constructor(
    private readonly inbox: NotificationService,
    private readonly tokens: TokenService,
    private readonly decisions: DecisionEventStream,
    private readonly access: AccessPolicy,
  ) {}

  private async visible(actor: Actor, items: Notification[]): Promise<Notification[]> {
    const allowed = await this.access.authorise(
      actor,
      items.map((n) => n.personId),
      AccessAction.READ_PERSON,
      'notifications',
    );
    return items.filter((n) => allowed.has(n.personId));
  }

  @Query(() => [NotificationType], { description: 'Your latest notifications, newest first' })
  async notifications(
    @CurrentActor() actor: Actor,
    @Args('unreadOnly', { defaultValue: false }) unreadOnly: boolean,
    @Args('limit', { type: () => Int, defaultValue: 50 }) limit: number,
  ) {
    return (
      await this.visible(
        actor,
        await this.inbox.forRecipient(actor.staffId, Math.min(Math.max(limit, 1), 200), unreadOnly),
      )
    ).map(toNotificationType);
  }

  @Query(() => Int, { description: 'How many of your notifications (about persons you may see) are unread' })
  async unreadNotificationCount(@CurrentActor() actor: Actor) {
    const unread = await this.inbox.unreadByPerson(actor.staffId);
    const allowed = await this.access.authorise(actor, [...unread.keys()], AccessAction.READ_PERSON, 'notifications');
    return [...unread].reduce((sum, [personId, n]) => sum + (allowed.has(personId) ? n : 0), 0);
  }

  @Mutation(() => Boolean)
  async markNotificationsRead(@Args('ids', { type: () => [ID] }) ids: string[], @CurrentActor() actor: Actor) {
    if (!ids.every(isUuid)) throw DomainError.invalid('ids', 'every id must be a UUID');
    await this.inbox.markRead(actor.staffId, ids);
    return true;
  }

  @Mutation(() => Int, { description: 'Marks all your notifications read; returns how many were unread' })
  markAllNotificationsRead(@CurrentActor() actor: Actor) {
    return this.inbox.markRead(actor.staffId, 'all');
  }

  @Subscription(() => NotificationType, {
    description: 'Your new notifications as they arrive (the token or session is checked again for each)',
  })
  notificationReceived(@Context() ctx: GraphQLContext) {
    return this.stream(ctx);
  }

  /**
   * Announcements carry a staff id only; the notifications themselves are read here, those newer than
   * the last one sent.
   */
  private async *stream(ctx: GraphQLContext): AsyncGenerator<{ notificationReceived: NotificationType }> {
    const actor = await this.tokens.authenticateContext(ctx, { touch: false });
    let since = new Date();
    const seen = new Set<string>();
    let wake: (() => void) | null = null;
    let pending = false;
    const poke = () => {
      pending = true;
      wake?.();
    };
    const stopInbox = await this.inbox.subscribe((staffId) => staffId === actor.staffId && poke());
    // Decision notifications (a proposal opened, closed or voided) are written with their decision events, to the
    // person's group: only the events of persons this staff member has a place with can bring one.
    const stopDecisions = await this.decisions.watchInbox(actor.staffId, poke);
    try {
      for (;;) {
        if (!pending) await new Promise<void>((resolve) => (wake = resolve));
        pending = false;
        wake = null;
        // A deactivated staff member, an expired token or an ended session ends the stream.
        await this.tokens.authenticateContext(ctx, { touch: false });
        const fresh = (await this.inbox.forRecipient(actor.staffId, 50))
          .filter((n) => n.createdAt >= since && !seen.has(n.id))
          .reverse();
        // What is withheld is decided with each batch, so a message is hidden by the limitations in force now.
        const limits = await this.access.authoriseWithLimits(
          actor,
          fresh.map((n) => n.personId),
          AccessAction.READ_PERSON,
          'notifications',
        );
        for (const [personId, withheld] of limits) primeWithheld(ctx, personId, withheld);
        ctx.actor = actor;
        const shown = new Set(fresh.filter((n) => limits.has(n.personId)).map((n) => n.id));
        for (const n of fresh) {
          if (!shown.has(n.id)) {
            seen.add(n.id);
            continue;
          }
          seen.add(n.id);
          since = n.createdAt;
          yield { notificationReceived: toNotificationType(n) };
        }
      }
    } finally {
      stopInbox();
      stopDecisions();
    }
  }
}
