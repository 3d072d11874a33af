import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { Actor } from '../actor';
import { DomainError } from '../errors/domain-error';
import { MembershipChange, NotificationParams } from '../notifications/notification-kind';
import { notifyGroup } from '../notifications/notification.service';
import { Organisation } from '../organisation/organisation.entity';
import { Principal } from '../organisation/organisation.enums';
import { StaffMember } from '../staff/staff-member.entity';
import { today } from '../time';
import { CollaborationGroup } from './collaboration-group.entity';
import { GroupMember } from './group-member.entity';
import {
  assertMayChangeVotingRepresentation,
  assertMayDesignateCoordinator,
  assertMayEndMembership,
  assertNotBackDated,
  COORDINATOR_CHANGED,
  GROUP_CHANGED,
} from './membership.rules';
import { endedAtFor, isActiveMember } from './period';
import { sql } from '../database/sql';

export interface NewGroupMember {
  staffId: string;
  role: string;
  votingRepresentative: boolean;
  validFrom?: string;
  validTo?: string | null;
}

/**
 * Listeners run inside the transaction that changed a group's membership (e.g. to void open proposals);
 * what they return runs after the commit (e.g. publishing events).
 */
export type MembershipChangeListener = (tx: EntityManager, groupId: string) => Promise<(() => Promise<void>) | void>;

export { isActiveMember } from './period';

@Injectable()
export class CollaborationService {
  private readonly membershipListeners: MembershipChangeListener[] = [];

  constructor(private readonly db: DataSource) {}

  onMembershipChange(listener: MembershipChangeListener): void {
    this.membershipListeners.push(listener);
  }

  /**
   * Adds a member from today or a later day (never back-dated); a voting representative must be staff of
   * a principal. The group is told.
   */
  async addMember(personId: string, input: NewGroupMember): Promise<GroupMember> {
    return this.changeMembership(personId, async (tx, group) => {
      const day = today();
      const validFrom = input.validFrom ?? day;
      assertNotBackDated('validFrom', validFrom, day);
      if (input.validTo && input.validTo < validFrom)
        throw DomainError.invalid('validTo', 'The period ends before it starts');
      const staff = await tx.getRepository(StaffMember).findOneBy({ id: input.staffId });
      if (!staff || !staff.active) throw DomainError.invalid('staffId', 'No active staff member with that id');
      const organisation = await tx.getRepository(Organisation).findOneByOrFail({ id: staff.organisationId });
      if (input.votingRepresentative && organisation.principal === Principal.OTHER) {
        throw DomainError.invalid(
          'votingRepresentative',
          'Only staff of the municipality or the region can vote for a principal',
        );
      }
      const open = await tx
        .getRepository(GroupMember)
        .findOneBy({ groupId: group.id, staffId: staff.id, validTo: IsNull() });
      if (open) throw DomainError.invalid('staffId', 'The staff member is already a member of the group');
      const added = await tx.getRepository(GroupMember).save(
        tx.getRepository(GroupMember).create({
          groupId: group.id,
          staffId: staff.id,
          role: input.role,
          principal: organisation.principal,
          votingRepresentative: input.votingRepresentative,
          validFrom,
          validTo: input.validTo ?? null,
        }),
      );
      await notifyGroup(tx, personId, GROUP_CHANGED, {
        ...describe(added),
        membershipChange: MembershipChange.JOINED,
        ...(validFrom > day ? { validFrom } : {}),
        ...(added.validTo ? { validTo: added.validTo } : {}),
      });
      return added;
    });
  }

  /**
   * Ends a membership on a day from today on (default today; ended today, it stops counting at once). Only
   * the member or staff of the member's own organisation may end it; the designated coordinator must be
   * replaced first. The group is told.
   */
  async endMembership(actor: Actor, memberId: string, validTo: string = today()): Promise<GroupMember> {
    const member = await this.db.getRepository(GroupMember).findOneBy({ id: memberId });
    if (!member) throw DomainError.notFound('membership');
    const group = await this.db.getRepository(CollaborationGroup).findOneByOrFail({ id: member.groupId });
    return this.changeMembership(group.personId, async (tx, locked) => {
      const day = today();
      assertNotBackDated('validTo', validTo, day);
      const current = await tx.getRepository(GroupMember).findOneByOrFail({ id: memberId });
      const staff = await tx.getRepository(StaffMember).findOneByOrFail({ id: current.staffId });
      assertMayEndMembership(actor, { staffId: current.staffId, organisationId: staff.organisationId });
      if (!isActiveMember(current, day) && current.validFrom <= day)
        throw DomainError.invalidState('The membership has already ended');
      // An end set for today may still be made immediate; a later one only brought forward.
      if (current.validTo !== null && (current.validTo < validTo || (current.validTo === validTo && validTo > day))) {
        throw DomainError.invalidState('The membership already ends by then');
      }
      if (validTo < current.validFrom) throw DomainError.invalid('validTo', 'The period ends before it starts');
      if (locked.coordinatorStaffId === current.staffId) {
        throw DomainError.invalidState("Designate another coordinator before ending the coordinator's membership");
      }
      await tx.getRepository(GroupMember).update({ id: memberId }, { validTo, endedAt: endedAtFor(validTo) });
      const ended = await tx.getRepository(GroupMember).findOneByOrFail({ id: memberId });
      await notifyGroup(tx, group.personId, GROUP_CHANGED, {
        ...describe(ended),
        ...(ended.endedAt
          ? { membershipChange: MembershipChange.LEFT }
          : { membershipChange: MembershipChange.LEAVING, validTo }),
      });
      return ended;
    });
  }

