import { DataSource, EntityManager } from 'typeorm';
import { CareEpisode } from '../episodes/care-episode.entity';
import { EpisodeKind, EpisodeStatus } from '../episodes/episode.enums';
import { ActTeamService } from '../act-team/act-team.service';
import { CaseCheckKind, CaseCheckService } from '../case-checks/case-check.service';
import { Actor } from '../actor';
import { AppConfig } from '@samverka/infrastructure';
import { GroupMember } from '../collaboration/group-member.entity';
import { HousingKind } from '../housing/housing-kind';
import { HousingService } from '../housing/housing.service';
import { IdentityKind, luhnCheckDigit } from '../identity/identity-number';
import { NotificationService } from '../notifications/notification.service';
import { Organisation } from '../organisation/organisation.entity';
import { OrganisationKind, Principal } from '../organisation/organisation.enums';
import { OrganisationService } from '../organisation/organisation.service';
import { Unit } from '../organisation/unit.entity';
import { Person } from '../person/person.entity';
import { ChildRecord, ChildrenStatus, ContactChannel, LegalGender, ProtectedIdentity } from '../person/person.enums';
import { PersonService } from '../person/person.service';
import { Relative } from '../person/relative.entity';
import { SipMeetingService } from '../meetings/sip-meeting.service';
import {
  InterventionStatus,
  NeedArea,
  ParticipantKind,
  PlanIntervention,
  PlanNeed,
  PlanOtherMeasure,
  PlanParticipant,
  SipPlanStatus,
} from '../sip-plan/sip-plan.content';
import { mayUpdateInterventionStatus } from '../sip-plan/follow-up.rules';
import { SipPlan } from '../sip-plan/sip-plan.entity';
import { SipPlanService } from '../sip-plan/sip-plan.service';
import { Profession } from '../staff/profession';
import { StaffMember } from '../staff/staff-member.entity';
import { StaffService } from '../staff/staff.service';
import { addDays, stockholmInstant as stockholmWallClock, today } from '../time';
import { ContactKind } from '../timeline/contact-kind';
import { TimelineService } from '../timeline/timeline.service';
import { sql } from '../database/sql';

/**
 * The synthetic demo data set: a Stockholm setting with district social services, the city's
 * homelessness unit, regional psychiatry and addiction care, an NGO, a housing company, an ACT team
 * and sixteen fictional persons with their collaboration groups, SIP plans, timelines and housing.
 *
 * Every name and identity number here is invented. Identity numbers are generated (valid check
 * digit, birth number odd for men and even for women) and may by chance equal a real person's number:
 * never use this data set outside a demo or test installation.
 */

/** The one password of every demo login. */
export const DEMO_PASSWORD = 'samverka-demo';

/** Taken (for the transaction) by every process that seeds, so two starting APIs never both seed. */
const SEED_LOCK_KEY = 7_746_311_003;

export interface DemoLogin {
  username: string;
  password: string;
  profession: Profession;
  /** The organisation's name. */
  organisation: string;
}

export interface SeedOptions {
  /** Hashes the demo password (libs/auth's hashPassword; injected because libs/domain does not import libs/auth). */
  hashPassword: (password: string) => Promise<string>;
}

/**
 * Loads the demo data set into an empty database, in one transaction, under an advisory lock.
 * Returns null (and changes nothing) when the database already holds any organisation.
 */
export async function seedDemoData(dataSource: DataSource, options: SeedOptions): Promise<DemoLogin[] | null> {
  return dataSource.transaction(async (tx) => {
    await sql(tx, 'SELECT pg_advisory_xact_lock($1)', [SEED_LOCK_KEY]);
    const rows = await sql<{ any: boolean }>(tx, 'SELECT EXISTS (SELECT 1 FROM organisation) AS "any"');
    if (rows[0]?.any) return null;
    const passwordHash = await options.hashPassword(DEMO_PASSWORD);
    return new DemoSeeder(tx, passwordHash).run();
  });
}

/** The demo logins as a small text table (username, profession, organisation) with the shared password. */
export function formatDemoLogins(logins: readonly DemoLogin[]): string {
  const header = { username: 'username', profession: 'profession', organisation: 'organisation' };
  const rows = [header, ...logins];
  const w1 = Math.max(...rows.map((r) => r.username.length));
  const w2 = Math.max(...rows.map((r) => r.profession.length));
  const lines = rows.map((r) => `  ${r.username.padEnd(w1)}  ${r.profession.padEnd(w2)}  ${r.organisation}`);
  lines.splice(1, 0, `  ${'-'.repeat(w1)}  ${'-'.repeat(w2)}  ${'-'.repeat(12)}`);
  return [`Demo logins (password for all: ${logins[0]?.password ?? DEMO_PASSWORD}):`, ...lines].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Deterministic pseudo-randomness (mulberry32): the same data set on every run (relative to today).

class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** A version-4-shaped UUID from the generator, for plan items that must refer to each other. */
  uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.next() * 16).toString(16));
    hex[12] = '4';
    hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
    const s = hex.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Organisations and staff

type OrgKey =
  | 'farsta'
  | 'jarva'
  | 'sodermalm'
  | 'skarpnack'
  | 'eav'
  | 'kungsholmen'
  | 'norra'
  | 'homelessness'
  | 'psySouth'
  | 'psyNorth'
  | 'addiction'
  | 'primaryCare'
  | 'ngo'
  | 'housing';

type DistrictKey = 'farsta' | 'jarva' | 'sodermalm' | 'skarpnack' | 'eav' | 'kungsholmen' | 'norra';

const DISTRICT_UNITS = ['Skadligt bruk/beroende', 'Socialpsykiatri', 'Ekonomiskt bistånd'];

const ORGANISATIONS: Record<OrgKey, { name: string; principal: Principal; kind: OrganisationKind; units: string[] }> = {
  farsta: {
    name: 'Farsta stadsdelsförvaltning',
    principal: Principal.MUNICIPALITY,
    kind: OrganisationKind.DISTRICT_SOCIAL_SERVICES,
    units: DISTRICT_UNITS,
  },
  jarva: {
    name: 'Järva stadsdelsförvaltning',
    principal: Principal.MUNICIPALITY,
    kind: OrganisationKind.DISTRICT_SOCIAL_SERVICES,
    units: DISTRICT_UNITS,
  },
  sodermalm: {
    name: 'Södermalms stadsdelsförvaltning',
    principal: Principal.MUNICIPALITY,
    kind: OrganisationKind.DISTRICT_SOCIAL_SERVICES,
    units: DISTRICT_UNITS,
  },
  skarpnack: {
    name: 'Skarpnäcks stadsdelsförvaltning',
    principal: Principal.MUNICIPALITY,
    kind: OrganisationKind.DISTRICT_SOCIAL_SERVICES,
    units: DISTRICT_UNITS,
  },
  eav: {
    name: 'Enskede-Årsta-Vantörs stadsdelsförvaltning',
    principal: Principal.MUNICIPALITY,
    kind: OrganisationKind.DISTRICT_SOCIAL_SERVICES,
    units: DISTRICT_UNITS,
  },
  kungsholmen: {
    name: 'Kungsholmens stadsdelsförvaltning',
    principal: Principal.MUNICIPALITY,
    kind: OrganisationKind.DISTRICT_SOCIAL_SERVICES,
    units: DISTRICT_UNITS,
  },
  norra: {
    name: 'Norra innerstadens stadsdelsförvaltning',
    principal: Principal.MUNICIPALITY,
    kind: OrganisationKind.DISTRICT_SOCIAL_SERVICES,
    units: DISTRICT_UNITS,
  },
  homelessness: {
    name: 'Område hemlöshet, Stockholms stad',
    principal: Principal.MUNICIPALITY,
    kind: OrganisationKind.CITY_HOMELESSNESS_UNIT,
    units: ['Uppsökarenheten', 'Bostad Först', 'Boendestöd', 'Akut- och stödboenden'],
  },
  psySouth: {
    name: 'Psykiatri Södra Stockholm',
    principal: Principal.REGION,
    kind: OrganisationKind.PSYCHIATRIC_CLINIC,
    units: ['Psykosmottagning Söder', 'Allmänpsykiatri', 'Heldygnsvård'],
  },
  psyNorth: {
    name: 'Norra Stockholms psykiatri',
    principal: Principal.REGION,
    kind: OrganisationKind.PSYCHIATRIC_CLINIC,
    units: ['Psykosmottagning Norr', 'Heldygnsvård'],
  },
  addiction: {
    name: 'Beroendecentrum Stockholm',
    principal: Principal.REGION,
    kind: OrganisationKind.ADDICTION_CARE,
    units: ['Mottagning Söder', 'Mottagning Nord', 'Läkemedelsassisterad behandling (LARO)'],
  },
  primaryCare: {
    name: 'Mobila vårdcentralen för hemlösa',
    principal: Principal.REGION,
    kind: OrganisationKind.PRIMARY_CARE,
    units: [],
  },
  ngo: {
    name: 'Föreningen Nattljus',
    principal: Principal.OTHER,
    kind: OrganisationKind.NGO,
    units: ['Dagverksamhet', 'Uppsökande verksamhet'],
  },
  housing: {
    name: 'Bostadsbolaget Hemvist',
    principal: Principal.OTHER,
    kind: OrganisationKind.HOUSING_PROVIDER,
    units: [],
  },
};

type StaffKey =
  | 'socialworker'
  | 'casemanager'
  | 'nurse'
  | 'psychiatrist'
  | 'psychologist'
  | 'occupationaltherapist'
  | 'substanceabuse'
  | 'peersupport'
  | 'housingsupport'
  | 'outreach'
  | 'swJarva'
  | 'swSodermalm'
  | 'swSkarpnack'
  | 'swEav'
  | 'swKungsholmen'
  | 'swNorra'
  | 'caseManagerRegion'
  | 'psychiatristNorth'
  | 'nurseNorth'
  | 'addictionNurseNorth'
  | 'landlord'
  | 'administrator'
  | 'auditor';

interface StaffSeed {
  org: OrgKey;
  unit: string | null;
  givenName: string;
  familyName: string;
  profession: Profession;
  title: string;
  /** Demo login name; staff without one cannot sign in. */
  username?: string;
  /** Maintains the directory (organisations, staff, ACT teams); sees no person because of it. */
  administrator?: boolean;
  /** Reviews the access log; sees no care data. */
  auditor?: boolean;
  /** May see protected whereabouts and change a person's protection level (in their own groups). */
  whereaboutsAuthorised?: boolean;
}

