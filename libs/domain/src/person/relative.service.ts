import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../errors/domain-error';
import { NoticeKind } from '../notifications/notification-kind';
import { NotificationService } from '../notifications/notification.service';
import { today } from '../time';
import { Relative } from './relative.entity';

export interface NewRelative {
  name: string;
  relation: string;
  phone?: string | null;
  mayParticipate?: boolean;
  supportNeeds?: string | null;
}

export type RelativeChanges = Partial<NewRelative>;

/** The notification kind for a change to a person's relatives; the message names nobody. */
export const RELATIVES_CHANGED_NOTIFICATION = NoticeKind.RELATIVES_CHANGED;

/**
 * A person's relatives (anhöriga): added, changed and ended, never deleted. Ending is dated by the server on
 * the day it is recorded, so it can never be back-dated, and an ended relative is not changed again (the
 * database refuses it too: relative_guard). Each change is told to the collaboration group. Whether the
 * actor may write the person's data is the access policy's decision (and access-log entry), made first.
 */
@Injectable()
export class RelativeService {
  constructor(
    private readonly db: DataSource,
    private readonly notifications: NotificationService,
  ) {}

  /** The person a relative belongs to (null when there is no such relative), for the access decision. */
  async personOf(relativeId: string): Promise<string | null> {
    const relative = await this.db
      .getRepository(Relative)
      .findOne({ where: { id: relativeId }, select: { id: true, personId: true } });
    return relative?.personId ?? null;
  }

  async add(personId: string, input: NewRelative): Promise<Relative> {
    return this.changing(personId, async (tx) => {
      const repo = tx.getRepository(Relative);
      return repo.save(
        repo.create({
          personId,
          name: required('name', input.name),
          relation: required('relation', input.relation),
          phone: input.phone?.trim() || null,
          mayParticipate: input.mayParticipate ?? false,
          supportNeeds: input.supportNeeds?.trim() || null,
          endedOn: null,
        }),
      );
    });
  }

  async update(relativeId: string, changes: RelativeChanges): Promise<Relative> {
    return this.changingRelative(relativeId, async (tx, relative) => {
      if (changes.name !== undefined) relative.name = required('name', changes.name);
      if (changes.relation !== undefined) relative.relation = required('relation', changes.relation);
      if (changes.phone !== undefined) relative.phone = changes.phone?.trim() || null;
      if (changes.mayParticipate !== undefined) relative.mayParticipate = changes.mayParticipate;
      if (changes.supportNeeds !== undefined) relative.supportNeeds = changes.supportNeeds?.trim() || null;
      return tx.getRepository(Relative).save(relative);
    });
  }

  /** Ends the relative's involvement today (they no longer take part, e.g. the person withdrew their agreement). */
  async end(relativeId: string): Promise<Relative> {
    return this.changingRelative(relativeId, async (tx, relative) => {
      relative.endedOn = today();
      return tx.getRepository(Relative).save(relative);
    });
  }

  /** Current relatives of each person (ended ones are kept but not listed), by name. */
  async currentByPersonIds(ids: readonly string[]): Promise<Relative[]> {
    return this.db
      .getRepository(Relative)
      .createQueryBuilder('r')
      .where('r.person_id = ANY(:ids) AND r.ended_on IS NULL', { ids: [...ids] })
      .orderBy('r.name', 'ASC')
      .getMany();
  }

  private async changingRelative(
    relativeId: string,
    work: (tx: EntityManager, relative: Relative) => Promise<Relative>,
  ): Promise<Relative> {
    const personId = await this.personOf(relativeId);
    if (!personId) throw DomainError.notFound('relative');
    return this.changing(personId, async (tx) => {
      const relative = await tx
        .getRepository(Relative)
        .findOne({ where: { id: relativeId }, lock: { mode: 'pessimistic_write' } });
      if (!relative) throw DomainError.notFound('relative');
      if (relative.endedOn !== null) throw DomainError.invalidState('The relative has ended and is no longer changed');
      return work(tx, relative);
    });
  }

  /** Runs a change in a transaction that also tells the group; the live inboxes hear of it after commit. */
  private async changing(personId: string, work: (tx: EntityManager) => Promise<Relative>): Promise<Relative> {
    let recipients: string[] = [];
    const result = await this.db.transaction(async (tx) => {
      const changed = await work(tx);
      recipients = await this.notifications.notifyGroup(tx, personId, RELATIVES_CHANGED_NOTIFICATION);
      return changed;
    });
    await this.notifications.announce(recipients);
    return result;
  }
}

function required(field: string, value: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw DomainError.invalid(field, `${field} should not be empty`);
  return trimmed;
}
