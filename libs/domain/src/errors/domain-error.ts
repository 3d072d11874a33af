/** Every expected failure of a domain operation has a code; the API maps each code to a GraphQL error. */
export enum DomainErrorCode {
  /** Bad input the caller can fix; `field` names it. */
  INVALID_INPUT = 'INVALID_INPUT',
  /** Not found, or not visible to this staff member: deliberately indistinguishable. */
  NOT_FOUND = 'NOT_FOUND',
  /** The caller may see the thing but not do this to it. */
  FORBIDDEN = 'FORBIDDEN',
  /** Someone else changed it first (stale version), or a uniqueness rule would break. */
  CONFLICT = 'CONFLICT',
  /** The operation is not allowed in the current state (e.g. a closed proposal). */
  INVALID_STATE = 'INVALID_STATE',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
}

/**
 * Which rule refused, as a code the clients word in their language (the message is English, for
 * developers and logs). Failures staff meet on the screens have one; a client words one without a
 * reason by its code (and field) alone.
 */
export enum DomainErrorReason {
  COMMENT_REQUIRED_TO_DISAGREE = 'COMMENT_REQUIRED_TO_DISAGREE',
  DEADLINE_NOT_IN_FUTURE = 'DEADLINE_NOT_IN_FUTURE',
  DEADLINE_TOO_FAR = 'DEADLINE_TOO_FAR',
  EPISODE_REQUIRED = 'EPISODE_REQUIRED',
  EPISODE_NOT_ALLOWED = 'EPISODE_NOT_ALLOWED',
  EPISODE_NOT_ACTIVE = 'EPISODE_NOT_ACTIVE',
  BOTH_PRINCIPALS_REQUIRED = 'BOTH_PRINCIPALS_REQUIRED',
  PROPOSAL_CLOSED = 'PROPOSAL_CLOSED',
  CONSENT_REQUIRED_TO_ACTIVATE = 'CONSENT_REQUIRED_TO_ACTIVATE',
  CONSENT_EXPIRED = 'CONSENT_EXPIRED',
  CONSENT_ENDS_BEFORE_GIVEN = 'CONSENT_ENDS_BEFORE_GIVEN',
  OVERALL_RESPONSIBILITY_REQUIRED = 'OVERALL_RESPONSIBILITY_REQUIRED',
  INTERVENTION_REQUIRED = 'INTERVENTION_REQUIRED',
  FOLLOW_UP_REQUIRED = 'FOLLOW_UP_REQUIRED',
  FOLLOW_UP_IN_PAST = 'FOLLOW_UP_IN_PAST',
  INTERVENTION_PRINCIPAL = 'INTERVENTION_PRINCIPAL',
  ORGANISATION_NOT_OF_PRINCIPAL = 'ORGANISATION_NOT_OF_PRINCIPAL',
  UNIT_NOT_OF_ORGANISATION = 'UNIT_NOT_OF_ORGANISATION',
  MEETING_IN_PAST = 'MEETING_IN_PAST',
  PARTICIPANT_REQUIRED = 'PARTICIPANT_REQUIRED',
  PARTICIPANT_NOT_ACTIVE = 'PARTICIPANT_NOT_ACTIVE',
  ATTENDEE_NOT_PARTICIPANT = 'ATTENDEE_NOT_PARTICIPANT',
  MEETING_CLOSED = 'MEETING_CLOSED',
  CHECK_IN_FUTURE = 'CHECK_IN_FUTURE',
  QUIET_HOURS_INCOMPLETE = 'QUIET_HOURS_INCOMPLETE',
  WITNESS_REQUIRED = 'WITNESS_REQUIRED',
  /** A revoked integration client gets no new key (create a new client instead). */
  INTEGRATION_CLIENT_REVOKED = 'INTEGRATION_CLIENT_REVOKED',
  /** An integration client called an operation none of its scopes opens (params: `scopes`, those that would). */
  SCOPE_NOT_GRANTED = 'SCOPE_NOT_GRANTED',
  /** Voting, proposing, withdrawing and asking for a discharge need a named person, never an integration client. */
  NAMED_PERSON_REQUIRED = 'NAMED_PERSON_REQUIRED',
  /** A client has two secrets in force already: one must be revoked (or expire) before a third is made. */
  CLIENT_SECRET_LIMIT = 'CLIENT_SECRET_LIMIT',
  /** Only a delivery that failed after its last attempt is sent again. */
  DELIVERY_NOT_FAILED = 'DELIVERY_NOT_FAILED',
  PLAN_VERSION_NOT_ADOPTED = 'PLAN_VERSION_NOT_ADOPTED',
  PLAN_VERSION_ALREADY_APPROVED = 'PLAN_VERSION_ALREADY_APPROVED',
  /** A webhook endpoint must use https (http to this machine only outside production). */
  WEBHOOK_URL_NOT_HTTPS = 'WEBHOOK_URL_NOT_HTTPS',
  /** Changing a protection level: staff authorised for protected whereabouts, on their own relation to the person. */
  PROTECTION_CHANGE_REFUSED = 'PROTECTION_CHANGE_REFUSED',
  /** A change of protection level to the level the person already has. */
  PROTECTION_LEVEL_UNCHANGED = 'PROTECTION_LEVEL_UNCHANGED',
  /** Directory maintenance (organisations, ACT teams, roles) is the global administrator's. */
  ADMINISTRATOR_REQUIRED = 'ADMINISTRATOR_REQUIRED',
}

/** A reason's parameters (e.g. `{ maxDays: 90 }`), for the client's wording. */
export type ReasonParams = Record<string, string | number>;

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly field?: string,
    readonly reason?: DomainErrorReason,
    readonly params: ReasonParams = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static invalid(field: string, message: string, reason?: DomainErrorReason, params?: ReasonParams): DomainError {
    return new DomainError(DomainErrorCode.INVALID_INPUT, message, field, reason, params);
  }

  /** One message for "does not exist" and "you may not see it", so a refusal reveals nothing. */
  static notFound(what = 'person'): DomainError {
    return new DomainError(DomainErrorCode.NOT_FOUND, `No ${what} with that id is available to you`);
  }

  static conflict(message: string, reason?: DomainErrorReason, params?: ReasonParams): DomainError {
    return new DomainError(DomainErrorCode.CONFLICT, message, undefined, reason, params);
  }

  static invalidState(message: string, reason?: DomainErrorReason, params?: ReasonParams): DomainError {
    return new DomainError(DomainErrorCode.INVALID_STATE, message, undefined, reason, params);
  }

  static forbidden(message: string, reason?: DomainErrorReason, params?: ReasonParams): DomainError {
    return new DomainError(DomainErrorCode.FORBIDDEN, message, undefined, reason, params);
  }
}
