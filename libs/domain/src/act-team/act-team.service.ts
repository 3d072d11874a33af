import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { Actor } from '../actor';
import { DomainError } from '../errors/domain-error';
import { MembershipChange, NoticeKind } from '../notifications/notification-kind';
import { notifyGroup } from '../notifications/notification.service';
import { Organisation } from '../organisation/organisation.entity';
import { Person } from '../person/person.entity';
import { StaffMember } from '../staff/staff-member.entity';
import { activeOn, endedAtFor } from '../collaboration/period';
import { today } from '../time';
import { ActTeamClient } from './act-team-client.entity';
import { ActTeamMember } from './act-team-member.entity';
import { ActTeam } from './act-team.entity';
import { TeamCaseloadFigures, teamCaseloadFigures } from './caseload-figures';
import { OnCallShift } from './on-call-shift.entity';
import { entityColumns } from '../database/entity-sql';
import { sql } from '../database/sql';

/** The on-call shifts of the teams (an SQL array of ids) that cover the moment `at` (an SQL timestamptz); also part of OVERVIEW_BUNDLE_SQL. */
export const onCallAtSql = (
  teamIds: string,
  at: string,
) => `SELECT ${entityColumns(OnCallShift, 's')} FROM act_on_call_shift s
  WHERE s.team_id = ANY(${teamIds}) AND s.starts_at <= ${at} AND s.ends_at > ${at} ORDER BY s.starts_at DESC, s.id`;
const ON_CALL_AT_SQL = onCallAtSql('$1::uuid[]', '$2::timestamptz');

/** What the group is told when the person is put on an ACT team's caseload (no personal data). */
export const ACT_TEAM_ENROLMENT = NoticeKind.ACT_TEAM_ENROLMENT;

/** What the groups of the persons on a team's caseload are told when its roster changes. */
export const ACT_TEAM_ROSTER_CHANGED = NoticeKind.ACT_TEAM_ROSTER_CHANGED;

/** What the group is told when the person's case manager in the ACT team changes (no personal data). */
export const ACT_TEAM_CASE_MANAGER_CHANGED = NoticeKind.ACT_TEAM_CASE_MANAGER_CHANGED;

/** What the group is told when the person's place on an ACT team's caseload ends (no personal data). */
export const ACT_TEAM_PLACE_ENDED = NoticeKind.ACT_TEAM_PLACE_ENDED;

const MAX_ON_CALL_SPAN_MS = 31 * 24 * 3_600_000;

@Injectable()
export class ActTeamService {
  constructor(private readonly db: DataSource) {}

  async create(input: {
    name: string;
    organisationId: string;
    onCallPhone?: string | null;
    noContactAlertDays?: number | null;
  }): Promise<ActTeam> {
    if (!(await this.db.getRepository(Organisation).existsBy({ id: input.organisationId }))) {
      throw DomainError.invalid('organisationId', 'No organisation with that id');
    }
    if (await this.db.getRepository(ActTeam).existsBy({ name: input.name }))
      throw DomainError.invalid('name', 'A team with that name exists');
    const repo = this.db.getRepository(ActTeam);
    return repo.save(
      repo.create({
        ...input,
        onCallPhone: input.onCallPhone ?? null,
        noContactAlertDays: input.noContactAlertDays ?? 7,
      }),
    );
  }

  /** Moves the no-contact reminder of everyone on the team's caseload (by trigger, see the reminders migration). */
  async setNoContactAlertDays(teamId: string, days: number): Promise<ActTeam> {
    await this.get(teamId);
    await this.db.getRepository(ActTeam).update({ id: teamId }, { noContactAlertDays: days });
    return this.get(teamId);
  }

