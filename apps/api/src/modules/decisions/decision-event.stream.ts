import { Injectable, Logger } from '@nestjs/common';
import { AccessPolicy, TokenService } from '@samverka/auth';
import { AccessAction, Actor, DecisionEvent, DecisionEventBus, isIntegrationClient } from '@samverka/domain';
import { GraphQLContext } from '../../graphql/graphql-context';
import { primeWithheld } from '../../graphql/withheld';

// Events cross Redis as JSON, so occurredAt arrives as an ISO string; the DateTime scalar serialises a Date.
type Payload = { decisionEvents: Omit<DecisionEvent, 'occurredAt'> & { occurredAt: Date } };

/** One open decisionEvents subscription of this process. */
interface Subscriber {
  ctx: GraphQLContext;
  /** Who opened it: which events may concern it is found by these (the actor is decided anew for each event). */
  staffId: string;
  organisationId: string;
  client: boolean;
  /** The one person it asked for, or null for every person the actor may see. */
  personId: string | null;
  deliver(payload: Payload): void;
  fail(error: unknown): void;
}

/**
 * The decision events of this API process fanned out to its subscribers. An event costs work only for the
 * subscriptions it may concern: one statement finds whom the event's person may concern now (a place in the
 * person's group or ACT team, an emergency access: AccessPolicy.concerned), and for those subscriptions alone the
 * token or session is checked again and the access decided and logged, for all of them in one statement
 * (AccessPolicy.authoriseRecipients). Nothing about relations is cached: leaving a collaboration group, a withdrawn
 * consent or being deactivated stops the events at the next one, and every delivery is in the access log.
 */
@Injectable()
export class DecisionEventStream {
  private readonly logger = new Logger(DecisionEventStream.name);
  /** Staff members' subscriptions by staff id; integration clients' by organisation (they act for it). */
  private readonly byStaff = new Map<string, Set<Subscriber>>();
  private readonly byOrganisation = new Map<string, Set<Subscriber>>();
  /** Inboxes told of the events of persons their staff member has a place with (NotificationResolver). */
  private readonly inboxes = new Map<string, Set<() => void>>();
  private listening?: Promise<unknown>;
  /**
   * Events are decided as they come, several at once, but delivered one after the other, so each subscriber gets
   * them in the order they were published.
   */
  private chain = Promise.resolve();

  constructor(
    private readonly bus: DecisionEventBus,
    private readonly access: AccessPolicy,
    private readonly tokens: TokenService,
  ) {}

  private listen(): Promise<unknown> {
    this.listening ??= this.bus.subscribe((event) => {
      const decided = this.decide(event);
      // decide ends the subscriptions it cannot serve; nothing it throws may stop the events after it.
      this.chain = this.chain.then(() => decided.then((deliver) => deliver())).catch(() => undefined);
    });
    return this.listening;
  }

  /**
   * Calls `poke` when a decision event concerns a person the staff member has a place with now (the decision
   * notifications go to the person's group, written with the event); returns the function that stops it.
   */
  async watchInbox(staffId: string, poke: () => void): Promise<() => void> {
    await this.listen();
    const set = this.inboxes.get(staffId) ?? new Set();
    this.inboxes.set(staffId, set.add(poke));
    return () => remove(this.inboxes, staffId, poke);
  }