/** One demo login per profession (every Profession but OTHER), a social worker authorised for protected whereabouts, an administrator, and colleagues without logins. */
const STAFF: Record<StaffKey, StaffSeed> = {
  socialworker: {
    org: 'farsta',
    unit: 'Skadligt bruk/beroende',
    givenName: 'Elin',
    familyName: 'Bergkvist',
    profession: Profession.SOCIAL_WORKER,
    title: 'Socialsekreterare',
    username: 'socialworker',
  },
  casemanager: {
    org: 'homelessness',
    unit: 'Bostad Först',
    givenName: 'Jonas',
    familyName: 'Ekström',
    profession: Profession.CASE_MANAGER,
    title: 'Case manager, ACT',
    username: 'casemanager',
  },
  nurse: {
    org: 'psySouth',
    unit: 'Psykosmottagning Söder',
    givenName: 'Sara',
    familyName: 'Holmgren',
    profession: Profession.NURSE,
    title: 'Sjuksköterska',
    username: 'nurse',
  },
  psychiatrist: {
    org: 'psySouth',
    unit: 'Psykosmottagning Söder',
    givenName: 'Leila',
    familyName: 'Rahimi',
    profession: Profession.PSYCHIATRIST,
    title: 'Överläkare',
    username: 'psychiatrist',
  },
  psychologist: {
    org: 'psySouth',
    unit: 'Allmänpsykiatri',
    givenName: 'Henrik',
    familyName: 'Sjöberg',
    profession: Profession.PSYCHOLOGIST,
    title: 'Psykolog',
    username: 'psychologist',
  },
  occupationaltherapist: {
    org: 'psySouth',
    unit: 'Psykosmottagning Söder',
    givenName: 'Anna',
    familyName: 'Wikström',
    profession: Profession.OCCUPATIONAL_THERAPIST,
    title: 'Arbetsterapeut',
    username: 'occupationaltherapist',
  },
  substanceabuse: {
    org: 'addiction',
    unit: 'Mottagning Söder',
    givenName: 'Mikael',
    familyName: 'Forsberg',
    profession: Profession.SUBSTANCE_ABUSE_SPECIALIST,
    title: 'Beroendeterapeut',
    username: 'substanceabuse',
  },
  peersupport: {
    org: 'ngo',
    unit: 'Uppsökande verksamhet',
    givenName: 'Tobias',
    familyName: 'Lundell',
    profession: Profession.PEER_SUPPORT_WORKER,
    title: 'Peer supporter',
    username: 'peersupport',
  },
  housingsupport: {
    org: 'homelessness',
    unit: 'Boendestöd',
    givenName: 'Fatima',
    familyName: 'Yilmaz',
    profession: Profession.HOUSING_SUPPORT_WORKER,
    title: 'Boendestödjare',
    username: 'housingsupport',
  },
  outreach: {
    org: 'homelessness',
    unit: 'Uppsökarenheten',
    givenName: 'Oskar',
    familyName: 'Dahlberg',
    profession: Profession.OUTREACH_COORDINATOR,
    title: 'Uppsökare (USI)',
    username: 'outreach',
  },
  swJarva: {
    org: 'jarva',
    unit: 'Skadligt bruk/beroende',
    givenName: 'Hanna',
    familyName: 'Mohammed',
    profession: Profession.SOCIAL_WORKER,
    title: 'Socialsekreterare',
  },
  // The one demo login authorised for protected whereabouts: in the group of a person with skyddad folkbokföring.
  swSodermalm: {
    org: 'sodermalm',
    unit: 'Socialpsykiatri',
    givenName: 'Peter',
    familyName: 'Lindahl',
    profession: Profession.SOCIAL_WORKER,
    title: 'Socialsekreterare',
    username: 'protectedidentity',
    whereaboutsAuthorised: true,
  },
  swSkarpnack: {
    org: 'skarpnack',
    unit: 'Skadligt bruk/beroende',
    givenName: 'Camilla',
    familyName: 'Öberg',
    profession: Profession.SOCIAL_WORKER,
    title: 'Socialsekreterare',
  },
  swEav: {
    org: 'eav',
    unit: 'Socialpsykiatri',
    givenName: 'David',
    familyName: 'Strand',
    profession: Profession.SOCIAL_WORKER,
    title: 'Socialsekreterare',
  },
  swKungsholmen: {
    org: 'kungsholmen',
    unit: 'Socialpsykiatri',
    givenName: 'Ingrid',
    familyName: 'Falk',
    profession: Profession.SOCIAL_WORKER,
    title: 'Socialsekreterare',
  },
  swNorra: {
    org: 'norra',
    unit: 'Skadligt bruk/beroende',
    givenName: 'Ahmed',
    familyName: 'Jama',
    profession: Profession.SOCIAL_WORKER,
    title: 'Socialsekreterare',
  },
  caseManagerRegion: {
    org: 'psySouth',
    unit: 'Psykosmottagning Söder',
    givenName: 'Linnea',
    familyName: 'Björk',
    profession: Profession.CASE_MANAGER,
    title: 'Case manager, ACT',
  },
  psychiatristNorth: {
    org: 'psyNorth',
    unit: 'Psykosmottagning Norr',
    givenName: 'Johan',
    familyName: 'Sandell',
    profession: Profession.PSYCHIATRIST,
    title: 'Specialistläkare',
  },
  nurseNorth: {
    org: 'psyNorth',
    unit: 'Psykosmottagning Norr',
    givenName: 'Maria',
    familyName: 'Kowalska',
    profession: Profession.NURSE,
    title: 'Sjuksköterska',
  },
  addictionNurseNorth: {
    org: 'addiction',
    unit: 'Mottagning Nord',
    givenName: 'Emil',
    familyName: 'Hedlund',
    profession: Profession.NURSE,
    title: 'Sjuksköterska, beroendevård',
  },
  landlord: {
    org: 'housing',
    unit: null,
    givenName: 'Karin',
    familyName: 'Sundqvist',
    profession: Profession.OTHER,
    title: 'Boendekonsulent',
  },
  administrator: {
    org: 'homelessness',
    unit: null,
    givenName: 'Nils',
    familyName: 'Forsberg',
    profession: Profession.OTHER,
    title: 'Systemförvaltare',
    username: 'admin',
    administrator: true,
  },
  auditor: {
    org: 'psySouth',
    unit: null,
    givenName: 'Greta',
    familyName: 'Nyberg',
    profession: Profession.OTHER,
    title: 'Logggranskare',
    username: 'auditor',
    auditor: true,
  },
};

// ---------------------------------------------------------------------------------------------
// Persons

type PlanKind = 'ACTIVE' | 'ACTIVE_REVISED' | 'UNDER_REVISION' | 'DRAFT';

interface PersonSeed {
  givenName: string;
  familyName: string;
  gender: LegalGender.FEMALE | LegalGender.MALE;
  age: number;
  district: DistrictKey;
  identity: IdentityKind;
  protectedIdentity?: ProtectedIdentity;
  /** UNKNOWN: nobody has asked yet. For YES, each child's age in years and whether the child lives with the person. */
  children: ChildrenStatus;
  childAges?: Array<[number, boolean]>;
  relatives?: Array<Omit<Relative, 'id' | 'personId' | 'endedOn'>>;
  channel?: ContactChannel;
  phone?: string;
  /** When the collaboration group was formed. */
  knownForMonths: number;
  /** The first member registered the person (and so coordinates the group). */
  members: Array<{ staff: StaffKey; role: string; voting?: boolean }>;
  act?: { caseManager: StaffKey; sinceMonths: number };
  plan: PlanKind;
  /** Days from today to the follow-up date; negative means overdue. */
  followUpInDays: number;
  overall: Principal.MUNICIPALITY | Principal.REGION;
  goals: string;
  needs: Partial<Record<NeedArea, string>>;
  /** Oldest first; the last one is where the person lives now. */
  housing: Array<{ kind: HousingKind; monthsAgo: number; note?: string }>;
  places: string[];
}

const FICTIONAL_PHONE = (n: number) => `070-174 06 ${String(10 + n).padStart(2, '0')}`;

