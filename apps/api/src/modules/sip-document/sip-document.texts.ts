/**
 * The SIP document's words, in the person's language (Person.preferredLanguage): plain Swedish, or English.
 * The web client's print view has the same words in apps/web/src/i18n (sipDocument.*).
 */
export type DocumentLanguage = 'sv' | 'en';

export const DOCUMENT_TEXTS = {
  sv: {
    title: 'Samordnad individuell plan (SIP)',
    forPerson: 'Planen för {name}',
    printed: 'Utskriven {date}. Version {version}, {status}.',
    goals: 'Dina egna mål',
    noGoals: 'Målen är inte skrivna ännu.',
    needs: 'Det här behöver du stöd med',
    noNeeds: 'Inga behov är skrivna ännu.',
    whoDoesWhat: 'Vem gör vad',
    noInterventions: 'Inga insatser är planerade ännu.',
    interventionStatus: 'Läge: {status}',
    others: 'Andra som hjälper till',
    byWhen: 'Till när',
    nextFollowUp: 'Vi går igenom planen tillsammans igen {date}.',
    noFollowUp: 'Datum för nästa uppföljning är inte bestämt.',
    nextMeeting: 'Nästa SIP-möte: {when}.',
    overall: 'Vem har huvudansvaret',
    overallNone: 'Ingen är utsedd ännu.',
    contacts: 'Kontaktpersoner',
    coordinator: '{name} håller ihop planen ({organisation}).',
    phone: 'Telefon {phone}',
    noPhone: 'Telefonnummer saknas',
    noContacts: 'Inga kontaktpersoner är skrivna ännu.',
    withheld: 'Du har valt att planen inte delas med den här organisationen. Därför står den inte här.',
    noPlan: 'Det finns ingen plan ännu.',
    approvedBy: 'Du godkände planen {date} ({how}).',
    notApproved: 'Du har inte godkänt planen ännu.',
  },
  en: {
    title: 'Coordinated individual plan (SIP)',
    forPerson: 'The plan for {name}',
    printed: 'Printed {date}. Version {version}, {status}.',
    goals: 'Your own goals',
    noGoals: 'The goals are not written yet.',
    needs: 'What you need support with',
    noNeeds: 'No needs are written yet.',
    whoDoesWhat: 'Who does what',
    noInterventions: 'No support is planned yet.',
    interventionStatus: 'Status: {status}',
    others: 'Others who help',
    byWhen: 'By when',
    nextFollowUp: 'We will go through the plan together again on {date}.',
    noFollowUp: 'The date of the next follow-up is not set.',
    nextMeeting: 'Next SIP meeting: {when}.',
    overall: 'Who holds overall responsibility',
    overallNone: 'Nobody is named yet.',
    contacts: 'Contact persons',
    coordinator: '{name} keeps the plan together ({organisation}).',
    phone: 'Phone {phone}',
    noPhone: 'No phone number',
    noContacts: 'No contact persons are written yet.',
    withheld: 'You have chosen not to share the plan with this organisation, so it is not shown here.',
    noPlan: 'There is no plan yet.',
    approvedBy: 'You approved the plan on {date} ({how}).',
    notApproved: 'You have not approved the plan yet.',
  },
} satisfies Record<DocumentLanguage, Record<string, string>>;

export const DOCUMENT_LABELS: Record<DocumentLanguage, Record<string, Record<string, string>>> = {
  sv: {
    SipPlanStatus: { DRAFT: 'utkast', ACTIVE: 'fastställd', UNDER_REVISION: 'under revidering', CLOSED: 'avslutad' },
    InterventionStatus: { PLANNED: 'planerad', ONGOING: 'pågår', COMPLETED: 'genomförd', CANCELLED: 'avbruten' },
    NeedArea: {
      CHILDREN_AND_FAMILY: 'Barn och familj', DAILY_LIVING: 'Vardag', HOUSING: 'Boende', INCOME: 'Försörjning', MENTAL_HEALTH: 'Psykisk hälsa',
      OCCUPATION: 'Sysselsättning', OTHER: 'Annat', PHYSICAL_HEALTH: 'Fysisk hälsa', SAFETY: 'Trygghet', SOCIAL_NETWORK: 'Socialt nätverk', SUBSTANCE_USE: 'Beroende',
    },
    Profession: {
      CASE_MANAGER: 'case manager', HOUSING_SUPPORT_WORKER: 'boendestödjare', NURSE: 'sjuksköterska', OCCUPATIONAL_THERAPIST: 'arbetsterapeut', OTHER: 'personal',
      OUTREACH_COORDINATOR: 'uppsökare', PEER_SUPPORT_WORKER: 'peer supporter', PSYCHIATRIST: 'psykiater', PSYCHOLOGIST: 'psykolog', SOCIAL_WORKER: 'socialsekreterare',
      SUBSTANCE_ABUSE_SPECIALIST: 'beroendeterapeut',
    },
    PlanApprovalMethod: { PAPER_SIGNATURE: 'underskrift på papper', VERBAL_WITH_WITNESS: 'muntligt, med vittne', DIGITAL_SIGNATURE: 'e-legitimation' },
  },
  en: {
    SipPlanStatus: { DRAFT: 'draft', ACTIVE: 'adopted', UNDER_REVISION: 'under revision', CLOSED: 'closed' },
    InterventionStatus: { PLANNED: 'planned', ONGOING: 'ongoing', COMPLETED: 'completed', CANCELLED: 'cancelled' },
    NeedArea: {
      CHILDREN_AND_FAMILY: 'Children and family', DAILY_LIVING: 'Daily living', HOUSING: 'Housing', INCOME: 'Income', MENTAL_HEALTH: 'Mental health',
      OCCUPATION: 'Occupation', OTHER: 'Other', PHYSICAL_HEALTH: 'Physical health', SAFETY: 'Safety', SOCIAL_NETWORK: 'Social network', SUBSTANCE_USE: 'Substance use',
    },
    Profession: {
      CASE_MANAGER: 'case manager', HOUSING_SUPPORT_WORKER: 'housing support worker', NURSE: 'nurse', OCCUPATIONAL_THERAPIST: 'occupational therapist', OTHER: 'staff',
      OUTREACH_COORDINATOR: 'outreach worker', PEER_SUPPORT_WORKER: 'peer support worker', PSYCHIATRIST: 'psychiatrist', PSYCHOLOGIST: 'psychologist', SOCIAL_WORKER: 'social worker',
      SUBSTANCE_ABUSE_SPECIALIST: 'substance abuse specialist',
    },
    PlanApprovalMethod: { PAPER_SIGNATURE: 'signed on paper', VERBAL_WITH_WITNESS: 'verbally, with a witness', DIGITAL_SIGNATURE: 'e-identification' },
  },
};