  /** Adds a staff member to the roster; the groups of everyone on the team's caseload are told (their access changes). */
  async addMember(
    teamId: string,
    input: { staffId: string; role: string; fte?: number; validFrom?: string },
  ): Promise<ActTeamMember> {
    await this.get(teamId);
    const staff = await this.db.getRepository(StaffMember).findOneBy({ id: input.staffId });
    if (!staff?.active) throw DomainError.invalid('staffId', 'No active staff member with that id');
    if (await this.db.getRepository(ActTeamMember).existsBy({ teamId, staffId: input.staffId, validTo: IsNull() })) {
      throw DomainError.invalid('staffId', 'The staff member is already on the team');
    }
    return this.db.transaction(async (tx) => {
      const repo = tx.getRepository(ActTeamMember);
      const added = await repo.save(
        repo.create({
          teamId,
          staffId: input.staffId,
          role: input.role,
          fte: input.fte ?? 1,
          validFrom: input.validFrom ?? today(),
          validTo: null,
        }),
      );
      await this.tellCaseloadGroups(tx, teamId, MembershipChange.JOINED);
      return added;
    });
  }

  /** Whose roster membership this is (to refuse changes about oneself); not found otherwise. */
  async memberStaffId(memberId: string): Promise<string> {
    const member = await this.db
      .getRepository(ActTeamMember)
      .findOne({ where: { id: memberId }, select: { id: true, staffId: true } });
    if (!member) throw DomainError.notFound('team member');
    return member.staffId;
  }

  /** Ends a roster membership (today: at once); the groups of everyone on the team's caseload are told. */
  async endMember(memberId: string, validTo: string = today()): Promise<ActTeamMember> {
    return this.db.transaction(async (tx) => {
      const repo = tx.getRepository(ActTeamMember);
      const member = await repo.findOne({ where: { id: memberId }, lock: { mode: 'pessimistic_write' } });
      if (!member) throw DomainError.notFound('team member');
      if (member.validTo !== null) throw DomainError.invalidState('The team membership has already ended');
      if (validTo < member.validFrom) throw DomainError.invalid('validTo', 'The period ends before it starts');
      // Ended today, the place stops counting at once (see period.ts).
      await repo.update({ id: memberId }, { validTo, endedAt: endedAtFor(validTo) });
      await this.tellCaseloadGroups(tx, member.teamId, MembershipChange.LEFT);
      return repo.findOneByOrFail({ id: memberId });
    });
  }

  /**
   * A roster change changes who has a relation to every person on the team's caseload, so each of their
   * collaboration groups is told (one notice per person; no personal data in it).
   */
  private async tellCaseloadGroups(
    tx: EntityManager,
    teamId: string,
    membershipChange: MembershipChange,
  ): Promise<void> {
    const day = today();
    const persons = await sql<{ person_id: string }>(
      tx,
      `SELECT DISTINCT c.person_id FROM act_team_client c WHERE c.team_id = $1 AND ${activeOn('c', '$2')}`,
      [teamId, day],
    );
    for (const { person_id } of persons)
      await notifyGroup(tx, person_id, ACT_TEAM_ROSTER_CHANGED, { membershipChange });
  }

  async addOnCallShift(teamId: string, input: { staffId: string; startsAt: Date; endsAt: Date }): Promise<OnCallShift> {
    if (input.endsAt <= input.startsAt) throw DomainError.invalid('endsAt', 'The shift must end after it starts');
    const onTeam = await this.db.getRepository(ActTeamMember).findBy({ teamId, staffId: input.staffId });
    if (!onTeam.some((m) => m.validTo === null))
      throw DomainError.invalid('staffId', 'Only a member of the team can cover its on-call phone');
    const repo = this.db.getRepository(OnCallShift);
    return repo.save(repo.create({ teamId, ...input }));
  }

