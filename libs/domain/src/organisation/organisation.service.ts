import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { DomainError } from '../errors/domain-error';
import { decodeCursor, encodeCursor, Page, PageRequest, toPage } from '../pagination/page';
import { Organisation } from './organisation.entity';
import { OrganisationKind, Principal } from './organisation.enums';
import { Unit } from './unit.entity';

/** Which kinds of organisation belong to which principal; anything else is a data-entry mistake. */
const PRINCIPAL_OF_KIND: Record<OrganisationKind, Principal[]> = {
  [OrganisationKind.DISTRICT_SOCIAL_SERVICES]: [Principal.MUNICIPALITY],
  [OrganisationKind.CITY_HOMELESSNESS_UNIT]: [Principal.MUNICIPALITY],
  [OrganisationKind.PSYCHIATRIC_CLINIC]: [Principal.REGION],
  [OrganisationKind.ADDICTION_CARE]: [Principal.REGION],
  [OrganisationKind.PRIMARY_CARE]: [Principal.REGION],
  [OrganisationKind.NGO]: [Principal.OTHER],
  [OrganisationKind.HOUSING_PROVIDER]: [Principal.OTHER, Principal.MUNICIPALITY],
  [OrganisationKind.OTHER]: [Principal.MUNICIPALITY, Principal.REGION, Principal.OTHER],
};

@Injectable()
export class OrganisationService {
  constructor(private readonly db: DataSource) {}

  async create(input: { name: string; principal: Principal; kind: OrganisationKind }): Promise<Organisation> {
    if (!PRINCIPAL_OF_KIND[input.kind].includes(input.principal)) {
      throw DomainError.invalid(
        'principal',
        `An organisation of kind ${input.kind} cannot belong to ${input.principal}`,
      );
    }
    const existing = await this.db.getRepository(Organisation).findOneBy({ name: input.name });
    if (existing) throw DomainError.invalid('name', 'An organisation with that name already exists');
    return this.db.getRepository(Organisation).save(this.db.getRepository(Organisation).create(input));
  }

  async createUnit(input: { organisationId: string; name: string }): Promise<Unit> {
    await this.get(input.organisationId);
    return this.db.getRepository(Unit).save(this.db.getRepository(Unit).create(input));
  }

  async get(id: string): Promise<Organisation> {
    const found = await this.db.getRepository(Organisation).findOneBy({ id });
    if (!found) throw DomainError.notFound('organisation');
    return found;
  }

  unitsByIds(ids: readonly string[]): Promise<Unit[]> {
    return this.db.getRepository(Unit).findBy({ id: In([...ids]) });
  }

  unitsByOrganisationIds(ids: readonly string[]): Promise<Unit[]> {
    return this.db.getRepository(Unit).find({ where: { organisationId: In([...ids]) }, order: { name: 'ASC' } });
  }

  async list(page: PageRequest, filter: { principal?: Principal } = {}): Promise<Page<Organisation>> {
    const after = decodeCursor(page.after);
    const qb = this.db
      .getRepository(Organisation)
      .createQueryBuilder('o')
      .orderBy('o.name')
      .addOrderBy('o.id')
      .limit(page.first + 1);
    if (filter.principal) qb.andWhere('o.principal = :principal', { principal: filter.principal });
    if (after) qb.andWhere('(o.name, o.id) > (:name, :id)', { name: after.sortKey, id: after.id });
    return toPage(await qb.getMany(), page, (o) => encodeCursor(o.name, o.id));
  }
}
