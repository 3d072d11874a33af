/**
 * Which persons an integration client may be told about: the shared access rule (in libs/auth, the one
 * that decides what a client of an organisation sees), given to the webhook services by the process that
 * runs them, so that the rule is written once. Asked at fan-out and again before every attempt.
 */
export abstract class WebhookAudience {
  /** For each client (its service account's staff id), the persons among `personIds` it may see now. */
  abstract visible(clientIds: readonly string[], personIds: readonly string[]): Promise<Map<string, Set<string>>>;
}
