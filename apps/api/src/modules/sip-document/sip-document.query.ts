/**
 * What the SIP document shows, read through GraphQL as the reader would read it (the same query as the web
 * client's print view, apps/web/src/api/documents/sip-document.graphql), so consent limitations and
 * protected whereabouts hide it by the one declared rule (graphql/withheld.ts) and every read is logged.
 */
export const SIP_DOCUMENT_QUERY = /* GraphQL */ `
  query SipDocument($personId: ID!) {
    patientOverview(personId: $personId) {
      personId
      person { id givenName familyName preferredLanguage }
      sipPlan {
        id
        status
        version
        followUpOn
        personGoals
        overallResponsibilityOrganisation { id name }
        needs { id area description }
        interventions { id description status responsibleOrganisation { id name } responsibleUnit { id name } }
        otherMeasures { id actorName description }
      versions { version adopted approval { id method recordedAt } }
      }
      collaborationGroup { id coordinator { id givenName familyName phone organisation { id name } } }
      responsibilities {
        organisationId
        organisation { id name }
        overallResponsibility
        contacts { id staff { id givenName familyName profession phone } }
      }
      nextFollowUpOn
      nextSipMeeting { id startsAt location }
      consent { withheldFromYou }
    }
  }
`;

interface Named {
  id: string;
  name: string;
}
interface Staff {
  id: string;
  givenName: string;
  familyName: string;
  phone: string | null;
}

export interface SipDocumentData {
  patientOverview: {
    personId: string;
    person: { id: string; givenName: string; familyName: string; preferredLanguage: 'SV' | 'EN' };
    sipPlan: {
      id: string;
      status: string;
      version: number;
      followUpOn: string | null;
      personGoals: string;
      overallResponsibilityOrganisation: Named | null;
      needs: { id: string; area: string; description: string }[];
      interventions: {
        id: string;
        description: string;
        status: string;
        responsibleOrganisation: Named;
        responsibleUnit: Named | null;
      }[];
      otherMeasures: { id: string; actorName: string; description: string }[];
      versions: {
        version: number;
        adopted: boolean;
        approval: { id: string; method: string; recordedAt: string } | null;
      }[];
    } | null;
    collaborationGroup: { id: string; coordinator: (Staff & { organisation: Named }) | null } | null;
    responsibilities: {
      organisationId: string;
      organisation: Named;
      overallResponsibility: boolean;
      contacts: { id: string; staff: Staff & { profession: string } }[];
    }[];
    nextFollowUpOn: string | null;
    nextSipMeeting: { id: string; startsAt: string; location: string | null } | null;
    consent: { withheldFromYou: string[] };
  };
}
