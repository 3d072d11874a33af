import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { AccessAction, AccessGround } from '../access/access-log.service';
import { Actor, isIntegrationClient } from '../actor';
import { CollaborationGroup } from '../collaboration/collaboration-group.entity';
import { GroupMember } from '../collaboration/group-member.entity';
import { DomainError, DomainErrorReason } from '../errors/domain-error';
import {
  IdentityKind,
  legalGenderFromNumber,
  validateAnyIdentityNumber,
  validateIdentityNumber,
} from '../identity/identity-number';
import { NoticeKind } from '../notifications/notification-kind';
import { NotificationService } from '../notifications/notification.service';
import { Principal } from '../organisation/organisation.enums';
import { decodeCursor, encodeCursor, Page, PageRequest, toPage } from '../pagination/page';
import { today } from '../time';
import { logPersonAccess } from './person-access-log';
import {
  ChildRecord,
  ChildrenStatus,
  ContactChannel,
  LegalGender,
  PersonLanguage,
  ProtectedIdentity,
} from './person.enums';
import { Person } from './person.entity';
import { StaffMember } from '../staff/staff-member.entity';
import { sql } from '../database/sql';

export interface NewPerson {
  identityKind: IdentityKind;
  identityNumber?: string | null;
  givenName: string;
  familyName: string;
  birthYear?: number | null;
  legalGender?: LegalGender | null;
  protectedIdentity?: ProtectedIdentity;
  preferredContactChannel?: ContactChannel;
  phone?: string | null;
  /** The language of messages to the person; Swedish when not given. */
  preferredLanguage?: PersonLanguage;
  /** The registering staff member's role in the new collaboration group. */
  roleInGroup: string;
  /** An integration client names the staff member of its organisation who coordinates the group (it is never a member itself). */
  coordinatorStaffId?: string | null;
}

export interface PersonChanges {
  givenName?: string;
  familyName?: string;
  identityKind?: IdentityKind;
  identityNumber?: string | null;
  childrenStatus?: ChildrenStatus;
  children?: ChildRecord[];
  preferredContactChannel?: ContactChannel;
  phone?: string | null;
  legalGender?: LegalGender;
  childImpactNote?: string | null;
  preferredLanguage?: PersonLanguage;
}

/**
 * "Find a person" takes exactly one key: an identity number (any kind), a temporary reference, or
 * given name, family name and birth year together (matched exactly, so a search cannot enumerate).
 */
export interface PersonSearch {
  identityNumber?: string | null;
  temporaryReference?: string | null;
  givenName?: string | null;
  familyName?: string | null;
  birthYear?: number | null;
}

export interface PersonSearchResult {
  /** Only persons the actor may already see in full. */
  persons: Person[];
  /** The identity number belongs to a person the actor may not see: ask their coordinator for access. */
  registeredElsewhere: boolean;
}

/** A recorded change of a person's protection level (setProtectedIdentity), for review. */
export interface ProtectedIdentityChange {
  id: string;
  personId: string;
  fromLevel: ProtectedIdentity;
  toLevel: ProtectedIdentity;
  reason: string;
  changedBy: string;
  changedAt: Date;
  reviewedAt: Date | null;
  reviewedBy: string | null;
  reviewNote: string | null;
}

/** The notification kinds; their messages name no person data (the person's id only, as every notification). */
export const PROTECTED_IDENTITY_CHANGED_NOTIFICATION = NoticeKind.PROTECTED_IDENTITY_CHANGED;
export const REGISTER_MATCH_NOTIFICATION = NoticeKind.REGISTER_MATCH;
export const MIN_PROTECTION_REASON_LENGTH = 10;
const GENDER_NOT_STATED = 'State the legal gender of a person without an identity number';

const CHANGE_COLUMNS = `id, person_id AS "personId", from_level AS "fromLevel", to_level AS "toLevel", reason, changed_by AS "changedBy",
  changed_at AS "changedAt", reviewed_at AS "reviewedAt", reviewed_by AS "reviewedBy", review_note AS "reviewNote"`;

const TIMESTAMP_TEXT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;
const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Thrown inside the transaction that found the number held, so it rolls back before the reveal is logged in one of its own. */
class NumberHeld extends Error {
  constructor(readonly holders: string[]) {
    super('identity number held');
  }
}

const REFERENCE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A short reference staff can read aloud, e.g. "TMP-7KQ2HX", for persons without (or before) an ID number. */
export function newTemporaryReference(): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return `TMP-${s}`;
}

@Injectable()
export class PersonService {
  constructor(
    private readonly db: DataSource,
    private readonly notifications: NotificationService,
  ) {}