const PERSONS: PersonSeed[] = [
  {
    givenName: 'Lena',
    familyName: 'Sandberg',
    gender: LegalGender.FEMALE,
    age: 58,
    district: 'farsta',
    identity: IdentityKind.PERSONNUMMER,
    children: ChildrenStatus.NONE,
    relatives: [
      {
        name: 'Birgitta Sandberg',
        relation: 'syster',
        phone: FICTIONAL_PHONE(1),
        mayParticipate: true,
        supportNeeds: 'Sliten; erbjuden anhöriggruppen',
      },
    ],
    knownForMonths: 20,
    members: [
      { staff: 'socialworker', role: 'socialsekreterare, beroendeenheten' },
      { staff: 'psychiatrist', role: 'behandlande psykiater', voting: true },
      { staff: 'nurse', role: 'fast vårdkontakt' },
      { staff: 'casemanager', role: 'case manager i ACT' },
      { staff: 'housingsupport', role: 'boendestödjare' },
    ],
    act: { caseManager: 'casemanager', sinceMonths: 14 },
    plan: 'ACTIVE_REVISED',
    followUpInDays: 12,
    overall: Principal.MUNICIPALITY,
    goals: 'Behålla träningslägenheten och ha eget kontrakt inom ett år. Träffa min syster oftare.',
    needs: {
      [NeedArea.HOUSING]: 'Har förlorat tre boenden på fem år; bor nu i träningslägenhet och vill behålla den.',
      [NeedArea.MENTAL_HEALTH]: 'Schizofreni; återfaller när medicineringen upphör.',
      [NeedArea.SUBSTANCE_USE]: 'Dagligt alkoholbruk, perioder med bensodiazepiner.',
      [NeedArea.PHYSICAL_HEALTH]: 'Obehandlad typ 2-diabetes och bensår.',
    },
    housing: [
      { kind: HousingKind.STREET, monthsAgo: 30 },
      { kind: HousingKind.EMERGENCY_SHELTER, monthsAgo: 26 },
      { kind: HousingKind.SUPPORTED_HOUSING, monthsAgo: 22, note: 'Avslutat efter upprepat alkoholbruk i boendet' },
      { kind: HousingKind.EMERGENCY_SHELTER, monthsAgo: 15 },
      { kind: HousingKind.TRAINING_FLAT, monthsAgo: 7 },
    ],
    places: ['Farsta centrum', 'Hökarängen', 'Farsta strand'],
  },
  {
    givenName: 'Jessica',
    familyName: 'Nordin',
    gender: LegalGender.FEMALE,
    age: 34,
    district: 'sodermalm',
    identity: IdentityKind.PERSONNUMMER,
    protectedIdentity: ProtectedIdentity.SKYDDAD_FOLKBOKFORING,
    children: ChildrenStatus.YES,
    childAges: [[9, false]],
    knownForMonths: 16,
    members: [
      { staff: 'swSodermalm', role: 'socialsekreterare, socialpsykiatri' },
      { staff: 'psychiatrist', role: 'behandlande psykiater', voting: true },
      { staff: 'nurse', role: 'fast vårdkontakt' },
      { staff: 'casemanager', role: 'case manager i ACT' },
      { staff: 'substanceabuse', role: 'beroendeterapeut' },
      { staff: 'psychologist', role: 'psykolog, traumabehandling' },
    ],
    act: { caseManager: 'casemanager', sinceMonths: 12 },
    plan: 'ACTIVE_REVISED',
    followUpInDays: 20,
    overall: Principal.MUNICIPALITY,
    goals: 'Vara trygg för min före detta partner. Träffa min son regelbundet. Bo kvar i min lägenhet.',
    needs: {
      [NeedArea.SAFETY]: 'Våldsutsatt av tidigare partner; risken bedömd som hög. Skyddad folkbokföring.',
      [NeedArea.CHILDREN_AND_FAMILY]: 'Son, 9 år, i familjehem; önskar regelbundna umgängen med umgängesstöd.',
      [NeedArea.MENTAL_HEALTH]: 'PTSD och återkommande psykotiska episoder.',
      [NeedArea.SUBSTANCE_USE]: 'Amfetaminbruk, främst i kriser.',
      [NeedArea.HOUSING]: 'Lägenhet genom Bostad Först sedan i våras; behöver stöd för att behålla den.',
    },
    housing: [
      { kind: HousingKind.EMERGENCY_SHELTER, monthsAgo: 18 },
      { kind: HousingKind.SUPPORTED_HOUSING_DRUG_TOLERANT, monthsAgo: 14 },
      { kind: HousingKind.HOUSING_FIRST_FLAT, monthsAgo: 8 },
    ],
    places: ['Medborgarplatsen', 'Slussen', 'Skanstull'],
  },
  {
    givenName: 'Sofia',
    familyName: 'Karlén',
    gender: LegalGender.FEMALE,
    age: 27,
    district: 'farsta',
    identity: IdentityKind.PERSONNUMMER,
    children: ChildrenStatus.UNKNOWN,
    channel: ContactChannel.SMS,
    phone: FICTIONAL_PHONE(2),
    knownForMonths: 3,
    members: [
      { staff: 'socialworker', role: 'socialsekreterare, beroendeenheten' },
      { staff: 'psychiatrist', role: 'behandlande psykiater', voting: true },
      { staff: 'outreach', role: 'uppsökare' },
      { staff: 'casemanager', role: 'case manager i ACT' },
    ],
    act: { caseManager: 'casemanager', sinceMonths: 1 },
    plan: 'DRAFT',
    followUpInDays: 30,
    overall: Principal.MUNICIPALITY,
    goals: 'Ett ställe att sova på som inte är ett härbärge.',
    needs: {
      [NeedArea.HOUSING]: 'Sover på härbärgen och hos bekanta.',
      [NeedArea.MENTAL_HEALTH]:
        'Första psykosen förra året; ingen kontakt med psykiatrin sedan utskrivningen från slutenvården.',
      [NeedArea.SUBSTANCE_USE]: 'Cannabis och amfetamin.',
    },
    housing: [
      { kind: HousingKind.STREET, monthsAgo: 5 },
      { kind: HousingKind.EMERGENCY_SHELTER, monthsAgo: 2 },
    ],
    places: ['Farsta centrum', 'Gubbängen'],
  },
  {
    givenName: 'Marianne',
    familyName: 'Ekholm',
    gender: LegalGender.FEMALE,
    age: 63,
    district: 'kungsholmen',
    identity: IdentityKind.PERSONNUMMER,
    children: ChildrenStatus.NONE,
    relatives: [
      {
        name: 'Fredrik Ekholm',
        relation: 'vuxen son',
        phone: FICTIONAL_PHONE(3),
        mayParticipate: true,
        supportNeeds: null,
      },
    ],
    channel: ContactChannel.PHONE,
    phone: FICTIONAL_PHONE(4),
    knownForMonths: 24,
    members: [
      { staff: 'swKungsholmen', role: 'socialsekreterare, socialpsykiatri' },
      { staff: 'psychiatristNorth', role: 'behandlande psykiater', voting: true },
      { staff: 'nurseNorth', role: 'fast vårdkontakt' },
      { staff: 'housingsupport', role: 'boendestödjare' },
    ],
    plan: 'ACTIVE',
    followUpInDays: -9,
    overall: Principal.MUNICIPALITY,
    goals: 'Behålla min lägenhet. Hålla mig nykter.',
    needs: {
      [NeedArea.HOUSING]: 'Tog över kontraktet i år efter försökslägenhet.',
      [NeedArea.MENTAL_HEALTH]: 'Bipolär sjukdom, stabil på litium.',
      [NeedArea.SUBSTANCE_USE]: 'Alkohol; nykter i elva månader.',
      [NeedArea.DAILY_LIVING]: 'Behöver stöd med post, räkningar och att passa tider.',
    },
    housing: [
      { kind: HousingKind.INSTITUTION, monthsAgo: 36, note: 'Behandlingshem' },
      { kind: HousingKind.SUPPORTED_HOUSING, monthsAgo: 30 },
      { kind: HousingKind.TRIAL_FLAT, monthsAgo: 16 },
      { kind: HousingKind.OWN_LEASE, monthsAgo: 3, note: 'Tog över kontraktet på försökslägenheten' },
    ],
    places: ['Fridhemsplan', 'Sankt Eriksplan'],
  },
  {
    givenName: 'Amina',
    familyName: 'Warsame',
    gender: LegalGender.FEMALE,
    age: 41,
    district: 'jarva',
    identity: IdentityKind.PERSONNUMMER,
    children: ChildrenStatus.YES,
    childAges: [
      [15, false],
      [11, false],
    ],
    relatives: [
      {
        name: 'Hodan Warsame',
        relation: 'mamma',
        phone: FICTIONAL_PHONE(5),
        mayParticipate: false,
        supportNeeds: 'Tar hand om båda barnbarnen; behöver tolk',
      },
    ],
    knownForMonths: 11,
    members: [
      { staff: 'swJarva', role: 'socialsekreterare, beroendeenheten' },
      { staff: 'psychiatristNorth', role: 'behandlande psykiater', voting: true },
      { staff: 'nurseNorth', role: 'fast vårdkontakt' },
      { staff: 'addictionNurseNorth', role: 'sjuksköterska, beroendevården' },
    ],
    plan: 'ACTIVE',
    followUpInDays: 25,
    overall: Principal.REGION,
    goals: 'Att barnen kan hälsa på mig där jag bor. Färre dagar på sjukhus.',
    needs: {
      [NeedArea.CHILDREN_AND_FAMILY]: 'Två barn som bor hos mormor; vill träffa dem.',
      [NeedArea.MENTAL_HEALTH]: 'Schizoaffektivt syndrom; tre inläggningar i år.',
      [NeedArea.SUBSTANCE_USE]: 'Alkohol och lugnande medel.',
      [NeedArea.SAFETY]: 'Frågat om våldsutsatthet; inget aktuellt hot, frågas igen.',
      [NeedArea.INCOME]: 'Ingen inkomst sedan förra året; skulder.',
    },
    housing: [
      { kind: HousingKind.EMERGENCY_SHELTER, monthsAgo: 12 },
      { kind: HousingKind.HOSPITAL, monthsAgo: 6, note: 'Psykiatrisk slutenvård' },
      { kind: HousingKind.SUPPORTED_HOUSING, monthsAgo: 5 },
    ],
    places: ['Tensta centrum', 'Rinkeby torg', 'Kista centrum'],
  },
  {
    givenName: 'Therese',
    familyName: 'Viklund',
    gender: LegalGender.FEMALE,
    age: 45,
    district: 'eav',
    identity: IdentityKind.PERSONNUMMER,
    protectedIdentity: ProtectedIdentity.SEKRETESSMARKERING,
    children: ChildrenStatus.NONE,
    knownForMonths: 13,
    members: [
      { staff: 'nurse', role: 'fast vårdkontakt' },
      { staff: 'swEav', role: 'socialsekreterare, socialpsykiatri', voting: true },
      { staff: 'psychiatrist', role: 'behandlande psykiater' },
      { staff: 'psychologist', role: 'psykolog' },
      { staff: 'casemanager', role: 'case manager i ACT' },
      { staff: 'housingsupport', role: 'boendestödjare' },
    ],
    act: { caseManager: 'casemanager', sinceMonths: 10 },
    plan: 'UNDER_REVISION',
    followUpInDays: 5,
    overall: Principal.REGION,
    goals: 'Sova hela natten. Inte bli hittad av folk från förr.',
    needs: {
      [NeedArea.SAFETY]: 'Har blivit hotad; sekretessmarkering. Säkerhetsplanering behövs före en flytt.',
      [NeedArea.MENTAL_HEALTH]: 'Emotionellt instabil personlighetsstörning och svår ångest.',
      [NeedArea.SUBSTANCE_USE]: 'Opioider; i läkemedelsassisterad behandling (LARO).',
      [NeedArea.HOUSING]: 'Lägenhet genom Bostad Först; grannar har klagat på besökare.',
    },
    housing: [
      { kind: HousingKind.STREET, monthsAgo: 20 },
      { kind: HousingKind.EMERGENCY_SHELTER, monthsAgo: 15 },
      { kind: HousingKind.HOUSING_FIRST_FLAT, monthsAgo: 9 },
    ],
    places: ['Gullmarsplan', 'Högdalen centrum'],
  },
  {
    givenName: 'Nadja',
    familyName: 'K. (uppgivet)',
    gender: LegalGender.FEMALE,
    age: 35,
    district: 'norra',
    identity: IdentityKind.UNIDENTIFIED,
    children: ChildrenStatus.UNKNOWN,
    knownForMonths: 2,
    members: [
      { staff: 'outreach', role: 'uppsökare' },
      { staff: 'swNorra', role: 'socialsekreterare, beroendeenheten' },
      { staff: 'psychiatristNorth', role: 'psykiater, konsultationer', voting: true },
      { staff: 'peersupport', role: 'peer supporter' },
    ],
    plan: 'DRAFT',
    followUpInDays: 21,
    overall: Principal.MUNICIPALITY,
    goals: 'Få tillbaka min id-handling.',
    needs: {
      [NeedArea.OTHER]: 'Saknar id-handling; identiteten är inte fastställd.',
      [NeedArea.HOUSING]: 'Sover ute kring Sergels torg.',
      [NeedArea.PHYSICAL_HEALTH]: 'Infekterade sår på båda benen.',
    },
    housing: [
      { kind: HousingKind.STREET, monthsAgo: 4 },
      { kind: HousingKind.EMERGENCY_SHELTER, monthsAgo: 1 },
    ],
    places: ['Sergels torg', 'Hötorget', 'Odenplan'],
  },
  {
    givenName: 'Malin',
    familyName: 'Åberg',
    gender: LegalGender.FEMALE,
    age: 23,
    district: 'farsta',
    identity: IdentityKind.PERSONNUMMER,
    children: ChildrenStatus.YES,
    childAges: [[1, false]],
    relatives: [
      { name: 'Eva Åberg', relation: 'mamma', phone: FICTIONAL_PHONE(6), mayParticipate: false, supportNeeds: null },
    ],
    channel: ContactChannel.SMS,
    phone: FICTIONAL_PHONE(7),
    knownForMonths: 9,
    members: [
      { staff: 'socialworker', role: 'socialsekreterare, beroendeenheten' },
      { staff: 'caseManagerRegion', role: 'case manager i ACT', voting: true },
      { staff: 'nurse', role: 'sjuksköterska' },
      { staff: 'peersupport', role: 'peer supporter' },
    ],
    act: { caseManager: 'caseManagerRegion', sinceMonths: 8 },
    plan: 'ACTIVE',
    followUpInDays: 40,
    overall: Principal.MUNICIPALITY,
    goals: 'Få hem min dotter. Gå klart gymnasiet.',
    needs: {
      [NeedArea.CHILDREN_AND_FAMILY]: 'Dotter, 1 år, placerad i familjehem; barnkonsekvensanalys i varje beslut.',
      [NeedArea.SUBSTANCE_USE]: 'Opioider och bensodiazepiner sedan tonåren.',
      [NeedArea.MENTAL_HEALTH]: 'ADHD (diagnostiserad) och depression.',
      [NeedArea.OCCUPATION]: 'Vill gå klart skolan.',
      [NeedArea.SAFETY]: 'Berättar om påtryckningar från en äldre partner; bedömning pågår.',
    },
    housing: [
      { kind: HousingKind.EMERGENCY_SHELTER, monthsAgo: 11 },
      { kind: HousingKind.SUPPORTED_HOUSING, monthsAgo: 8 },
      { kind: HousingKind.TRAINING_FLAT, monthsAgo: 2 },
    ],
    places: ['Farsta centrum', 'Hökarängen'],
  },
  {
    givenName: 'Stefan',
    familyName: 'Backman',
    gender: LegalGender.MALE,
    age: 52,
    district: 'farsta',
    identity: IdentityKind.PERSONNUMMER,
    children: ChildrenStatus.NONE,
    channel: ContactChannel.PHONE,
    phone: FICTIONAL_PHONE(8),
    knownForMonths: 30,
    members: [
      { staff: 'casemanager', role: 'case manager i ACT' },
      { staff: 'socialworker', role: 'socialsekreterare, beroendeenheten' },
      { staff: 'psychiatrist', role: 'behandlande psykiater', voting: true },
      { staff: 'nurse', role: 'fast vårdkontakt' },
      { staff: 'housingsupport', role: 'boendestödjare' },
    ],
    act: { caseManager: 'casemanager', sinceMonths: 24 },
    plan: 'ACTIVE_REVISED',
    followUpInDays: 33,
    overall: Principal.REGION,
    goals: 'Behålla lägenheten. Fiska på sommaren. Färre sjukhusvistelser.',
    needs: {
      [NeedArea.HOUSING]: 'Har behållit sin lägenhet genom Bostad Först i två år.',
      [NeedArea.MENTAL_HEALTH]: 'Paranoid schizofreni; depåinjektioner.',
      [NeedArea.SUBSTANCE_USE]: 'Alkohol, mindre än tidigare.',
      [NeedArea.PHYSICAL_HEALTH]: 'Hepatit C, behandlingen har inte börjat.',
      [NeedArea.SOCIAL_NETWORK]: 'Få kontakter utanför verksamheterna.',
    },
    housing: [
      { kind: HousingKind.STREET, monthsAgo: 40 },
      { kind: HousingKind.EMERGENCY_SHELTER, monthsAgo: 33 },
      { kind: HousingKind.HOUSING_FIRST_FLAT, monthsAgo: 25 },
    ],
    places: ['Farsta centrum', 'Fagersjö'],
  },
  {
    givenName: 'Mehmet',
    familyName: 'Kaya',
    gender: LegalGender.MALE,
    age: 39,
    district: 'jarva',
    identity: IdentityKind.PERSONNUMMER,
    children: ChildrenStatus.YES,
    childAges: [
      [12, false],
      [7, false],
    ],
    relatives: [
      { name: 'Zeynep Kaya', relation: 'syster', phone: FICTIONAL_PHONE(9), mayParticipate: true, supportNeeds: null },
    ],
    knownForMonths: 18,
    members: [
      { staff: 'swJarva', role: 'socialsekreterare, beroendeenheten' },
      { staff: 'substanceabuse', role: 'beroendeterapeut', voting: true },
      { staff: 'psychiatristNorth', role: 'behandlande psykiater' },
      { staff: 'peersupport', role: 'peer supporter' },
    ],
    plan: 'ACTIVE',
    followUpInDays: 16,
    overall: Principal.MUNICIPALITY,
    goals: 'Träffa mina barn varannan helg. Hålla mig drogfri.',
    needs: {
      [NeedArea.SUBSTANCE_USE]: 'Heroin; i LARO-behandling sedan LVM-vården.',
      [NeedArea.MENTAL_HEALTH]: 'PTSD; ADHD-utredning pågår.',
      [NeedArea.CHILDREN_AND_FAMILY]: 'Två barn som bor hos sin mamma; umgänge överenskommet via familjerätten.',
      [NeedArea.HOUSING]: 'Stödboende efter avslutad tvångsvård (LVM).',
    },
    housing: [
      { kind: HousingKind.SUPPORTED_HOUSING, monthsAgo: 20 },
      { kind: HousingKind.EMERGENCY_SHELTER, monthsAgo: 16 },
      { kind: HousingKind.STREET, monthsAgo: 13 },
      { kind: HousingKind.INSTITUTION, monthsAgo: 10, note: 'Tvångsvård (LVM)' },
      { kind: HousingKind.SUPPORTED_HOUSING, monthsAgo: 4 },
    ],
    places: ['Rinkeby torg', 'Tensta centrum', 'Husby centrum'],
  },
  {
    givenName: 'Tomasz',
    familyName: 'Nowak',
    gender: LegalGender.MALE,
    age: 44,
    district: 'sodermalm',
    identity: IdentityKind.SAMORDNINGSNUMMER,
    children: ChildrenStatus.UNKNOWN,
    knownForMonths: 7,
    members: [
      { staff: 'swSodermalm', role: 'socialsekreterare, socialpsykiatri' },
      { staff: 'substanceabuse', role: 'beroendeterapeut', voting: true },
      { staff: 'outreach', role: 'uppsökare' },
      { staff: 'nurse', role: 'sjuksköterska' },
    ],
    plan: 'UNDER_REVISION',
    followUpInDays: 10,
    overall: Principal.REGION,
    goals: 'Ett eget rum. Hjälp med papper.',
    needs: {
      [NeedArea.SUBSTANCE_USE]: 'Daglig alkohol; abstinenskramper två gånger i år.',
      [NeedArea.HOUSING]: 'Lågtröskelboende; risk att förlora platsen.',
      [NeedArea.INCOME]: 'Oklar rätt till ekonomiskt bistånd (samordningsnummer, inte folkbokförd i Sverige).',
      [NeedArea.MENTAL_HEALTH]: 'Depression; psykiatrisk bedömning begärd.',
    },
    housing: [
      { kind: HousingKind.STREET, monthsAgo: 9 },
      { kind: HousingKind.EMERGENCY_SHELTER, monthsAgo: 6 },
      { kind: HousingKind.SUPPORTED_HOUSING_DRUG_TOLERANT, monthsAgo: 3 },
    ],
    places: ['Slussen', 'Medborgarplatsen', 'Ringvägen'],
  },
  {
    givenName: 'Johan',
    familyName: 'Ekberg',
    gender: LegalGender.MALE,
    age: 61,
    district: 'kungsholmen',
    identity: IdentityKind.PERSONNUMMER,
    children: ChildrenStatus.NONE,
    relatives: [
      { name: 'Lars Ekberg', relation: 'bror', phone: FICTIONAL_PHONE(10), mayParticipate: true, supportNeeds: null },
    ],
    knownForMonths: 26,
    members: [
      { staff: 'swKungsholmen', role: 'socialsekreterare, socialpsykiatri' },
      { staff: 'psychiatristNorth', role: 'behandlande psykiater', voting: true },
      { staff: 'housingsupport', role: 'boendestödjare' },
      { staff: 'landlord', role: 'kontaktperson på bostadsbolaget' },
    ],
    plan: 'ACTIVE',
    followUpInDays: 45,
    overall: Principal.MUNICIPALITY,
    goals: 'Ha eget kontrakt innan jag går i pension.',
    needs: {
      [NeedArea.HOUSING]: 'Försökslägenhet; kontraktet kan tas över efter två år utan klagomål.',
      [NeedArea.MENTAL_HEALTH]: 'Vanföreställningssyndrom; tar medicin sedan förra året.',
      [NeedArea.SUBSTANCE_USE]: 'Alkohol, mest på helger.',
      [NeedArea.INCOME]: 'Pensionsansökan ska göras nästa år.',
    },
    housing: [
      { kind: HousingKind.OWN_LEASE, monthsAgo: 60, note: 'Vräkt för hyresskulder' },
      { kind: HousingKind.STREET, monthsAgo: 48 },
      { kind: HousingKind.EMERGENCY_SHELTER, monthsAgo: 40 },
      { kind: HousingKind.TRAINING_FLAT, monthsAgo: 28 },
      { kind: HousingKind.TRIAL_FLAT, monthsAgo: 12 },
    ],
    places: ['Fridhemsplan', 'Rådhuset'],
  },
  {
    givenName: 'Daniel',
    familyName: 'Roos',
    gender: LegalGender.MALE,
    age: 30,
    district: 'skarpnack',
    identity: IdentityKind.RESERVE_NUMBER,
    children: ChildrenStatus.NONE,
    knownForMonths: 10,
    members: [
      { staff: 'psychiatrist', role: 'behandlande psykiater' },
      { staff: 'swSkarpnack', role: 'socialsekreterare, beroendeenheten', voting: true },
      { staff: 'casemanager', role: 'case manager i ACT' },
      { staff: 'peersupport', role: 'peer supporter' },
      { staff: 'psychologist', role: 'psykolog, neuropsykiatrisk utredning' },
    ],
    act: { caseManager: 'casemanager', sinceMonths: 9 },
    plan: 'ACTIVE',
    followUpInDays: 8,
    overall: Principal.REGION,
    goals: 'Ta reda på vem som kan hjälpa mig att få ett personnummer igen. Ett jobb.',
    needs: {
      [NeedArea.OTHER]:
        'Identifierad bara med regionens reservnummer sedan inskrivningen; identiteten ska bekräftas hos Skatteverket.',
      [NeedArea.MENTAL_HEALTH]: 'Psykos; autismutredning pågår.',
      [NeedArea.SUBSTANCE_USE]: 'Cannabis och spice.',
      [NeedArea.HOUSING]: 'Lågtröskelboende efter utskrivningen från slutenvården.',
    },
    housing: [
      { kind: HousingKind.HOSPITAL, monthsAgo: 10, note: 'Psykiatrisk slutenvård' },
      { kind: HousingKind.SUPPORTED_HOUSING_DRUG_TOLERANT, monthsAgo: 8 },
    ],
    places: ['Skarpnäcks centrum', 'Bagarmossen'],
  },
  {
    givenName: 'Janne',
    familyName: '(efternamn okänt)',
    gender: LegalGender.MALE,
    age: 55,
    district: 'norra',
    identity: IdentityKind.UNIDENTIFIED,
    children: ChildrenStatus.NONE,
    knownForMonths: 6,
    members: [
      { staff: 'outreach', role: 'uppsökare' },
      { staff: 'substanceabuse', role: 'beroendeterapeut', voting: true },
      { staff: 'swNorra', role: 'socialsekreterare, beroendeenheten' },
      { staff: 'peersupport', role: 'peer supporter' },
    ],
    plan: 'ACTIVE',
    followUpInDays: 14,
    overall: Principal.MUNICIPALITY,
    goals: 'Vara ute på sommaren, en säng på vintern. Få tänderna lagade.',
    needs: {
      [NeedArea.HOUSING]: 'Långvarigt uteliggare; tackar nej till härbärge de flesta nätter.',
      [NeedArea.SUBSTANCE_USE]: 'Alkohol; stort dagligt bruk.',
      [NeedArea.PHYSICAL_HEALTH]: 'Tandvärk, KOL.',
      [NeedArea.OTHER]: 'Saknar id-handling; uppger bara förnamn.',
    },
    housing: [
      { kind: HousingKind.STREET, monthsAgo: 8 },
      { kind: HousingKind.EMERGENCY_SHELTER, monthsAgo: 4 },
      { kind: HousingKind.STREET, monthsAgo: 2 },
    ],
    places: ['Odenplan', 'Vasaparken', 'Sergels torg'],
  },
  {
    givenName: 'Patrik',
    familyName: 'Holm',
    gender: LegalGender.MALE,
    age: 36,
    district: 'eav',
    identity: IdentityKind.PERSONNUMMER,
    children: ChildrenStatus.YES,
    childAges: [[13, false]],
    knownForMonths: 15,
    members: [
      { staff: 'swEav', role: 'socialsekreterare, socialpsykiatri' },
      { staff: 'psychiatrist', role: 'behandlande psykiater', voting: true },
      { staff: 'caseManagerRegion', role: 'case manager i ACT' },
      { staff: 'occupationaltherapist', role: 'arbetsterapeut' },
      { staff: 'substanceabuse', role: 'beroendeterapeut' },
    ],
    act: { caseManager: 'caseManagerRegion', sinceMonths: 11 },
    plan: 'ACTIVE_REVISED',
    followUpInDays: 18,
    overall: Principal.MUNICIPALITY,
    goals: 'Behålla lägenheten den här gången. Träffa min dotter på hennes födelsedag.',
    needs: {
      [NeedArea.HOUSING]: 'Lägenhet genom Bostad Först efter två avbrutna placeringar.',
      [NeedArea.MENTAL_HEALTH]: 'Schizofreni och ADHD.',
      [NeedArea.SUBSTANCE_USE]: 'Amphetamine.',
      [NeedArea.DAILY_LIVING]: 'Behöver struktur i vardagen: måltider, sömn, tider.',
      [NeedArea.CHILDREN_AND_FAMILY]: 'Dotter, 13 år, bor hos sin mamma; kontakt per telefon.',
    },
    housing: [
      { kind: HousingKind.EMERGENCY_SHELTER, monthsAgo: 24 },
      { kind: HousingKind.SUPPORTED_HOUSING, monthsAgo: 19, note: 'Avslutat efter en konflikt med personalen' },
      { kind: HousingKind.EMERGENCY_SHELTER, monthsAgo: 14 },
      { kind: HousingKind.HOUSING_FIRST_FLAT, monthsAgo: 10 },
    ],
    places: ['Gullmarsplan', 'Årsta torg', 'Högdalen centrum'],
  },
  {
    givenName: 'Anders',
    familyName: 'Berglund',
    gender: LegalGender.MALE,
    age: 47,
    district: 'sodermalm',
    identity: IdentityKind.PERSONNUMMER,
    children: ChildrenStatus.NONE,
    relatives: [
      {
        name: 'Gunilla Berglund',
        relation: 'mamma',
        phone: FICTIONAL_PHONE(11),
        mayParticipate: true,
        supportNeeds: 'Äldre; oroar sig på nätterna; vill få veta om han läggs in',
      },
    ],
    knownForMonths: 12,
    members: [
      { staff: 'nurse', role: 'fast vårdkontakt' },
      { staff: 'swSodermalm', role: 'socialsekreterare, socialpsykiatri', voting: true },
      { staff: 'psychiatrist', role: 'behandlande psykiater' },
      { staff: 'substanceabuse', role: 'beroendeterapeut' },
    ],
    plan: 'ACTIVE',
    followUpInDays: -14,
    overall: Principal.REGION,
    goals: 'Inte hamna på gatan igen efter sjukhuset.',
    needs: {
      [NeedArea.MENTAL_HEALTH]: 'Schizofreni; utskriven från slutenvården i år.',
      [NeedArea.SUBSTANCE_USE]: 'Alkohol och cannabis.',
      [NeedArea.HOUSING]: 'Stödboende sedan utskrivningen från slutenvården.',
      [NeedArea.PHYSICAL_HEALTH]: 'Hade sepsis förra vintern; uppföljning i primärvården.',
    },
    housing: [
      { kind: HousingKind.STREET, monthsAgo: 14 },
      { kind: HousingKind.HOSPITAL, monthsAgo: 8, note: 'Psykiatrisk slutenvård' },
      { kind: HousingKind.SUPPORTED_HOUSING, monthsAgo: 6 },
    ],
    places: ['Medborgarplatsen', 'Zinkensdamm'],
  },
];