  /** Who covers the team's on-call phone at an instant (null means a gap in the 24/7 cover). */
  /** The team's on-call shifts overlapping [from, to), at most 31 days at a time (the rota is directory data: no person in it). */
  async onCallBetween(teamId: string, from: Date, to: Date): Promise<OnCallShift[]> {
    if (!(to > from)) throw DomainError.invalid('to', 'to must be after from');
    if (to.getTime() - from.getTime() > MAX_ON_CALL_SPAN_MS)
      throw DomainError.invalid('to', 'at most 31 days at a time');
    return this.db
      .getRepository(OnCallShift)
      .createQueryBuilder('s')
      .where('s.team_id = :teamId', { teamId })
      .andWhere('s.starts_at < :to AND s.ends_at > :from', { from, to })
      .orderBy('s.starts_at', 'ASC')
      .getMany();
  }

  async onCallAt(teamIds: readonly string[], at: Date = new Date()): Promise<OnCallShift[]> {
    return sql<OnCallShift>(this.db, ON_CALL_AT_SQL, [teamIds, at]);
  }

  async enrolPerson(
    teamId: string,
    input: { personId: string; caseManagerStaffId?: string | null; validFrom?: string },
  ): Promise<ActTeamClient> {
    await this.get(teamId);
    if (!(await this.db.getRepository(Person).existsBy({ id: input.personId }))) throw DomainError.notFound();
    if (input.caseManagerStaffId) {
      const onTeam = await this.db
        .getRepository(ActTeamMember)
        .existsBy({ teamId, staffId: input.caseManagerStaffId, validTo: IsNull() });
      if (!onTeam) throw DomainError.invalid('caseManagerStaffId', 'The case manager must be a member of the team');
    }
    if (await this.db.getRepository(ActTeamClient).existsBy({ teamId, personId: input.personId, validTo: IsNull() })) {
      throw DomainError.invalid('personId', "The person is already on the team's caseload");
    }
    return this.db.transaction(async (tx) => {
      const repo = tx.getRepository(ActTeamClient);
      const enrolled = await repo.save(
        repo.create({
          teamId,
          personId: input.personId,
          caseManagerStaffId: input.caseManagerStaffId ?? null,
          validFrom: input.validFrom ?? today(),
          validTo: null,
        }),
      );
      // The team's staff now have a relation to the person: the group is told (see DECIDE_SQL for what it gives them).
      await notifyGroup(tx, input.personId, ACT_TEAM_ENROLMENT);
      return enrolled;
    });
  }

  /** Whose caseload place this is (for the caller's access check); not found otherwise. */
  async clientPersonId(clientId: string): Promise<string> {
    const client = await this.db
      .getRepository(ActTeamClient)
      .findOne({ where: { id: clientId }, select: { id: true, personId: true } });
    if (!client) throw DomainError.notFound('caseload place');
    return client.personId;
  }

  /** Gives the person on the caseload another case manager, who must be on the team's roster now. */
  async changeCaseManager(actor: Actor, clientId: string, caseManagerStaffId: string): Promise<ActTeamClient> {
    return this.db.transaction(async (tx) => {
      const client = await this.lockCurrentPlace(tx, actor, clientId);
      const onTeam = await sql<object>(
        tx,
        `SELECT 1 FROM act_team_member m WHERE m.team_id = $1 AND m.staff_id = $2 AND ${activeOn('m', '$3')}`,
        [client.teamId, caseManagerStaffId, today()],
      );
      if (onTeam.length === 0)
        throw DomainError.invalid('caseManagerStaffId', 'The case manager must be an active member of the team');
      if (client.caseManagerStaffId === caseManagerStaffId) return client;
      await tx.getRepository(ActTeamClient).update({ id: clientId }, { caseManagerStaffId });
      await notifyGroup(tx, client.personId, ACT_TEAM_CASE_MANAGER_CHANGED);
      return tx.getRepository(ActTeamClient).findOneByOrFail({ id: clientId });
    });
  }

