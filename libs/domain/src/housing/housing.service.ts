import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { DomainError } from '../errors/domain-error';
import { Organisation } from '../organisation/organisation.entity';
import { addDays } from '../time';
import { HousingKind } from './housing-kind';
import { HousingPlacement } from './housing-placement.entity';
import { entityColumns } from '../database/entity-sql';
import { sql } from '../database/sql';

/** Every housing placement of the persons $1, latest first (also part of the overview's one statement, OVERVIEW_BUNDLE_SQL). */
export const HOUSING_HISTORY_SQL = `SELECT ${entityColumns(HousingPlacement, 'h')} FROM housing_placement h WHERE h.person_id = ANY($1::uuid[]) ORDER BY h.started_on DESC, h.id`;

@Injectable()
export class HousingService {
  constructor(private readonly db: DataSource) {}

  /**
   * Records a move. The person lives in one place at a time, so the current placement ends
   * the day before the new one starts.
   */
  async recordMove(
    personId: string,
    input: {
      kind: HousingKind;
      startedOn: string;
      providerOrganisationId?: string | null;
      address?: string | null;
      note?: string | null;
    },
  ): Promise<HousingPlacement> {
    return this.db.transaction(async (tx) => {
      await sql(tx, 'SELECT 1 FROM person WHERE id = $1 FOR UPDATE', [personId]);
      if (
        input.providerOrganisationId &&
        !(await tx.getRepository(Organisation).existsBy({ id: input.providerOrganisationId }))
      ) {
        throw DomainError.invalid('providerOrganisationId', 'No organisation with that id');
      }
      const repo = tx.getRepository(HousingPlacement);
      const latest = await repo.findOne({ where: { personId }, order: { startedOn: 'DESC' } });
      if (latest && latest.startedOn >= input.startedOn) {
        throw DomainError.invalid(
          'startedOn',
          `The move must be after the latest placement started (${latest.startedOn})`,
        );
      }
      const current = await repo.findOneBy({ personId, endedOn: IsNull() });
      if (current) {
        current.endedOn = addDays(input.startedOn, -1);
        await repo.save(current);
      }
      return repo.save(
        repo.create({
          personId,
          kind: input.kind,
          startedOn: input.startedOn,
          providerOrganisationId: input.providerOrganisationId ?? null,
          address: input.address ?? null,
          note: input.note ?? null,
          endedOn: null,
        }),
      );
    });
  }

  historyByPersonIds(personIds: readonly string[]): Promise<HousingPlacement[]> {
    return sql<HousingPlacement>(this.db, HOUSING_HISTORY_SQL, [personIds]);
  }
}