// ---------------------------------------------------------------------------------------------
// Text for timeline entries and plans

const SUMMARIES: Record<ContactKind, string[]> = {
  [ContactKind.OUTREACH]: [
    'Träffade {name} ute. Pratade om var {name} ska sova i natt; gav en skriftlig påminnelse om nästa tid.',
    'Sökte {name} på de vanliga ställena; hittade {name} på eftermiddagen. Trött men ville prata.',
    'Träffade {name} med uppsökarteamet. Hade med mat och torra strumpor; vi ses igen på fredag.',
    'Uppsökande runda. Hittade inte {name}; bad personalen på dagverksamheten att framföra ett meddelande.',
  ],
  [ContactKind.PHONE]: [
    'Ringde {name} och påminde om morgondagens tid; bekräftad.',
    'Nådde inte {name} på telefon; lämnade meddelande till personalen på boendet.',
    '{name} ringde teamets jourtelefon på kvällen, orolig över ett brev. Lugnade sig; följer upp i morgon.',
    'Samtal om medicinen; {name} har slut och kommer förbi mottagningen.',
  ],
  [ContactKind.HOME_VISIT]: [
    'Hembesök. Gick igenom post och räkningar tillsammans; hyran är betald.',
    'Hembesök. Kylskåpet var tomt; handlade tillsammans och planerade veckans mat.',
    'Hembesök med sjuksköterskan; depåinjektion given. {name} var på gott humör.',
    'Hembesök. Grannar har klagat på störningar; pratade om besökare och ordningsregler.',
  ],
  [ContactKind.OFFICE_VISIT]: [
    '{name} kom till enheten. Förnyade ansökan om ekonomiskt bistånd.',
    'Besök på mottagningen; läkemedelsgenomgång. Inga biverkningar.',
    'Planerat besök; {name} kom inte. Ringde efteråt och bokade en ny tid.',
    'Besök på enheten om behandlingsalternativ; {name} vill fundera.',
  ],
  [ContactKind.ACCOMPANYING_TO_CARE]: [
    'Följde med {name} till vårdcentralen för blodprov.',
    'Följde med {name} till tandläkaren; nästa tid bokad.',
    'Följde med {name} till beroendemottagningen för utdelning och samtal med läkaren.',
  ],
  [ContactKind.TEAM_MEETING]: [
    'Togs upp på dagliga teammötet: två missade besök i veckan; hembesök i morgon.',
    'Genomgång på teammötet: stabil vecka. Fortsätter enligt planen.',
    'Teammöte: oroande signaler från personalen på boendet; jouren tittar till i kväll.',
  ],
  [ContactKind.SIP_MEETING]: [
    'SIP-möte med {name}. Behov och insatser genomgångna; {name} godkände planen.',
    'SIP-uppföljning. Insatserna genomgångna; datum för nästa uppföljning satt.',
  ],
};