  /**
   * Registers a person and opens their collaboration group with the registering staff member
   * as its first member and coordinator, so that someone can always see the person. The registration
   * is the registrant's first access to the person, and is logged as one.
   */
  async register(actor: Actor, input: NewPerson): Promise<Person> {
    const identity = this.checkIdentity(input.identityKind, input.identityNumber ?? null);
    const derived = fromNumber(input.identityKind, identity);
    assertGenderAgrees(derived, input.legalGender);
    if (input.identityKind === IdentityKind.UNIDENTIFIED) {
      // Without a number, nothing else tells the birth year and legal gender every follow-up is split by.
      if (input.birthYear == null)
        throw DomainError.invalid('birthYear', 'State the birth year of a person without an identity number');
      if (!input.legalGender || input.legalGender === LegalGender.UNKNOWN) {
        throw DomainError.invalid('legalGender', GENDER_NOT_STATED);
      }
    }
    return this.checkingRegister(actor, 'registerPerson', async (tx) => {
      const coordinator = await this.coordinatorFor(tx, actor, input.coordinatorStaffId ?? null);
      await this.assertNumberFree(tx, identity, null);
      const person = await tx.getRepository(Person).save(
        tx.getRepository(Person).create({
          identityKind: input.identityKind,
          identityNumber: identity,
          temporaryReference: newTemporaryReference(),
          homeOrganisationId: actor.organisationId,
          givenName: input.givenName,
          familyName: input.familyName,
          birthYear: derived?.birthYear ?? input.birthYear ?? null,
          legalGender: derived?.legalGender ?? input.legalGender ?? LegalGender.UNKNOWN,
          protectedIdentity: input.protectedIdentity ?? ProtectedIdentity.NONE,
          preferredContactChannel: input.preferredContactChannel ?? ContactChannel.VIA_STAFF,
          phone: input.phone ?? null,
          preferredLanguage: input.preferredLanguage ?? PersonLanguage.SV,
          childrenStatus: ChildrenStatus.UNKNOWN,
          children: [],
        }),
      );
      const group = await tx
        .getRepository(CollaborationGroup)
        .save(tx.getRepository(CollaborationGroup).create({ personId: person.id, coordinatorStaffId: coordinator }));
      await tx.getRepository(GroupMember).save(
        tx.getRepository(GroupMember).create({
          groupId: group.id,
          staffId: coordinator,
          role: input.roleInGroup,
          principal: actor.principal,
          votingRepresentative: actor.principal !== Principal.OTHER,
          validFrom: today(),
          validTo: null,
        }),
      );
      await logPersonAccess(tx, actor, [person.id], {
        action: AccessAction.WRITE,
        entity: 'registerPerson',
        ground: AccessGround.GROUP_MEMBERSHIP,
      });
      return person;
    });
  }

  /** Changes what anyone who may write the person's data may change; the protection level is setProtectedIdentity's alone. */
  async update(actor: Actor, personId: string, changes: PersonChanges): Promise<Person> {
    return this.checkingRegister(actor, 'updatePerson', async (tx) => {
      const repo = tx.getRepository(Person);
      const person = await repo.findOne({ where: { id: personId }, lock: { mode: 'pessimistic_write' } });
      if (!person) throw DomainError.notFound();
      if (changes.identityKind !== undefined || changes.identityNumber !== undefined) {
        const kind = changes.identityKind ?? person.identityKind;
        const number = this.checkIdentity(
          kind,
          changes.identityNumber !== undefined ? changes.identityNumber : person.identityNumber,
        );
        if (kind !== person.identityKind || number !== person.identityNumber) {
          await this.assertNumberFree(tx, number, person.id);
          await sql(
            tx,
            `INSERT INTO person_identity_history (person_id, identity_kind, identity_number, replaced_by) VALUES ($1, $2, $3, $4)`,
            [person.id, person.identityKind, person.identityNumber, actor.staffId],
          );
          person.identityKind = kind;
          person.identityNumber = number;
        }
      }
      // A new personnummer or samordningsnummer brings its own legal gender and birth year.
      const derived = fromNumber(person.identityKind, person.identityNumber);
      assertGenderAgrees(derived, changes.legalGender);
      if (derived) Object.assign(person, derived);
      else if (changes.legalGender !== undefined) {
        if (person.identityKind === IdentityKind.UNIDENTIFIED && changes.legalGender === LegalGender.UNKNOWN) {
          throw DomainError.invalid('legalGender', GENDER_NOT_STATED);
        }
        person.legalGender = changes.legalGender;
      }
      const status = changes.childrenStatus ?? person.childrenStatus;
      const children = changes.children ?? (status === ChildrenStatus.YES ? person.children : []);
      if (status !== ChildrenStatus.YES && children.length > 0) {
        throw DomainError.invalid('children', 'Children can only be listed when childrenStatus is YES');
      }
      const thisYear = new Date().getUTCFullYear();
      children.forEach((child, i) => {
        if (child.birthYear > thisYear || child.birthYear < thisYear - 80) {
          throw DomainError.invalid(`children.${i}.birthYear`, 'Birth year is not plausible');
        }
      });
      const {
        identityKind: _kind,
        identityNumber: _number,
        legalGender: _gender,
        childImpactNote: note,
        ...rest
      } = changes;
      if (note !== undefined) person.childImpactNote = note?.trim() || null;
      Object.assign(person, { ...stripUndefined(rest), childrenStatus: status, children });
      return repo.save(person);
    });
  }