  /**
   * Ends the person's place on the caseload today, at once: the team's relation to the person through it ends
   * with this request (see period.ts). A place that was to begin later ends on its first day, already ended.
   */
  async endPlace(actor: Actor, clientId: string): Promise<ActTeamClient> {
    return this.db.transaction(async (tx) => {
      const client = await this.lockCurrentPlace(tx, actor, clientId);
      const day = today();
      const validTo = client.validFrom > day ? client.validFrom : day;
      await tx.getRepository(ActTeamClient).update({ id: clientId }, { validTo, endedAt: endedAtFor(day) });
      await notifyGroup(tx, client.personId, ACT_TEAM_PLACE_ENDED);
      return tx.getRepository(ActTeamClient).findOneByOrFail({ id: clientId });
    });
  }

  /**
   * Locks a current caseload place for a change by `actor`, who the caller has checked has write access to the
   * person (which refuses emergency access). Write access alone is not enough: it also comes from the person's
   * principal, and a caseload place is the team's and the group's business. So the actor must also be on that
   * team's roster (they run the caseload) or in the person's collaboration group (they coordinate the care).
   */
  private async lockCurrentPlace(tx: EntityManager, actor: Actor, clientId: string): Promise<ActTeamClient> {
    const client = await tx
      .getRepository(ActTeamClient)
      .findOne({ where: { id: clientId }, lock: { mode: 'pessimistic_write' } });
    if (!client) throw DomainError.notFound('caseload place');
    const day = today();
    const [{ team, in_group }]: Array<{ team: boolean; in_group: boolean }> = await sql<{
      team: boolean;
      in_group: boolean;
    }>(
      tx,
      `SELECT EXISTS (SELECT 1 FROM act_team_member tm WHERE tm.team_id = $1 AND tm.staff_id = $3 AND ${activeOn('tm', '$4')}) AS team,
              EXISTS (SELECT 1 FROM collaboration_group g JOIN group_member m ON m.group_id = g.id
                       WHERE g.person_id = $2 AND m.staff_id = $3 AND ${activeOn('m', '$4')}) AS in_group`,
      [client.teamId, client.personId, actor.staffId, day],
    );
    if (!team && !in_group)
      throw DomainError.forbidden(
        "Only a member of the ACT team or of the person's collaboration group may change the person's place on the caseload",
      );
    if (client.validTo !== null) throw DomainError.invalidState('The place on the caseload has already ended');
    return client;
  }

  async get(id: string): Promise<ActTeam> {
    const team = await this.db.getRepository(ActTeam).findOneBy({ id });
    if (!team) throw DomainError.notFound('ACT team');
    return team;
  }

  list(): Promise<ActTeam[]> {
    return this.db.getRepository(ActTeam).find({ order: { name: 'ASC' } });
  }

  membersByTeamIds(teamIds: readonly string[]): Promise<ActTeamMember[]> {
    return this.db
      .getRepository(ActTeamMember)
      .find({ where: { teamId: In([...teamIds]) }, order: { validFrom: 'ASC', id: 'ASC' } });
  }

  clientsByTeamIds(teamIds: readonly string[]): Promise<ActTeamClient[]> {
    return this.db
      .getRepository(ActTeamClient)
      .find({ where: { teamId: In([...teamIds]), validTo: IsNull() }, order: { validFrom: 'ASC' } });
  }

  /** Caseload ratio per team (DACTS H1), computed for many teams in one statement. */
  async caseloadFigures(teamIds: readonly string[]): Promise<Map<string, TeamCaseloadFigures>> {
    const rows = await sql<{ team_id: string; persons: string; fte: string | null }>(
      this.db,
      `SELECT t.id AS team_id,
              (SELECT count(*) FROM act_team_client c WHERE c.team_id = t.id AND c.valid_to IS NULL) AS persons,
              (SELECT sum(m.fte) FROM act_team_member m WHERE m.team_id = t.id AND m.valid_to IS NULL) AS fte
         FROM act_team t WHERE t.id = ANY($1::uuid[])`,
      [[...teamIds]],
    );
    return new Map(rows.map((r) => [r.team_id, teamCaseloadFigures(Number(r.persons), Number(r.fte ?? 0))]));
  }
}