const KIND_WEIGHTS: Array<[ContactKind, number]> = [
  [ContactKind.OUTREACH, 5],
  [ContactKind.PHONE, 5],
  [ContactKind.HOME_VISIT, 4],
  [ContactKind.OFFICE_VISIT, 3],
  [ContactKind.ACCOMPANYING_TO_CARE, 2],
  [ContactKind.TEAM_MEETING, 2],
];

const HOUSING_ADDRESSES = [
  'Trastvägen 14',
  'Lärkstigen 3',
  'Ekorrvägen 22',
  'Björkbacken 7',
  'Sjöbrisgatan 41',
  'Tallmovägen 9',
  'Klövergränd 5',
  'Ängsbacken 18',
];

type Interventionish = {
  description: string;
  principal: Principal.MUNICIPALITY | Principal.REGION;
  org: OrgKey;
  unit: string | null;
};

// ---------------------------------------------------------------------------------------------

interface SeededPerson {
  seed: PersonSeed;
  person: Person;
  since: string;
  relatives: Relative[];
  members: StaffKey[];
  /** The day of the SIP meeting (the day consent was given, for plans past the draft stage). */
  sipMeetingOn?: string;
}

/** Builds the data set with the domain services, all of them working inside the caller's transaction. */
class DemoSeeder {
  private readonly random = new Random(20_250_401);
  private readonly day = today();
  private readonly organisationsService: OrganisationService;
  private readonly staffService: StaffService;
  private readonly persons: PersonService;
  private readonly actTeams: ActTeamService;
  private readonly plans: SipPlanService;
  private readonly timeline: TimelineService;
  private readonly housing: HousingService;
  private readonly meetings: SipMeetingService;
  private readonly checks: CaseCheckService;