  /**
   * Changes a person's protection level with a stated reason: recorded (from, to, why, by whom, when by
   * the database's clock) for review, and the group is told. Whether the actor may (authorised staff of
   * the person's own principal) is the access policy's decision, made before this runs; the database
   * refuses a level changed without its record.
   */
  async setProtectedIdentity(
    actor: Actor,
    personId: string,
    level: ProtectedIdentity,
    reason: string,
  ): Promise<Person> {
    const stated = reason.trim();
    if (stated.length < MIN_PROTECTION_REASON_LENGTH) {
      throw DomainError.invalid(
        'reason',
        `State the reason for the change (at least ${MIN_PROTECTION_REASON_LENGTH} characters)`,
      );
    }
    let recipients: string[] = [];
    const changed = await this.db.transaction(async (tx) => {
      const person = await tx
        .getRepository(Person)
        .findOne({ where: { id: personId }, lock: { mode: 'pessimistic_write' } });
      if (!person) throw DomainError.notFound();
      if (person.protectedIdentity === level)
        throw DomainError.invalidState(
          'The person already has that protection level',
          DomainErrorReason.PROTECTION_LEVEL_UNCHANGED,
        );
      await sql(
        tx,
        `INSERT INTO protected_identity_change (person_id, from_level, to_level, reason, changed_by) VALUES ($1, $2, $3, $4, $5)`,
        [personId, person.protectedIdentity, level, stated, actor.staffId],
      );
      await sql(tx, `UPDATE person SET protected_identity = $2, updated_at = now() WHERE id = $1`, [personId, level]);
      recipients = await this.notifications.notifyGroup(tx, personId, PROTECTED_IDENTITY_CHANGED_NOTIFICATION);
      return tx.getRepository(Person).findOneByOrFail({ id: personId });
    });
    // After commit, so live inboxes read the notification that is there.
    await this.notifications.announce(recipients);
    return changed;
  }

  /** Protection changes for review: newest first, optionally only those not reviewed yet. */
  async protectionChanges(
    page: PageRequest,
    filter: { unreviewedOnly?: boolean } = {},
  ): Promise<Page<ProtectedIdentityChange>> {
    const after = decodeCursor(page.after);
    if (after && !(TIMESTAMP_TEXT.test(after.sortKey) && UUID_TEXT.test(after.id)))
      throw DomainError.invalid('after', 'The cursor is not one this API issued');
    // The cursor keeps the database's microseconds (a JavaScript Date would round them away and skip rows).
    const rows = await sql<ProtectedIdentityChange & { sortKey: string }>(
      this.db,
      `SELECT ${CHANGE_COLUMNS}, changed_at::text AS "sortKey" FROM protected_identity_change
        WHERE ($1::boolean IS NOT TRUE OR reviewed_at IS NULL) AND ($2::timestamptz IS NULL OR (changed_at, id) < ($2::timestamptz, $3::uuid))
        ORDER BY changed_at DESC, id DESC LIMIT $4`,
      [filter.unreviewedOnly ?? false, after?.sortKey ?? null, after?.id ?? null, page.first + 1],
    );
    const result = toPage(rows, page, (c) => encodeCursor(c.sortKey, c.id));
    return { ...result, items: result.items.map(({ sortKey: _sortKey, ...change }) => change) };
  }

  /** Marks a protection change as reviewed (the database dates the review), once. */
  async reviewProtectionChange(actor: Actor, id: string, note: string | null): Promise<ProtectedIdentityChange> {
    const rows = await sql<{ id: string }>(
      this.db,
      `UPDATE protected_identity_change SET reviewed_by = $2, review_note = $3 WHERE id = $1 AND reviewed_at IS NULL RETURNING id`,
      [id, actor.staffId, note?.trim() || null],
    );
    const [change] = await sql<ProtectedIdentityChange>(
      this.db,
      `SELECT ${CHANGE_COLUMNS} FROM protected_identity_change WHERE id = $1`,
      [id],
    );
    if (!change) throw DomainError.notFound('protection change');
    if (rows.length === 0) throw DomainError.invalidState('The protection change is already reviewed');
    return change;
  }