  /**
   * Marks a member as one of the group's voting representatives, or no longer (see
   * assertMayChangeVotingRepresentation). The electorate changes, so it counts as a membership change:
   * open proposals are voided and the group is told.
   */
  async setVotingRepresentative(actor: Actor, memberId: string, voting: boolean): Promise<GroupMember> {
    const personId = await this.personOfMembership(memberId);
    const before = await this.db.getRepository(GroupMember).findOneByOrFail({ id: memberId });
    // Asking for what already holds changes nothing (and voids no proposal), once the rule allows asking.
    if (before.votingRepresentative === voting) {
      const staff = await this.db.getRepository(StaffMember).findOneByOrFail({ id: before.staffId });
      assertMayChangeVotingRepresentation(
        actor,
        {
          staffId: staff.id,
          organisationId: staff.organisationId,
          principal: before.principal,
          active: isActiveMember(before),
        },
        voting,
      );
      return before;
    }
    return this.changeMembership(personId, async (tx) => {
      const current = await tx.getRepository(GroupMember).findOneByOrFail({ id: memberId });
      const staff = await tx.getRepository(StaffMember).findOneByOrFail({ id: current.staffId });
      assertMayChangeVotingRepresentation(
        actor,
        {
          staffId: staff.id,
          organisationId: staff.organisationId,
          principal: current.principal,
          active: isActiveMember(current),
        },
        voting,
      );
      await tx.getRepository(GroupMember).update({ id: memberId }, { votingRepresentative: voting });
      const changed = await tx.getRepository(GroupMember).findOneByOrFail({ id: memberId });
      await notifyGroup(tx, personId, GROUP_CHANGED, {
        ...describe(changed),
        votingRepresentative: voting,
        membershipChange: voting ? MembershipChange.VOTING : MembershipChange.NOT_VOTING,
      });
      return changed;
    });
  }

  /** Designates an active member as the group's coordinator (see assertMayDesignateCoordinator); the group is told. */
  async setCoordinator(actor: Actor, personId: string, staffId: string): Promise<CollaborationGroup> {
    return this.db.transaction(async (tx) => {
      const group = await this.lockGroup(tx, personId);
      const current = group.coordinatorStaffId
        ? await tx.getRepository(StaffMember).findOneBy({ id: group.coordinatorStaffId })
        : null;
      const currentMemberships = current
        ? await tx.getRepository(GroupMember).findBy({ groupId: group.id, staffId: current.id })
        : [];
      assertMayDesignateCoordinator(
        actor,
        current && {
          staffId: current.id,
          organisationId: current.organisationId,
          activeMember: current.active && currentMemberships.some((m) => isActiveMember(m)),
        },
      );
      const members = await tx.getRepository(GroupMember).findBy({ groupId: group.id, staffId });
      if (!members.some((m) => isActiveMember(m)))
        throw DomainError.invalid('staffId', 'The coordinator must be an active member of the group');
      if (group.coordinatorStaffId === staffId) return group;
      group.coordinatorStaffId = staffId;
      const saved = await tx.getRepository(CollaborationGroup).save(group);
      await notifyGroup(tx, personId, COORDINATOR_CHANGED);
      return saved;
    });
  }

  /**
   * A membership that starts or ends by the calendar changes the group too, without anyone acting at that
   * moment: the worker's sweep calls this for such groups so the change is recorded and its listeners run.
   */
  async recordCalendarChange(groupId: string): Promise<void> {
    const group = await this.db.getRepository(CollaborationGroup).findOneBy({ id: groupId });
    if (!group) throw DomainError.notFound('collaboration group');
    await this.changeMembership(group.personId, async () => undefined);
  }

  /** The person whose group a membership belongs to (for the access check before changing it). */
  async personOfMembership(memberId: string): Promise<string> {
    const rows = await sql<{ person_id: string }>(
      this.db,
      'SELECT g.person_id FROM group_member m JOIN collaboration_group g ON g.id = m.group_id WHERE m.id = $1',
      [memberId],
    );
    if (rows.length === 0) throw DomainError.notFound('membership');
    return rows[0].person_id;
  }

  /** Every membership change runs here: the group row is locked and its membership version bumped. */
  private async changeMembership<T>(
    personId: string,
    change: (tx: EntityManager, group: CollaborationGroup) => Promise<T>,
  ): Promise<T> {
    const afterCommit: Array<() => Promise<void>> = [];
    const result = await this.db.transaction(async (tx) => {
      const group = await this.lockGroup(tx, personId);
      const changed = await change(tx, group);
      await sql(
        tx,
        `WITH bumped AS (UPDATE collaboration_group SET membership_version = membership_version + 1 WHERE id = $1 RETURNING membership_version)
         INSERT INTO group_membership_change (group_id, membership_version) SELECT $1, membership_version FROM bumped`,
        [group.id],
      );
      for (const listener of this.membershipListeners) {
        const then = await listener(tx, group.id);
        if (then) afterCommit.push(then);
      }
      return changed;
    });
    for (const then of afterCommit) await then();
    return result;
  }

  private async lockGroup(tx: EntityManager, personId: string): Promise<CollaborationGroup> {
    const group = await tx
      .getRepository(CollaborationGroup)
      .findOne({ where: { personId }, lock: { mode: 'pessimistic_write' } });
    if (!group) throw DomainError.notFound();
    return group;
  }
}

/** A member as the group is told of them: what they are in the group, not who (e.g. a voting representative of the region). */
function describe(member: GroupMember): NotificationParams {
  return { principal: member.principal, votingRepresentative: member.votingRepresentative };
}