  private readonly orgs = new Map<OrgKey, Organisation>();
  private readonly units = new Map<string, Unit>();
  private readonly staff = new Map<StaffKey, { member: StaffMember; actor: Actor }>();
  private readonly usedNumbers = new Set<string>();

  constructor(
    private readonly tx: EntityManager,
    private readonly passwordHash: string,
  ) {
    // The services only use getRepository, query and transaction, which an EntityManager bound to
    // the seeding transaction provides too; their own transactions become savepoints inside it.
    const db = tx as unknown as DataSource;
    this.organisationsService = new OrganisationService(db);
    this.staffService = new StaffService(db);
    // Seeding registers new persons only, so nothing is announced live: the default configuration serves.
    this.persons = new PersonService(db, new NotificationService(db, new AppConfig()));
    this.actTeams = new ActTeamService(db);
    this.plans = new SipPlanService(db);
    this.timeline = new TimelineService(db);
    this.housing = new HousingService(db);
    this.meetings = new SipMeetingService(db);
    this.checks = new CaseCheckService(db);
  }

  async run(): Promise<DemoLogin[]> {
    await this.createOrganisations();
    const logins = await this.createStaff();
    const seeded: SeededPerson[] = [];
    for (const seed of PERSONS) seeded.push(await this.createPerson(seed));
    const teamMembers = await this.createActTeam(seeded);
    for (const p of seeded) {
      await this.createEpisodes(p);
      await this.createHousing(p);
      await this.createPlan(p);
      await this.createTimeline(p, teamMembers);
      await this.createRemindersData(p, seeded.indexOf(p));
    }
    await this.enteredWhenItHappened();
    return logins;
  }

  /**
   * The demo stands for a unit that has used Samverka for months: its episodes, legal checks and contacts are
   * dated as entered when they happened. Entered today, months-old history would be taken for an import, whose
   * long-past legal checks and silences remind nobody (see HISTORY_LIMIT in reminders/reminder-rules.ts).
   */
  private async enteredWhenItHappened(): Promise<void> {
    const at9 = (date: string) => `(${date} + time '09:00') AT TIME ZONE 'Europe/Stockholm'`;
    await sql(
      this.tx,
      `UPDATE care_episode SET created_at = ${at9('started_on')} WHERE created_at > ${at9('started_on')}`,
    );
    await sql(this.tx, `UPDATE case_check SET created_at = ${at9('done_on')} WHERE created_at > ${at9('done_on')}`);
    await sql(this.tx, `UPDATE contact_entry SET created_at = occurred_at WHERE created_at > occurred_at`);
  }

  /**
   * What reminders are derived from: every other person has a SIP meeting planned in the coming week
   * (their first two group members summoned, the person invited), and some legal checks are done
   * while others are left for the reminders to flag.
   */
  private async createRemindersData(p: SeededPerson, index: number): Promise<void> {
    if (index % 2 === 0) {
      await this.meetings.plan(this.actor(p.members[0]), {
        personId: p.person.id,
        startsAt: stockholmInstant(addDays(this.day, 2 + (index % 7)), 10, 0),
        location: index % 4 === 0 ? 'Farsta stadsdelsförvaltning, rum 3' : 'Psykiatri Södra Stockholm, Huddinge',
        participantStaffIds: p.members.slice(0, 2).map((key) => this.staff.get(key)!.member.id),
        invitePerson: true,
      });
    }
    if (index % 3 !== 2) {
      await this.checks.record(this.actor(p.members[0]), {
        personId: p.person.id,
        kind: CaseCheckKind.VIOLENCE_ASSESSED,
        doneOn: addDays(p.since, 10),
      });
    }
  }

  // --- organisations and staff ---

  private async createOrganisations(): Promise<void> {
    for (const [key, def] of Object.entries(ORGANISATIONS) as Array<[OrgKey, (typeof ORGANISATIONS)[OrgKey]]>) {
      const org = await this.organisationsService.create({ name: def.name, principal: def.principal, kind: def.kind });
      this.orgs.set(key, org);
      for (const name of def.units)
        this.units.set(`${key}/${name}`, await this.organisationsService.createUnit({ organisationId: org.id, name }));
    }
  }

  private async createStaff(): Promise<DemoLogin[]> {
    const logins: DemoLogin[] = [];
    for (const [key, def] of Object.entries(STAFF) as Array<[StaffKey, StaffSeed]>) {
      const org = this.org(def.org);
      const unit = def.unit ? this.unit(def.org, def.unit) : null;
      const member = await this.staffService.create({
        organisationId: org.id,
        unitId: unit?.id ?? null,
        givenName: def.givenName,
        familyName: def.familyName,
        profession: def.profession,
        title: def.title,
        email: `${ascii(def.givenName)}.${ascii(def.familyName)}@example.org`,
        username: def.username ?? null,
        passwordHash: def.username ? this.passwordHash : null,
        administrator: def.administrator ?? false,
        auditor: def.auditor ?? false,
        whereaboutsAuthorised: def.whereaboutsAuthorised ?? false,
      });
      this.staff.set(key, {
        member,
        actor: {
          staffId: member.id,
          organisationId: org.id,
          unitId: unit?.id ?? null,
          profession: def.profession,
          principal: org.principal,
          administrator: member.administrator,
          auditor: member.auditor,
          whereaboutsAuthorised: member.whereaboutsAuthorised,
        },
      });
      if (def.username)
        logins.push({
          username: def.username,
          password: DEMO_PASSWORD,
          profession: def.profession,
          organisation: org.name,
        });
    }
    return logins;
  }

  // --- persons and collaboration groups ---

  private async createPerson(seed: PersonSeed): Promise<SeededPerson> {
    const since = addDays(this.day, -Math.round(seed.knownForMonths * 30.4));
    const [registrar, ...others] = seed.members;
    const person = await this.persons.register(this.actor(registrar.staff), {
      identityKind: seed.identity,
      identityNumber: this.identityNumber(seed),
      givenName: seed.givenName,
      familyName: seed.familyName,
      birthYear: Number(this.day.slice(0, 4)) - seed.age,
      legalGender: seed.gender,
      protectedIdentity: seed.protectedIdentity ?? ProtectedIdentity.NONE,
      preferredContactChannel: seed.channel ?? ContactChannel.VIA_STAFF,
      phone: seed.phone ?? null,
      roleInGroup: registrar.role,
    });
    // The group was formed when the person became known, not today: date the registrar's membership back.
    const group = await sql<{ id: string }>(this.tx, 'SELECT id FROM collaboration_group WHERE person_id = $1', [
      person.id,
    ]);
    await this.tx
      .getRepository(GroupMember)
      .update({ groupId: group[0].id, staffId: this.staffMember(registrar.staff).id }, { validFrom: since });

    // The rest joined in the weeks after: history, written as it was (the API never back-dates a membership).
    for (const [i, m] of others.entries()) {
      await this.tx.getRepository(GroupMember).insert({
        groupId: group[0].id,
        staffId: this.staffMember(m.staff).id,
        role: m.role,
        principal: this.orgOf(m.staff).principal,
        votingRepresentative: m.voting ?? false,
        validFrom: addDays(since, 7 * (i + 1)),
      });
    }

    // Every demo person consented in writing, when the group was formed, to sharing within the whole group
    // (without it, the other principal's staff would see only that a plan exists and whom to contact).
    await sql(
      this.tx,
      `INSERT INTO consent (person_id, purpose, scope, given_how, valid_from, recorded_by) VALUES ($1, 'SHARING', 'WHOLE_GROUP', 'WRITTEN', $2, $3)`,
      [person.id, since, this.staffMember(registrar.staff).id],
    );

    if (seed.children !== ChildrenStatus.UNKNOWN) {
      const year = Number(this.day.slice(0, 4));
      const children: ChildRecord[] = (seed.childAges ?? []).map(([age, livesWithPerson]) => ({
        birthYear: year - age,
        livesWithPerson,
      }));
      await this.persons.update(this.actor(registrar.staff), person.id, { childrenStatus: seed.children, children });
    }
    const relatives: Relative[] = [];
    // Known from before the group was formed: no one is told of them as a change.
    for (const r of seed.relatives ?? [])
      relatives.push(await this.tx.getRepository(Relative).save({ ...r, personId: person.id, endedOn: null }));
    return { seed, person, since, relatives, members: seed.members.map((m) => m.staff) };
  }

  /** A synthetic number of the person's kind: valid date and check digit, birth number odd for men and even for women. */
  private identityNumber(seed: PersonSeed): string | null {
    if (seed.identity === IdentityKind.UNIDENTIFIED) return null;
    for (;;) {
      let number: string;
      if (seed.identity === IdentityKind.RESERVE_NUMBER) {
        const issued = Number(this.day.slice(0, 4)) - 1;
        number = `99${issued}${String(this.random.int(0, 999_999)).padStart(6, '0')}`;
      } else {
        const birth = this.birthDate(seed.age);
        const day = Number(birth.slice(8, 10)) + (seed.identity === IdentityKind.SAMORDNINGSNUMMER ? 60 : 0);
        const birthNumber =
          this.random.int(1, 49) * 20 + this.random.int(0, 4) * 2 + (seed.gender === LegalGender.MALE ? 1 : 0);
        const nine = `${birth.slice(2, 4)}${birth.slice(5, 7)}${String(day).padStart(2, '0')}${String(birthNumber).padStart(3, '0')}`;
        number = `${birth.slice(0, 2)}${nine}${luhnCheckDigit(nine)}`;
      }
      if (!this.usedNumbers.has(number)) {
        this.usedNumbers.add(number);
        return number;
      }
    }
  }

