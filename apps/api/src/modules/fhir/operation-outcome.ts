import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { DomainError } from '@samverka/domain';

/** A refusal or failure of the FHIR API, answered as an OperationOutcome with its HTTP status. */
export class FhirError extends Error {
  constructor(
    readonly status: number,
    readonly issueCode: OperationOutcomeIssue['code'],
    message: string,
  ) {
    super(message);
  }
}

/** The codes GraphQL answers (and the domain errors) as HTTP statuses and FHIR issue types. */
const BY_CODE: Record<string, [number, OperationOutcomeIssue['code']]> = {
  UNAUTHENTICATED: [401, 'login'],
  FORBIDDEN: [403, 'forbidden'],
  NOT_FOUND: [404, 'not-found'],
  RATE_LIMITED: [429, 'throttled'],
  BAD_USER_INPUT: [400, 'invalid'],
};

export function toFhirError(error: unknown): FhirError {
  if (error instanceof FhirError) return error;
  const code = error instanceof DomainError ? error.code : (error as { code?: unknown })?.code;
  const known = typeof code === 'string' ? BY_CODE[code] : undefined;
  // Unknown failures are masked, as GraphQL masks them: no message or stack leaves the API.
  if (!known) return new FhirError(500, 'exception', 'Internal error');
  return new FhirError(known[0], known[1], (error as Error).message);
}

export function operationOutcome(error: FhirError): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: error.status >= 500 ? 'fatal' : 'error', code: error.issueCode, diagnostics: error.message }],
  };
}
