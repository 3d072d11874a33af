import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { hashPassword } from '../../libs/auth/src/password';
import {
  Actor,
  ApiKeyService,
  IntegrationClientService,
  CollaborationService,
  ConsentGivenHow,
  ConsentPurpose,
  ConsentScope,
  ConsentService,
  IdentityKind,
  LegalGender,
  luhnCheckDigit,
  NotificationService,
  Organisation,
  OrganisationKind,
  OrganisationService,
  Person,
  PersonService,
  Principal,
  Profession,
  StaffMember,
  StaffService,
} from '../../libs/domain/src';
import { AppConfig, Clock } from '../../libs/infrastructure/src';

/** Fixtures write notifications to the inbox as the API does; nobody subscribes yet, so none is announced live. */
class InboxOnly extends NotificationService {
  override async announce(): Promise<void> {}
}

export const TEST_PASSWORD = 'correct horse battery staple';

/** A valid synthetic personnummer for a date (birth number chosen by `serial`, odd for men). */
export function syntheticPersonnummer(yyyymmdd: string, serial: number, gender: 'FEMALE' | 'MALE'): string {
  let birth = (serial % 500) * 2 + (gender === 'MALE' ? 1 : 0);
  if (birth < 2) birth += 2;
  const nine = yyyymmdd.slice(2) + String(birth).padStart(3, '0');
  return yyyymmdd.slice(0, 2) + nine + luhnCheckDigit(nine);
}

export interface TestStaff {
  staff: StaffMember;
  actor: Actor;
  username: string;
  password: string;
}

/** Builds organisations, staff and persons through the domain services, as the API would. */
export class Fixtures {
  readonly organisations: OrganisationService;
  readonly staffService: StaffService;
  readonly persons: PersonService;
  readonly collaboration: CollaborationService;
  readonly consents: ConsentService;
  readonly apiKeys: ApiKeyService;
  readonly integrationClients: IntegrationClientService;
  private passwordHash?: string;

  constructor(readonly db: DataSource) {
    this.organisations = new OrganisationService(db);
    this.staffService = new StaffService(db);
    this.persons = new PersonService(db, new InboxOnly(db, new AppConfig()));
    this.collaboration = new CollaborationService(db);
    this.consents = new ConsentService(db);
    this.apiKeys = new ApiKeyService(db);
    this.integrationClients = new IntegrationClientService(db, new Clock());
  }

  org(
    principal: Principal,
    kind: OrganisationKind,
    name = `${kind} ${randomBytes(3).toString('hex')}`,
  ): Promise<Organisation> {
    return this.organisations.create({ name, principal, kind });
  }

  async staff(
    organisation: Organisation,
    profession: Profession,
    extra: { externalSubject?: string; administrator?: boolean; auditor?: boolean } = {},
  ): Promise<TestStaff> {
    this.passwordHash ??= await hashPassword(TEST_PASSWORD, 4);
    const username = `${profession.toLowerCase()}-${randomBytes(3).toString('hex')}`;
    const staff = await this.staffService.create({
      organisationId: organisation.id,
      givenName: 'Test',
      familyName: `${profession} ${username.slice(-6)}`,
      profession,
      username,
      passwordHash: this.passwordHash,
      externalSubject: extra.externalSubject ?? null,
      administrator: extra.administrator ?? false,
      auditor: extra.auditor ?? false,
    });
    return {
      staff,
      username,
      password: TEST_PASSWORD,
      actor: {
        staffId: staff.id,
        organisationId: organisation.id,
        unitId: null,
        profession,
        principal: organisation.principal,
        administrator: staff.administrator,
        auditor: staff.auditor,
      },
    };
  }

  person(by: TestStaff, overrides: Partial<Parameters<PersonService['register']>[1]> = {}): Promise<Person> {
    return this.persons.register(by.actor, {
      identityKind: IdentityKind.UNIDENTIFIED,
      givenName: 'Alex',
      familyName: `Testsson ${randomBytes(2).toString('hex')}`,
      birthYear: 1980,
      // A person without a number needs a stated legal gender; a number decides its own.
      legalGender:
        (overrides.identityKind ?? IdentityKind.UNIDENTIFIED) === IdentityKind.UNIDENTIFIED
          ? LegalGender.FEMALE
          : undefined,
      roleInGroup: 'case manager',
      ...overrides,
    });
  }

  /** The person's written consent to sharing within their whole collaboration group, recorded by `by`. */
  consentToGroup(by: TestStaff, personId: string) {
    return this.consents.record(by.actor, {
      personId,
      purpose: ConsentPurpose.SHARING,
      scope: ConsentScope.WHOLE_GROUP,
      givenHow: ConsentGivenHow.WRITTEN,
    });
  }

  /**
   * A municipality social worker, a region psychiatrist and a region nurse, and one person with all three
   * in the group, who has consented to sharing within the group (`consent: false` leaves that out: the
   * region's staff then see only that a plan exists and whom to contact).
   */
  async careSetting(options: { consent?: boolean } = {}) {
    const municipality = await this.org(Principal.MUNICIPALITY, OrganisationKind.DISTRICT_SOCIAL_SERVICES);
    const psychiatry = await this.org(Principal.REGION, OrganisationKind.PSYCHIATRIC_CLINIC);
    const ngo = await this.org(Principal.OTHER, OrganisationKind.NGO);
    const socialWorker = await this.staff(municipality, Profession.SOCIAL_WORKER);
    const psychiatrist = await this.staff(psychiatry, Profession.PSYCHIATRIST);
    const nurse = await this.staff(psychiatry, Profession.NURSE);
    const outsider = await this.staff(municipality, Profession.SOCIAL_WORKER);
    const person = await this.person(socialWorker);
    await this.collaboration.addMember(person.id, {
      staffId: psychiatrist.staff.id,
      role: 'treating psychiatrist',
      votingRepresentative: true,
    });
    await this.collaboration.addMember(person.id, {
      staffId: nurse.staff.id,
      role: 'nurse',
      votingRepresentative: false,
    });
    if (options.consent ?? true) await this.consentToGroup(socialWorker, person.id);
    return { municipality, psychiatry, ngo, socialWorker, psychiatrist, nurse, outsider, person };
  }
}