  /** A birth date (YYYY-MM-DD) that makes the person exactly `age` years old today. */
  private birthDate(age: number): string {
    const [y, m, d] = this.day.split('-').map(Number);
    const month = this.random.int(1, 12);
    const dayOfMonth = this.random.int(1, 28);
    const hadBirthday = month < m || (month === m && dayOfMonth <= d);
    const year = y - age - (hadBirthday ? 0 : 1);
    return `${year}-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`;
  }

  // --- ACT team ---

  /** Each principal that votes in the group is involved with the person: one active care episode per organisation. */
  private async createEpisodes(p: SeededPerson): Promise<void> {
    const kindOf: Partial<Record<OrganisationKind, EpisodeKind>> = {
      [OrganisationKind.DISTRICT_SOCIAL_SERVICES]: EpisodeKind.SOCIAL_SERVICES,
      [OrganisationKind.CITY_HOMELESSNESS_UNIT]: EpisodeKind.SOCIAL_SERVICES,
      [OrganisationKind.PSYCHIATRIC_CLINIC]: EpisodeKind.PSYCHIATRY,
      [OrganisationKind.ADDICTION_CARE]: EpisodeKind.ADDICTION_CARE,
      [OrganisationKind.PRIMARY_CARE]: EpisodeKind.PRIMARY_CARE,
    };
    const done = new Set<string>();
    // The registering member (the first) votes for their principal, as registration makes them do.
    for (const m of p.seed.members.filter((member, i) => i === 0 || member.voting)) {
      const org = this.orgOf(m.staff);
      const kind = kindOf[org.kind];
      if (!kind || done.has(org.id) || org.principal === Principal.OTHER) continue;
      done.add(org.id);
      await this.tx.getRepository(CareEpisode).insert({
        personId: p.person.id,
        organisationId: org.id,
        principal: org.principal,
        kind,
        status: EpisodeStatus.ACTIVE,
        startedOn: p.since,
      });
    }
  }

  private orgOf(staff: StaffKey): Organisation {
    return this.org(STAFF[staff].org);
  }

  private async createActTeam(persons: SeededPerson[]): Promise<StaffKey[]> {
    const team = await this.actTeams.create({
      name: 'ACT Stockholm Syd',
      organisationId: this.org('psySouth').id,
      onCallPhone: '08-465 004 10',
    });
    const since = addDays(this.day, -Math.round(30 * 30.4));
    const roster: Array<[StaffKey, string, number]> = [
      ['casemanager', 'case manager (staden)', 1],
      ['caseManagerRegion', 'case manager (regionen)', 1],
      ['nurse', 'sjuksköterska', 1],
      ['psychiatrist', 'teamets psykiater', 0.5],
      ['substanceabuse', 'beroendeterapeut', 0.8],
      ['occupationaltherapist', 'arbetsterapeut', 0.5],
      ['housingsupport', 'boendestödjare', 0.5],
      ['peersupport', 'peer supporter', 0.5],
    ];
    for (const [i, [key, role, fte]] of roster.entries()) {
      await this.actTeams.addMember(team.id, {
        staffId: this.staffMember(key).id,
        role,
        fte,
        validFrom: addDays(since, 14 * i),
      });
    }

    // 24/7 on-call cover: twelve-hour shifts (08-20, 20-08 Stockholm time) from the shift under way now to seven days ahead.
    const onCall: StaffKey[] = ['casemanager', 'nurse', 'caseManagerRegion', 'substanceabuse'];
    const now = new Date();
    let start = stockholmInstant(addDays(this.day, -1), 20);
    while (new Date(start.getTime() + 12 * 3600_000) <= now) start = new Date(start.getTime() + 12 * 3600_000);
    const end = new Date(now.getTime() + 7 * 24 * 3600_000);
    for (let i = 0; start < end; i++) {
      const next = new Date(start.getTime() + 12 * 3600_000);
      await this.actTeams.addOnCallShift(team.id, {
        staffId: this.staffMember(onCall[i % onCall.length]).id,
        startsAt: start,
        endsAt: next,
      });
      start = next;
    }

    for (const p of persons) {
      if (!p.seed.act) continue;
      await this.actTeams.enrolPerson(team.id, {
        personId: p.person.id,
        caseManagerStaffId: this.staffMember(p.seed.act.caseManager).id,
        validFrom: addDays(this.day, -Math.round(p.seed.act.sinceMonths * 30.4)),
      });
    }
    return roster.map(([key]) => key);
  }

  // --- housing ---

  private async createHousing(p: SeededPerson): Promise<void> {
    for (const h of p.seed.housing) {
      const startedOn = addDays(this.day, -Math.round(h.monthsAgo * 30.4) + this.random.int(0, 6));
      const housed = [
        HousingKind.TRAINING_FLAT,
        HousingKind.TRIAL_FLAT,
        HousingKind.HOUSING_FIRST_FLAT,
        HousingKind.OWN_LEASE,
      ].includes(h.kind);
      await this.housing.recordMove(p.person.id, {
        kind: h.kind,
        startedOn,
        providerOrganisationId: this.providerOf(h.kind)?.id ?? null,
        address: housed ? `${this.random.pick(HOUSING_ADDRESSES)}, ${districtArea(p.seed.district)}` : null,
        note: h.note ?? null,
      });
    }
  }

  private providerOf(kind: HousingKind): Organisation | null {
    switch (kind) {
      case HousingKind.EMERGENCY_SHELTER:
        return this.random.next() < 0.5 ? this.org('ngo') : this.org('homelessness');
      case HousingKind.SUPPORTED_HOUSING:
      case HousingKind.SUPPORTED_HOUSING_DRUG_TOLERANT:
      case HousingKind.TRAINING_FLAT:
        return this.org('homelessness');
      case HousingKind.TRIAL_FLAT:
      case HousingKind.HOUSING_FIRST_FLAT:
      case HousingKind.OWN_LEASE:
        return this.org('housing');
      case HousingKind.HOSPITAL:
        return this.org('psySouth');
      default:
        return null;
    }
  }

  // --- SIP plans ---

  private async createPlan(p: SeededPerson): Promise<void> {
    const seed = p.seed;
    const author = this.actor(seed.members[0].staff);
    const reviser = this.actor(seed.members[1].staff);
    const needs: PlanNeed[] = (Object.entries(seed.needs) as Array<[NeedArea, string]>).map(([area, description]) => ({
      id: this.random.uuid(),
      area,
      description,
    }));
    const interventions: PlanIntervention[] = [];
    const otherMeasures: PlanOtherMeasure[] = [];
    const currentHousing = seed.housing[seed.housing.length - 1].kind;
    for (const need of needs) {
      for (const i of this.interventionsFor(need.area, seed, currentHousing)) {
        interventions.push({
          id: this.random.uuid(),
          needId: need.id,
          description: i.description,
          responsiblePrincipal: i.principal,
          responsibleOrganisationId: this.org(i.org).id,
          responsibleUnitId: i.unit ? this.unit(i.org, i.unit).id : null,
          status:
            seed.plan === 'DRAFT'
              ? InterventionStatus.PLANNED
              : this.random.pick([InterventionStatus.ONGOING, InterventionStatus.ONGOING, InterventionStatus.PLANNED]),
        });
      }
    }
    otherMeasures.push({
      id: this.random.uuid(),
      organisationId: this.org('ngo').id,
      actorName: ORGANISATIONS.ngo.name,
      description: needs.some((n) => n.area === NeedArea.SOCIAL_NETWORK || n.area === NeedArea.OCCUPATION)
        ? 'Peerstöd och dagverksamhetens arbetsträning två förmiddagar i veckan'
        : 'Dagverksamhet med måltider; för vidare påminnelser om tider',
    });
    if ([HousingKind.HOUSING_FIRST_FLAT, HousingKind.TRIAL_FLAT, HousingKind.OWN_LEASE].includes(currentHousing)) {
      otherMeasures.push({
        id: this.random.uuid(),
        organisationId: this.org('housing').id,
        actorName: ORGANISATIONS.housing.name,
        description: 'Hyresvärd; kontaktar boendestödjaren först om grannar klagar',
      });
    }
    const participants: PlanParticipant[] = [
      { kind: ParticipantKind.PERSON, staffId: null, relativeId: null, name: null, summoned: false },
      ...seed.members.map((m) => ({
        kind: ParticipantKind.STAFF,
        staffId: this.staffMember(m.staff).id,
        relativeId: null,
        name: null,
        summoned: this.actor(m.staff).principal !== Principal.OTHER,
      })),
      ...p.relatives
        .filter((r) => r.mayParticipate)
        .map((r) => ({ kind: ParticipantKind.RELATIVE, staffId: null, relativeId: r.id, name: null, summoned: false })),
      { kind: ParticipantKind.OTHER, staffId: null, relativeId: null, name: ORGANISATIONS.ngo.name, summoned: false },
    ];
    const overallOrg =
      seed.overall === Principal.MUNICIPALITY
        ? this.org(seed.district)
        : this.org(seed.district in NORTH ? 'psyNorth' : 'psySouth');
    const consentGivenAt = addDays(
      this.day,
      -this.random.int(30, Math.min(150, Math.round(seed.knownForMonths * 30.4) - 7)),
    );
    const followUpOn = addDays(this.day, seed.followUpInDays);
    p.sipMeetingOn = seed.plan === 'DRAFT' ? addDays(this.day, -this.random.int(3, 14)) : consentGivenAt;

    if (seed.plan === 'DRAFT') {
      // A draft: needs written down, interventions proposed; no consent yet.
      const plan = await this.plans.create(author, p.person.id, {
        personGoals: seed.goals,
        needs,
        participants,
        followUpOn,
      });
      await this.plans.edit(reviser, plan.id, plan.version, {
        interventions,
        otherMeasures,
        overallResponsibilityPrincipal: seed.overall,
        overallResponsibilityOrganisationId: overallOrg.id,
      });
      return;
    }

    let plan: SipPlan = await this.plans.create(author, p.person.id, {
      personGoals: seed.goals,
      needs,
      interventions,
      otherMeasures,
      participants,
      overallResponsibilityPrincipal: seed.overall,
      overallResponsibilityOrganisationId: overallOrg.id,
      consentGivenAt,
      consentValidUntil: addDays(consentGivenAt, 365),
      followUpOn: seed.plan === 'ACTIVE_REVISED' ? addDays(consentGivenAt, 60) : followUpOn,
    });
    plan = await this.plans.transition(author, plan.id, plan.version, SipPlanStatus.ACTIVE);

    if (seed.plan === 'ACTIVE_REVISED') {
      // Followed up: one intervention completed, the plan revised with a new measure and a new follow-up date.
      // By staff of the intervention's own principal: only they may move its status.
      const first = plan.interventions[0];
      const owner =
        seed.members.map((m) => this.actor(m.staff)).find((a) => mayUpdateInterventionStatus(a, first)) ?? reviser;
      plan = await this.plans.setInterventionStatus(
        owner,
        plan.id,
        plan.version,
        first.id,
        InterventionStatus.COMPLETED,
      );
      plan = await this.plans.transition(reviser, plan.id, plan.version, SipPlanStatus.UNDER_REVISION);
      const area = needs.find((n) => n.area === NeedArea.PHYSICAL_HEALTH) ?? needs[needs.length - 1];
      plan = await this.plans.edit(reviser, plan.id, plan.version, {
        interventions: [
          ...plan.interventions,
          {
            needId: area.id,
            description: 'ACT-teamet följer med på besök; påminnelse per SMS dagen innan',
            responsiblePrincipal: Principal.REGION,
            responsibleOrganisationId: this.org('psySouth').id,
            responsibleUnitId: this.unit('psySouth', 'Psykosmottagning Söder').id,
            status: InterventionStatus.ONGOING,
          },
        ],
        followUpOn,
      });
      await this.plans.transition(author, plan.id, plan.version, SipPlanStatus.ACTIVE);
    } else if (seed.plan === 'UNDER_REVISION') {
      // Something changed since the plan was agreed: the plan is being revised.
      plan = await this.plans.transition(reviser, plan.id, plan.version, SipPlanStatus.UNDER_REVISION);
      const housingNeed = needs.find((n) => n.area === NeedArea.HOUSING);
      await this.plans.edit(reviser, plan.id, plan.version, {
        needs: needs.map((n) =>
          n === housingNeed ? { ...n, description: `${n.description} Boendet i fara; revidering påbörjad.` } : n,
        ),
        followUpOn,
      });
    }
  }

