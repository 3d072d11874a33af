import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, AppConfig, redisClient } from '@samverka/infrastructure';

export enum DecisionEventKind {
  PROPOSAL_OPENED = 'PROPOSAL_OPENED',
  VOTE_CAST = 'VOTE_CAST',
  PROPOSAL_CLOSED = 'PROPOSAL_CLOSED',
  DISCHARGE_REQUESTED = 'DISCHARGE_REQUESTED',
  DISCHARGE_EXECUTED = 'DISCHARGE_EXECUTED',
  DISCHARGE_REJECTED = 'DISCHARGE_REJECTED',
  EPISODE_ENDED = 'EPISODE_ENDED',
}

/** What happened, by ids only: no personal data travels through Redis. Subscribers load the rest with access checks. */
export interface DecisionEvent {
  kind: DecisionEventKind;
  personId: string;
  proposalId?: string | null;
  episodeId?: string | null;
  requestId?: string | null;
  /** The new status of the proposal, episode or request. */
  status?: string | null;
  occurredAt: string;
}

export function decisionEvent(
  kind: DecisionEventKind,
  personId: string,
  ids: Omit<DecisionEvent, 'kind' | 'personId' | 'occurredAt'>,
): DecisionEvent {
  return { kind, personId, ...ids, occurredAt: new Date().toISOString() };
}

/**
 * Publishes decision events through Redis so that every API instance can deliver them to its
 * subscribers. Events are published after the transaction that caused them has committed.
 */
@Injectable()
export class DecisionEventBus implements OnApplicationShutdown {
  private publisher?: Redis;
  private subscriber?: Redis;
  private readonly listeners = new Set<(event: DecisionEvent) => void>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private get channel(): string {
    return `${this.config.QUEUE_PREFIX}:decision-events`;
  }

  async publish(events: DecisionEvent[]): Promise<void> {
    if (events.length === 0) return;
    this.publisher ??= redisClient(this.config, { maxRetriesPerRequest: 3 });
    const pipeline = this.publisher.pipeline();
    for (const event of events) pipeline.publish(this.channel, JSON.stringify(event));
    await pipeline.exec();
  }

  /** Calls `listener` for every event published by any process; returns the function that stops it. */
  async subscribe(listener: (event: DecisionEvent) => void): Promise<() => void> {
    if (!this.subscriber) {
      this.subscriber = redisClient(this.config, { maxRetriesPerRequest: null });
      this.subscriber.on('message', (_channel: string, message: string) => {
        const event = JSON.parse(message) as DecisionEvent;
        for (const l of this.listeners) l(event);
      });
      await this.subscriber.subscribe(this.channel);
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async onApplicationShutdown(): Promise<void> {
    this.publisher?.disconnect();
    this.subscriber?.disconnect();
  }
}
