/**
 * The SIP document's labels of codes, in the person's language; its sentences are shared with the web client's
 * print view (libs/domain/src/sip-plan/sip-document-texts.ts).
 */
import { SIP_DOCUMENT_TEXTS, type DocumentLanguage } from '@samverka/domain/sip-plan/sip-document-texts';

export { type DocumentLanguage };
export const DOCUMENT_TEXTS = SIP_DOCUMENT_TEXTS;

export const DOCUMENT_LABELS: Record<DocumentLanguage, Record<string, Record<string, string>>> = {
  sv: {
    SipPlanStatus: { DRAFT: 'utkast', ACTIVE: 'fastställd', UNDER_REVISION: 'under revidering', CLOSED: 'avslutad' },
    InterventionStatus: { PLANNED: 'planerad', ONGOING: 'pågår', COMPLETED: 'genomförd', CANCELLED: 'avbruten' },
    NeedArea: {
      CHILDREN_AND_FAMILY: 'Barn och familj',
      DAILY_LIVING: 'Vardag',
      HOUSING: 'Boende',
      INCOME: 'Försörjning',
      MENTAL_HEALTH: 'Psykisk hälsa',
      OCCUPATION: 'Sysselsättning',
      OTHER: 'Annat',
      PHYSICAL_HEALTH: 'Fysisk hälsa',
      SAFETY: 'Trygghet',
      SOCIAL_NETWORK: 'Socialt nätverk',
      SUBSTANCE_USE: 'Beroende',
    },
    Profession: {
      CASE_MANAGER: 'case manager',
      HOUSING_SUPPORT_WORKER: 'boendestödjare',
      NURSE: 'sjuksköterska',
      OCCUPATIONAL_THERAPIST: 'arbetsterapeut',
      OTHER: 'personal',
      OUTREACH_COORDINATOR: 'uppsökare',
      PEER_SUPPORT_WORKER: 'peer supporter',
      PSYCHIATRIST: 'psykiater',
      PSYCHOLOGIST: 'psykolog',
      SOCIAL_WORKER: 'socialsekreterare',
      SUBSTANCE_ABUSE_SPECIALIST: 'beroendeterapeut',
    },
    PlanApprovalMethod: {
      PAPER_SIGNATURE: 'underskrift på papper',
      VERBAL_WITH_WITNESS: 'muntligt, med vittne',
      DIGITAL_SIGNATURE: 'e-legitimation',
    },
  },
  en: {
    SipPlanStatus: { DRAFT: 'draft', ACTIVE: 'adopted', UNDER_REVISION: 'under revision', CLOSED: 'closed' },
    InterventionStatus: { PLANNED: 'planned', ONGOING: 'ongoing', COMPLETED: 'completed', CANCELLED: 'cancelled' },
    NeedArea: {
      CHILDREN_AND_FAMILY: 'Children and family',
      DAILY_LIVING: 'Daily living',
      HOUSING: 'Housing',
      INCOME: 'Income',
      MENTAL_HEALTH: 'Mental health',
      OCCUPATION: 'Occupation',
      OTHER: 'Other',
      PHYSICAL_HEALTH: 'Physical health',
      SAFETY: 'Safety',
      SOCIAL_NETWORK: 'Social network',
      SUBSTANCE_USE: 'Substance use',
    },
    Profession: {
      CASE_MANAGER: 'case manager',
      HOUSING_SUPPORT_WORKER: 'housing support worker',
      NURSE: 'nurse',
      OCCUPATIONAL_THERAPIST: 'occupational therapist',
      OTHER: 'staff',
      OUTREACH_COORDINATOR: 'outreach worker',
      PEER_SUPPORT_WORKER: 'peer support worker',
      PSYCHIATRIST: 'psychiatrist',
      PSYCHOLOGIST: 'psychologist',
      SOCIAL_WORKER: 'social worker',
      SUBSTANCE_ABUSE_SPECIALIST: 'substance abuse specialist',
    },
    PlanApprovalMethod: {
      PAPER_SIGNATURE: 'signed on paper',
      VERBAL_WITH_WITNESS: 'verbally, with a witness',
      DIGITAL_SIGNATURE: 'e-identification',
    },
  },
};