  private interventionsFor(area: NeedArea, seed: PersonSeed, housing: HousingKind): Interventionish[] {
    const d = seed.district;
    const north = d in NORTH;
    const psy: OrgKey = north ? 'psyNorth' : 'psySouth';
    const psyUnit = north ? 'Psykosmottagning Norr' : 'Psykosmottagning Söder';
    const M = Principal.MUNICIPALITY;
    const R = Principal.REGION;
    switch (area) {
      case NeedArea.HOUSING:
        return housing === HousingKind.HOUSING_FIRST_FLAT
          ? [
              {
                description: 'Boendestöd två gånger i veckan i lägenheten genom Bostad Först',
                principal: M,
                org: 'homelessness',
                unit: 'Boendestöd',
              },
            ]
          : [
              {
                description: 'Utredning om lägenhet genom Bostad Först; nuvarande placering behålls under tiden',
                principal: M,
                org: 'homelessness',
                unit: 'Bostad Först',
              },
            ];
      case NeedArea.MENTAL_HEALTH:
        return [
          {
            description: 'Psykiatrisk behandling och uppföljning av läkemedel; läkarbesök där personen är',
            principal: R,
            org: psy,
            unit: psyUnit,
          },
        ];
      case NeedArea.SUBSTANCE_USE:
        return [
          {
            description: 'Beroendebehandling: motiverande samtal och läkemedel vid behov',
            principal: R,
            org: 'addiction',
            unit: north ? 'Mottagning Nord' : 'Mottagning Söder',
          },
          {
            description: 'Samordning av beroendeenheten; utredning om behandlingshem',
            principal: M,
            org: d,
            unit: 'Skadligt bruk/beroende',
          },
        ];
      case NeedArea.PHYSICAL_HEALTH:
        return [
          {
            description: 'Somatisk hälsokontroll, blodprov och behandling; teamet följer med',
            principal: R,
            org: 'primaryCare',
            unit: null,
          },
        ];
      case NeedArea.INCOME:
        return [
          {
            description: 'Ekonomiskt bistånd och hjälp med ansökningar om ersättningar',
            principal: M,
            org: d,
            unit: 'Ekonomiskt bistånd',
          },
        ];
      case NeedArea.SAFETY:
        return [
          {
            description: 'Riskbedömning av våld och säkerhetsplanering; skyddat boende vid behov',
            principal: M,
            org: d,
            unit: 'Socialpsykiatri',
          },
        ];
      case NeedArea.CHILDREN_AND_FAMILY:
        return [
          {
            description: 'Barnkonsekvensanalys i beslut; kontakt med barn- och ungdomsenheten om umgänge',
            principal: M,
            org: d,
            unit: 'Socialpsykiatri',
          },
        ];
      case NeedArea.DAILY_LIVING:
        return [
          {
            description: 'Arbetsterapeutisk bedömning av aktivitetsförmåga; kalender och påminnelsehjälpmedel',
            principal: R,
            org: psy,
            unit: psyUnit,
          },
        ];
      case NeedArea.SOCIAL_NETWORK:
      case NeedArea.OCCUPATION:
        return [
          {
            description: 'Stöd att hitta sysselsättning och mötesplatser',
            principal: M,
            org: d,
            unit: 'Socialpsykiatri',
          },
        ];
      default:
        return [
          {
            description: 'Hjälp att fastställa identiteten och få en id-handling',
            principal: M,
            org: d,
            unit: 'Ekonomiskt bistånd',
          },
        ];
    }
  }

  // --- timeline ---

  private async createTimeline(p: SeededPerson, teamMembers: StaffKey[]): Promise<void> {
    const count = this.random.int(10, 30);
    const authors = p.seed.act ? [...new Set([...p.members, ...teamMembers])] : p.members;
    const span = Math.min(180, Math.round(p.seed.knownForMonths * 30.4));
    const weights = KIND_WEIGHTS.filter(([kind]) => kind !== ContactKind.TEAM_MEETING || p.seed.act);
    const total = weights.reduce((s, [, w]) => s + w, 0);
    const entries: Array<{ at: Date; kind: ContactKind; staff: StaffKey; summary?: string }> = [];
    // The SIP meeting, then contacts spread over the months the group has known the person.
    const meetings: Array<{ at: Date; kind: ContactKind; staff: StaffKey; summary: string }> = [
      {
        at: stockholmInstant(p.sipMeetingOn ?? addDays(this.day, -7), 10, 0),
        kind: ContactKind.SIP_MEETING,
        staff: p.members[0],
        summary: SUMMARIES[ContactKind.SIP_MEETING][0],
      },
    ];
    if (p.seed.plan === 'ACTIVE_REVISED' && p.sipMeetingOn) {
      const followUp = addDays(
        p.sipMeetingOn,
        Math.floor((Date.parse(this.day) - Date.parse(p.sipMeetingOn)) / 86_400_000 / 2),
      );
      meetings.push({
        at: stockholmInstant(followUp, 13, 30),
        kind: ContactKind.SIP_MEETING,
        staff: p.members[1],
        summary: SUMMARIES[ContactKind.SIP_MEETING][1],
      });
    }
    entries.push(...meetings);
    for (let i = meetings.length; i < count; i++) {
      let r = this.random.next() * total;
      const kind = weights.find(([, w]) => (r -= w) < 0)?.[0] ?? ContactKind.PHONE;
      const daysAgo = this.random.int(1, span);
      const evening = kind === ContactKind.PHONE && this.random.next() < 0.2;
      entries.push({
        at: stockholmInstant(
          addDays(this.day, -daysAgo),
          evening ? 21 : this.random.int(8, 16),
          this.random.pick([0, 15, 30, 45]),
        ),
        kind,
        staff: this.random.pick(authors),
      });
    }
    entries.sort((a, b) => a.at.getTime() - b.at.getTime());
    for (const e of entries) {
      const summary = (e.summary ?? this.random.pick(SUMMARIES[e.kind])).replace(/\{name\}/g, p.seed.givenName);
      await this.timeline.record(this.actor(e.staff), p.person.id, {
        occurredAt: e.at,
        kind: e.kind,
        location: this.locationOf(e.kind, p, e.staff),
        summary,
      });
    }
  }

  private locationOf(kind: ContactKind, p: SeededPerson, staff: StaffKey): string | null {
    switch (kind) {
      case ContactKind.OUTREACH:
        return this.random.pick(p.seed.places);
      case ContactKind.HOME_VISIT:
        return 'Där personen bor';
      case ContactKind.OFFICE_VISIT: {
        const s = STAFF[staff];
        return s.unit ? `${ORGANISATIONS[s.org].name}, ${s.unit}` : ORGANISATIONS[s.org].name;
      }
      case ContactKind.ACCOMPANYING_TO_CARE:
        return this.random.pick([
          ORGANISATIONS.primaryCare.name,
          `${ORGANISATIONS.addiction.name}, ${p.seed.district in NORTH ? 'Mottagning Nord' : 'Mottagning Söder'}`,
        ]);
      case ContactKind.TEAM_MEETING:
        return 'ACT Stockholm Syd, teamets lokal';
      case ContactKind.SIP_MEETING:
        return ORGANISATIONS[p.seed.district].name;
      default:
        return null;
    }
  }

  // --- lookups ---

  private org(key: OrgKey): Organisation {
    return this.orgs.get(key)!;
  }

  private unit(org: OrgKey, name: string): Unit {
    const unit = this.units.get(`${org}/${name}`);
    if (!unit) throw new Error(`demo data: no unit ${name} in ${org}`);
    return unit;
  }

  private staffMember(key: StaffKey): StaffMember {
    return this.staff.get(key)!.member;
  }

  private actor(key: StaffKey): Actor {
    return this.staff.get(key)!.actor;
  }
}

/** Districts served by the northern psychiatric clinic and addiction reception. */
const NORTH: Partial<Record<DistrictKey, true>> = { jarva: true, kungsholmen: true, norra: true };

function districtArea(district: DistrictKey): string {
  const areas: Record<DistrictKey, string> = {
    farsta: 'Farsta',
    jarva: 'Tensta',
    sodermalm: 'Södermalm',
    skarpnack: 'Skarpnäck',
    eav: 'Enskede',
    kungsholmen: 'Kungsholmen',
    norra: 'Vasastan',
  };
  return areas[district];
}

function ascii(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z]/g, '');
}

/** The instant of a wall-clock time in Stockholm on a calendar day (summer and winter time alike). */
function stockholmInstant(date: string, hour: number, minute = 0): Date {
  return stockholmWallClock(date, `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`);
}
