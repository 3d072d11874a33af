import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '../errors/domain-error';
import { Organisation } from '../organisation/organisation.entity';
import { Principal } from '../organisation/organisation.enums';
import { Unit } from '../organisation/unit.entity';
import { decodeCursor, encodeCursor, Page, PageRequest, toPage } from '../pagination/page';
import { Profession } from './profession';
import { StaffMember } from './staff-member.entity';
import { sql } from '../database/sql';

export interface NewStaffMember {
  organisationId: string;
  unitId?: string | null;
  givenName: string;
  familyName: string;
  profession: Profession;
  title?: string | null;
  email?: string | null;
  phone?: string | null;
  username?: string | null;
  passwordHash?: string | null;
  externalSubject?: string | null;
  administrator?: boolean;
  auditor?: boolean;
  whereaboutsAuthorised?: boolean;
}

/** What authentication needs to know about a staff member, with their organisation's principal. */
export interface StaffIdentity {
  staff: StaffMember;
  organisation: Organisation;
  passwordHash: string | null;
}

@Injectable()
export class StaffService {
  constructor(private readonly db: DataSource) {}

  async create(input: NewStaffMember): Promise<StaffMember> {
    const organisation = await this.db.getRepository(Organisation).findOneBy({ id: input.organisationId });
    if (!organisation) throw DomainError.invalid('organisationId', 'No organisation with that id');
    if (input.unitId) {
      const unit = await this.db.getRepository(Unit).findOneBy({ id: input.unitId });
      if (!unit || unit.organisationId !== input.organisationId) {
        throw DomainError.invalid('unitId', 'The unit does not belong to the organisation');
      }
    }
    if (input.username && (await this.db.getRepository(StaffMember).existsBy({ username: input.username }))) {
      throw DomainError.invalid('username', 'That username is taken');
    }
    const repo = this.db.getRepository(StaffMember);
    const saved = await repo.save(
      repo.create({
        ...input,
        unitId: input.unitId ?? null,
        administrator: input.administrator ?? false,
        auditor: input.auditor ?? false,
        active: true,
      }),
    );
    delete (saved as Partial<StaffMember>).passwordHash;
    return saved;
  }

  /** The roles beyond the profession: auditor, and authorisation to see protected whereabouts. */
  /** The organisation a staff member belongs to (to decide who may manage them); not found otherwise. */
  async organisationOf(id: string): Promise<string> {
    const staff = await this.db
      .getRepository(StaffMember)
      .findOne({ where: { id }, select: { id: true, organisationId: true } });
    if (!staff) throw DomainError.notFound('staff member');
    return staff.organisationId;
  }

  async setRoles(
    id: string,
    roles: {
      auditor?: boolean | null;
      whereaboutsAuthorised?: boolean | null;
      organisationAdministrator?: boolean | null;
    },
  ): Promise<StaffMember> {
    const repo = this.db.getRepository(StaffMember);
    const staff = await repo.findOneBy({ id });
    if (!staff) throw DomainError.notFound('staff member');
    if (roles.auditor !== undefined && roles.auditor !== null) staff.auditor = roles.auditor;
    if (roles.whereaboutsAuthorised !== undefined && roles.whereaboutsAuthorised !== null)
      staff.whereaboutsAuthorised = roles.whereaboutsAuthorised;
    if (roles.organisationAdministrator !== undefined && roles.organisationAdministrator !== null)
      staff.organisationAdministrator = roles.organisationAdministrator;
    return repo.save(staff);
  }

  async setActive(id: string, active: boolean): Promise<StaffMember> {
    const repo = this.db.getRepository(StaffMember);
    const staff = await repo.findOneBy({ id });
    if (!staff) throw DomainError.notFound('staff member');
    staff.active = active;
    const saved = await repo.save(staff);
    // Deactivation ends every browser session at once (the next request is refused); reactivating revives none.
    if (!active)
      await sql(this.db, `UPDATE staff_session SET revoked_at = now() WHERE staff_id = $1 AND revoked_at IS NULL`, [
        id,
      ]);
    return saved;
  }

  async list(
    page: PageRequest,
    filter: { organisationId?: string; profession?: Profession } = {},
  ): Promise<Page<StaffMember>> {
    const after = decodeCursor(page.after);
    const qb = this.db
      .getRepository(StaffMember)
      .createQueryBuilder('s')
      .orderBy('s.family_name')
      .addOrderBy('s.id')
      .limit(page.first + 1);
    if (filter.organisationId) qb.andWhere('s.organisation_id = :org', { org: filter.organisationId });
    if (filter.profession) qb.andWhere('s.profession = :profession', { profession: filter.profession });
    if (after) qb.andWhere('(s.family_name, s.id) > (:name, :id)', { name: after.sortKey, id: after.id });
    return toPage(await qb.getMany(), page, (s) => encodeCursor(s.familyName, s.id));
  }

  /**
   * The directory as a colleague searches it (to add someone to a group): active care staff whose name
   * holds every word of `search`, of one principal or organisation if asked, by family name. No service
   * accounts, administrators or auditors (they take no place in a group); the caller shows only what a
   * colleague may see (name, profession, organisation, unit, work phone).
   */
  async searchDirectory(
    search: string,
    filter: { principal?: Principal | null; organisationId?: string | null },
    first: number,
  ): Promise<StaffMember[]> {
    const words = search.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) return [];
    const qb = this.db
      .getRepository(StaffMember)
      .createQueryBuilder('s')
      .innerJoin(Organisation, 'o', 'o.id = s.organisation_id')
      .where('s.active AND NOT s.service_account AND NOT s.administrator AND NOT s.auditor')
      .orderBy('s.family_name')
      .addOrderBy('s.given_name')
      .addOrderBy('s.id')
      .limit(first);
    words.forEach((word, i) => {
      qb.andWhere(`(s.given_name || ' ' || s.family_name) ILIKE :w${i} ESCAPE '\\'`, {
        [`w${i}`]: `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    });
    if (filter.principal) qb.andWhere('o.principal = :principal', { principal: filter.principal });
    if (filter.organisationId) qb.andWhere('s.organisation_id = :org', { org: filter.organisationId });
    return qb.getMany();
  }

  /** Looks up an active staff member by login name or by external subject, for authentication. */
  async findIdentity(
    by: { username: string } | { externalSubject: string } | { id: string },
  ): Promise<StaffIdentity | null> {
    // One statement (it runs on every request): the staff member with their organisation.
    const qb = this.db
      .getRepository(StaffMember)
      .createQueryBuilder('s')
      .addSelect('s.passwordHash')
      .innerJoinAndMapOne('s.organisation', Organisation, 'o', 'o.id = s.organisation_id')
      .where('s.active');
    if ('username' in by) qb.andWhere('s.username = :v', { v: by.username });
    else if ('externalSubject' in by) qb.andWhere('s.external_subject = :v', { v: by.externalSubject });
    else qb.andWhere('s.id = :v', { v: by.id });
    const staff = (await qb.getOne()) as (StaffMember & { organisation?: Organisation }) | null;
    if (!staff) return null;
    const { organisation, passwordHash } = staff;
    delete staff.organisation;
    delete (staff as Partial<StaffMember>).passwordHash;
    return { staff, organisation: organisation!, passwordHash };
  }
}