  /**
   * Being in this register is itself sensitive: any answer that reveals a person is in it (an identity
   * number already held, a search that finds them) is logged against that person and told to their
   * coordinator (no personal data in the message). In a transaction of its own, so that it stands
   * whatever happens to the caller's.
   */
  async revealRegistered(actor: Actor, personIds: readonly string[], how: string): Promise<void> {
    if (personIds.length === 0) return;
    const recipients = await this.db.transaction(async (tx) => {
      await logPersonAccess(tx, actor, personIds, {
        action: AccessAction.IDENTITY_MATCH,
        entity: how,
        ground: AccessGround.REGISTER_CHECK,
      });
      const told: string[] = [];
      for (const personId of personIds) {
        told.push(...(await this.notifications.notifyCoordinator(tx, personId, REGISTER_MATCH_NOTIFICATION)));
      }
      return told;
    });
    await this.notifications.announce(recipients);
  }

  /**
   * Finds persons by one key (see PersonSearch). `visible` is the access policy's decision (and log entry)
   * for the persons found: only those come back. Staff without a relation learn nothing from a name or a
   * reference; a full identity number (they have the person in front of them) held by someone they may
   * not see answers "registered elsewhere", revealed and told as a registration conflict is.
   */
  async find(
    actor: Actor,
    search: PersonSearch,
    visible: (personIds: string[]) => Promise<Set<string>>,
  ): Promise<PersonSearchResult> {
    const key = searchKey(search);
    let found: Array<{ id: string }>;
    if (key.by === 'identityNumber') {
      found = await sql<{ id: string }>(
        this.db,
        `SELECT id FROM person WHERE identity_number = $1 UNION SELECT person_id FROM person_identity_history WHERE identity_number = $1`,
        [key.number],
      );
    } else if (key.by === 'temporaryReference') {
      found = await sql<{ id: string }>(this.db, `SELECT id FROM person WHERE upper(temporary_reference) = upper($1)`, [
        key.reference,
      ]);
    } else {
      found = await sql<{ id: string }>(
        this.db,
        `SELECT id FROM person WHERE lower(given_name) = lower($1) AND lower(family_name) = lower($2) AND birth_year = $3`,
        [key.givenName, key.familyName, key.birthYear],
      );
    }
    const ids = [...new Set(found.map((f) => f.id))];
    const seen = ids.length > 0 ? await visible(ids) : new Set<string>();
    const hidden = key.by === 'identityNumber' ? ids.filter((id) => !seen.has(id)) : [];
    await this.revealRegistered(actor, hidden, 'findPersons');
    const persons =
      seen.size > 0
        ? await this.db
            .getRepository(Person)
            .find({ where: { id: In([...seen]) }, order: { familyName: 'ASC', givenName: 'ASC' } })
        : [];
    return { persons, registeredElsewhere: hidden.length > 0 };
  }

  /** Earlier identities of each person, latest first. */
  identityHistoryByPersonIds(
    ids: readonly string[],
  ): Promise<Array<{ personId: string; identityKind: IdentityKind; identityNumber: string | null; replacedAt: Date }>> {
    return sql<{ personId: string; identityKind: IdentityKind; identityNumber: string | null; replacedAt: Date }>(
      this.db,
      `SELECT person_id AS "personId", identity_kind AS "identityKind", identity_number AS "identityNumber", replaced_at AS "replacedAt"
         FROM person_identity_history WHERE person_id = ANY($1::uuid[]) ORDER BY replaced_at DESC, id DESC`,
      [ids],
    );
  }

  /** Validates and normalises an identity number to 12 digits (null for an unidentified person). */
  private checkIdentity(kind: IdentityKind, raw: string | null): string | null {
    const check = validateIdentityNumber(kind, raw);
    if (!check.valid) throw DomainError.invalid('identityNumber', check.reason);
    return check.normalized || null;
  }