  open(ctx: GraphQLContext, personId: string | null): AsyncIterableIterator<Payload> {
    const ready: Payload[] = [];
    const waiting: Array<(result: IteratorResult<Payload>) => void> = [];
    let failure: unknown = null;
    let done = false;
    let unsubscribe: (() => void) | null = null;

    const finish = () => {
      done = true;
      unsubscribe?.();
      while (waiting.length) waiting.shift()!({ value: undefined, done: true });
    };
    const subscribed = (async () => {
      try {
        const actor = ctx.actor ?? (await this.tokens.authenticateContext(ctx, { touch: false }));
        await this.listen();
        if (done) return;
        const subscriber: Subscriber = {
          ctx,
          staffId: actor.staffId,
          organisationId: actor.organisationId,
          client: isIntegrationClient(actor),
          personId,
          deliver: (payload) => {
            if (done) return;
            const next = waiting.shift();
            if (next) next({ value: payload, done: false });
            else ready.push(payload);
          },
          fail: (error) => {
            failure = error;
            finish();
          },
        };
        unsubscribe = this.add(subscriber);
      } catch (error) {
        failure = error;
        finish();
      }
    })();

    const iterator: AsyncIterableIterator<Payload> = {
      next: async () => {
        await subscribed;
        if (ready.length) return { value: ready.shift()!, done: false };
        if (failure) throw failure;
        if (done) return { value: undefined, done: true };
        return new Promise((resolve) => waiting.push(resolve));
      },
      return: async () => {
        finish();
        return { value: undefined, done: true };
      },
      throw: async (error?: unknown) => {
        finish();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  private add(subscriber: Subscriber): () => void {
    const [index, key] = subscriber.client
      ? [this.byOrganisation, subscriber.organisationId]
      : [this.byStaff, subscriber.staffId];
    index.set(key, (index.get(key) ?? new Set()).add(subscriber));
    return () => remove(index, key, subscriber);
  }

  /** Whom the event goes to, decided and logged; returns the delivery, to be made in the order of publication. */
  private async decide(event: DecisionEvent): Promise<() => void> {
    const none = () => undefined;
    if (this.byStaff.size === 0 && this.byOrganisation.size === 0 && this.inboxes.size === 0) return none;
    let candidates: Subscriber[] = [];
    try {
      const concerned = await this.access.concerned(event.personId);
      for (const staffId of concerned.staff) this.inboxes.get(staffId)?.forEach((poke) => poke());
      const subscribed = [
        ...[...concerned.staff].flatMap((id) => [...(this.byStaff.get(id) ?? [])]),
        ...[...concerned.organisations].flatMap((id) => [...(this.byOrganisation.get(id) ?? [])]),
      ];
      candidates = subscribed.filter((s) => s.personId === null || s.personId === event.personId);
      if (candidates.length === 0) return none;

      // The token or session of each is checked again (expiry, an ended session, deactivation, a changed role),
      // once per credential; one that fails ends its own subscription only.
      const checks = new Map<unknown, Promise<Actor>>();
      const actors = await Promise.all(
        candidates.map((s) => {
          const credential = s.ctx.authorization ?? s.ctx.session ?? s.ctx;
          if (!checks.has(credential)) checks.set(credential, this.tokens.authenticateContext(s.ctx, { touch: false }));
          return checks.get(credential)!.then(
            (actor): Actor => ({ ...actor, clientAddress: s.ctx.clientAddress ?? null }),
            (error: unknown) => {
              s.fail(error);
              return null;
            },
          );
        }),
      );
      const live = candidates.filter((_, i) => actors[i] !== null);
      const recipients = actors.filter((a): a is Actor => a !== null);
      candidates = live;
      // Decided (and logged) for every event: the fields of the event are hidden by what is withheld now.
      const visible = await this.access.authoriseRecipients(
        recipients,
        event.personId,
        AccessAction.READ_EVENT,
        'decisionEvents',
      );
      return () => {
        for (const [i, withheld] of visible) {
          const { ctx } = live[i];
          ctx.actor = recipients[i];
          ctx.loaders.person.clear(event.personId);
          ctx.loaders.proposalsByPerson.clear(event.personId);
          primeWithheld(ctx, event.personId, withheld);
          live[i].deliver({ decisionEvents: { ...event, occurredAt: new Date(event.occurredAt) } });
        }
      };
    } catch (error) {
      // The decision could not be made (the database is away): the subscriptions it concerned end with the error.
      this.logger.warn(`A decision event could not be delivered: ${String(error)}`);
      const ended = candidates.length ? candidates : this.everyone();
      return () => ended.forEach((s) => s.fail(error));
    }
  }

  private everyone(): Subscriber[] {
    return [...this.byStaff.values(), ...this.byOrganisation.values()].flatMap((set) => [...set]);
  }
}

function remove<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) index.delete(key);
}
