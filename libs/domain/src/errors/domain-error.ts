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

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static invalid(field: string, message: string): DomainError {
    return new DomainError(DomainErrorCode.INVALID_INPUT, message, field);
  }

  /** One message for "does not exist" and "you may not see it", so a refusal reveals nothing. */
  static notFound(what = 'person'): DomainError {
    return new DomainError(DomainErrorCode.NOT_FOUND, `No ${what} with that id is available to you`);
  }

  static conflict(message: string): DomainError {
    return new DomainError(DomainErrorCode.CONFLICT, message);
  }

  static invalidState(message: string): DomainError {
    return new DomainError(DomainErrorCode.INVALID_STATE, message);
  }

  static forbidden(message: string): DomainError {
    return new DomainError(DomainErrorCode.FORBIDDEN, message);
  }
}