  /**
   * Runs `work` in a transaction; when it finds the identity number held by someone else, the answer
   * (CONFLICT) reveals that they are registered, so the reveal is logged and told (revealRegistered)
   * after `work` has rolled back. The answer says nothing of who holds the number.
   */
  /**
   * Who coordinates a new person's group: the registering staff member, or for an integration client (which
   * acts for its organisation and is never a member of a group) the active staff member of its organisation it names.
   */
  private async coordinatorFor(tx: EntityManager, actor: Actor, named: string | null): Promise<string> {
    if (!isIntegrationClient(actor)) {
      if (named !== null && named !== actor.staffId)
        throw DomainError.invalid(
          'coordinatorStaffId',
          'Staff register a person with themselves as coordinator; add others to the group afterwards',
        );
      return actor.staffId;
    }
    if (named === null)
      throw DomainError.invalid(
        'coordinatorStaffId',
        "An integration client names the staff member of its organisation who coordinates the person's group",
      );
    const staff = await tx
      .getRepository(StaffMember)
      .findOneBy({ id: named, organisationId: actor.organisationId, active: true, serviceAccount: false });
    if (!staff)
      throw DomainError.invalid(
        'coordinatorStaffId',
        'The coordinator must be an active staff member of your organisation',
      );
    return staff.id;
  }

  private async checkingRegister<T>(actor: Actor, how: string, work: (tx: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction(work);
    } catch (error) {
      if (!(error instanceof NumberHeld)) throw error;
      await this.revealRegistered(actor, error.holders, how);
      throw DomainError.conflict(
        'A person with that identity number is already registered; ask the collaboration group coordinator for access',
      );
    }
  }

  private async assertNumberFree(
    tx: EntityManager,
    identityNumber: string | null,
    exceptId: string | null,
  ): Promise<void> {
    if (!identityNumber) return;
    // A number someone held before still identifies them (a person must not be registered twice).
    const holders = await sql<{ id: string }>(
      tx,
      `SELECT id FROM person WHERE identity_number = $1
       UNION SELECT person_id FROM person_identity_history WHERE identity_number = $1`,
      [identityNumber],
    );
    const others = holders.map((h) => h.id).filter((id) => id !== exceptId);
    if (others.length > 0) throw new NumberHeld(others);
  }
}

/** A personnummer or samordningsnummer decides the legal gender and birth year; a reserve number tells neither. */
function fromNumber(kind: IdentityKind, number: string | null): { legalGender: LegalGender; birthYear: number } | null {
  if (!number || (kind !== IdentityKind.PERSONNUMMER && kind !== IdentityKind.SAMORDNINGSNUMMER)) return null;
  return { legalGender: LegalGender[legalGenderFromNumber(number)], birthYear: Number(number.slice(0, 4)) };
}

/** A stated legal gender that contradicts the number is refused, not stored (it would skew every split by gender). */
function assertGenderAgrees(
  derived: { legalGender: LegalGender } | null,
  stated: LegalGender | null | undefined,
): void {
  if (derived && stated && stated !== LegalGender.UNKNOWN && stated !== derived.legalGender) {
    throw DomainError.invalid(
      'legalGender',
      'The identity number decides the legal gender, and this one contradicts it',
    );
  }
}

type SearchKey =
  | { by: 'identityNumber'; number: string }
  | { by: 'temporaryReference'; reference: string }
  | { by: 'name'; givenName: string; familyName: string; birthYear: number };

/** Exactly one key, whole: a name without its birth year (or the other name) would widen the search. */
function searchKey(search: PersonSearch): SearchKey {
  const given = (value: string | null | undefined) => (value?.trim() ? value.trim() : null);
  const number = given(search.identityNumber);
  const reference = given(search.temporaryReference);
  const givenName = given(search.givenName);
  const familyName = given(search.familyName);
  const byName = givenName !== null || familyName !== null || search.birthYear != null;
  const keys = [number !== null, reference !== null, byName].filter(Boolean).length;
  if (keys === 0)
    throw DomainError.invalid(
      'input',
      'Search by identityNumber, by temporaryReference, or by givenName, familyName and birthYear',
    );
  if (keys > 1)
    throw DomainError.invalid(
      'input',
      'Search by one key only: identityNumber, temporaryReference, or givenName, familyName and birthYear',
    );
  if (number !== null) {
    const check = validateAnyIdentityNumber(number);
    if (!check.valid) throw DomainError.invalid('identityNumber', `Not a valid identity number: ${check.reason}`);
    return { by: 'identityNumber', number: check.normalized };
  }
  if (reference !== null) return { by: 'temporaryReference', reference };
  if (givenName === null) throw DomainError.invalid('givenName', 'A search by name needs the given name too');
  if (familyName === null) throw DomainError.invalid('familyName', 'A search by name needs the family name too');
  if (search.birthYear == null) throw DomainError.invalid('birthYear', 'A search by name needs the birth year too');
  return { by: 'name', givenName, familyName, birthYear: search.birthYear };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
