import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor } from '../actor';
import { DomainError } from '../errors/domain-error';
import { decodeCursor, encodeCursor, Page, PageRequest, toPage } from '../pagination/page';
import { ContactEntry } from './contact-entry.entity';
import { ContactKind } from './contact-kind';

@Injectable()
export class TimelineService {
  constructor(private readonly db: DataSource) {}

  async record(
    actor: Actor,
    personId: string,
    input: { occurredAt: Date; kind: ContactKind; location?: string | null; summary: string },
  ): Promise<ContactEntry> {
    if (input.occurredAt.getTime() > Date.now() + 5 * 60_000) {
      throw DomainError.invalid(
        'occurredAt',
        'A contact cannot be recorded in the future; use a meeting for planned contacts',
      );
    }
    const repo = this.db.getRepository(ContactEntry);
    return repo.save(
      repo.create({
        personId,
        staffId: actor.staffId,
        occurredAt: input.occurredAt,
        kind: input.kind,
        location: input.location ?? null,
        summary: input.summary,
      }),
    );
  }

  /** The latest contacts recorded by staff of one organisation (that organisation's own records), newest first. */
  recordedByOrganisation(personId: string, organisationId: string, limit = 10): Promise<ContactEntry[]> {
    return this.db
      .getRepository(ContactEntry)
      .createQueryBuilder('c')
      .innerJoin('staff_member', 's', 's.id = c.staff_id')
      .where('c.person_id = :personId AND s.organisation_id = :organisationId', { personId, organisationId })
      .orderBy('c.occurred_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(limit)
      .getMany();
  }

  /** Newest first, keyset-paginated on (occurred_at, id). */
  async list(personId: string, page: PageRequest, filter: { kind?: ContactKind } = {}): Promise<Page<ContactEntry>> {
    const after = decodeCursor(page.after, 'moment');
    const qb = this.db
      .getRepository(ContactEntry)
      .createQueryBuilder('c')
      .where('c.person_id = :personId', { personId })
      .orderBy('c.occurred_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(page.first + 1);
    if (filter.kind) qb.andWhere('c.kind = :kind', { kind: filter.kind });
    if (after) qb.andWhere('(c.occurred_at, c.id) < (:at, :id)', { at: after.sortKey, id: after.id });
    return toPage(await qb.getMany(), page, (c) => encodeCursor(c.occurredAt.toISOString(), c.id));
  }
}
