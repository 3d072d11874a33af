import { Injectable } from '@nestjs/common';
import { AccessPolicy, TokenService } from '@samverka/auth';
import { AccessAction, DecisionEvent, DecisionEventBus } from '@samverka/domain';
import { GraphQLContext } from '../../graphql/graphql-context';
import { primeWithheld } from '../../graphql/withheld';

// Events cross Redis as JSON, so occurredAt arrives as an ISO string; the DateTime scalar serialises a Date.
type Payload = { decisionEvents: Omit<DecisionEvent, 'occurredAt'> & { occurredAt: Date } };

/**
 * One subscriber's stream of decision events. Every event is checked again before delivery: the
 * token or session must still be valid and the staff member must still be allowed to see the person, so
 * leaving a collaboration group, a withdrawn consent (or being deactivated) stops the events at once.
 */
@Injectable()
export class DecisionEventStream {
  constructor(
    private readonly bus: DecisionEventBus,
    private readonly access: AccessPolicy,
    private readonly tokens: TokenService,
  ) {}

  open(ctx: GraphQLContext, personId: string | null): AsyncIterableIterator<Payload> {
    const ready: Payload[] = [];
    const waiting: Array<(result: IteratorResult<Payload>) => void> = [];
    let failure: unknown = null;
    let done = false;
    let chain = Promise.resolve();
    let unsubscribe: (() => void) | null = null;

    const deliver = (payload: Payload) => {
      const next = waiting.shift();
      if (next) next({ value: payload, done: false });
      else ready.push(payload);
    };
    const finish = () => {
      done = true;
      unsubscribe?.();
      while (waiting.length) waiting.shift()!({ value: undefined, done: true });
    };

    const subscribed = this.bus.subscribe((event) => {
      if (done || (personId && event.personId !== personId)) return;
      // Sequential checks keep the events in the order they were published.
      chain = chain.then(async () => {
        try {
          const actor = await this.tokens.authenticateContext(ctx, { touch: false });
          // Decided (and logged) again for every event: a withdrawn consent stops the stream at once, and
          // the fields of the event are hidden by what is withheld now, not when the subscription began.
          const visible = await this.access.authoriseWithLimits(
            actor,
            [event.personId],
            AccessAction.READ_EVENT,
            'decisionEvents',
          );
          const withheld = visible.get(event.personId);
          if (!withheld || done) return;
          ctx.actor = actor;
          ctx.loaders.person.clear(event.personId);
          ctx.loaders.proposalsByPerson.clear(event.personId);
          primeWithheld(ctx, event.personId, withheld);
          deliver({ decisionEvents: { ...event, occurredAt: new Date(event.occurredAt) } });
        } catch (error) {
          failure = error;
          finish();
        }
      });
    });
    subscribed.then((stop) => (done ? stop() : (unsubscribe = stop)));

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
}
