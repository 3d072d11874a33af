import { Actor, isIntegrationClient } from '../actor';
import { DomainError, DomainErrorReason } from '../errors/domain-error';

/**
 * The group's decisions are made by named staff who answer for them: proposing, voting, withdrawing a
 * proposal and asking to discharge an episode. An integration client acts for its organisation, never as a
 * person, so it is refused here, in the domain, whatever scopes it was given (scopes only open operations).
 */
export function assertNamedPerson(actor: Actor, what: string): void {
  if (isIntegrationClient(actor)) {
    throw DomainError.forbidden(
      `Only a named staff member may ${what}: an integration client never takes part in the group's decisions`,
      DomainErrorReason.NAMED_PERSON_REQUIRED,
    );
  }
}
