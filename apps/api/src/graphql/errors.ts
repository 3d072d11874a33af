import { Logger, ValidationError } from '@nestjs/common';
import { unwrapResolverError } from '@apollo/server/errors';
import { DomainError, DomainErrorCode } from '@samverka/domain';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { randomUUID } from 'node:crypto';

/** The GraphQL error code for every domain error code; exhaustive, so a new code cannot be forgotten. */
const GRAPHQL_CODE: Record<DomainErrorCode, string> = {
  [DomainErrorCode.INVALID_INPUT]: 'BAD_USER_INPUT',
  [DomainErrorCode.NOT_FOUND]: 'NOT_FOUND',
  [DomainErrorCode.FORBIDDEN]: 'FORBIDDEN',
  [DomainErrorCode.CONFLICT]: 'CONFLICT',
  [DomainErrorCode.INVALID_STATE]: 'INVALID_STATE',
  [DomainErrorCode.UNAUTHENTICATED]: 'UNAUTHENTICATED',
};

/** Errors Apollo and graphql-js raise about the request itself; safe to show as they are. */
const CLIENT_CODES = new Set([
  'BAD_USER_INPUT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'QUERY_TOO_COSTLY',
  'RATE_LIMITED',
]);

const logger = new Logger('GraphQL');

export interface FieldProblem {
  field: string;
  message: string;
}

/** class-validator errors, flattened to dotted paths ("input.interventions.0.description"). */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field: path, message }));
    return [...own, ...flattenValidationErrors(e.children ?? [], path)];
  });
}

export function badUserInput(problems: FieldProblem[]): GraphQLError {
  const first = problems[0];
  return new GraphQLError(`Invalid input: ${first.field}: ${first.message}`, {
    extensions: { code: 'BAD_USER_INPUT', field: first.field, fields: problems },
  });
}

/**
 * Shapes every error leaving the API. Domain errors keep their message and get their code;
 * anything unexpected is masked, and logged by class and database code only: messages of
 * database errors can hold the values of the row, which may be personal data.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, options: { hideSuggestions?: boolean } = {}): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof DomainError) {
    return {
      message: original.message,
      path: formatted.path,
      extensions: { code: GRAPHQL_CODE[original.code], ...(original.field ? { field: original.field, fields: [{ field: original.field, message: original.message }] } : {}) },
    };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && (CLIENT_CODES.has(code) || code === 'UNAUTHENTICATED')) {
    const { stacktrace: _drop, ...extensions } = formatted.extensions ?? {};
    // A variable of the wrong shape (a crafted date, say) is named like any other bad field.
    const variable = code === 'BAD_USER_INPUT' && !extensions.field ? /^Variable "\$(\w+)"/.exec(formatted.message)?.[1] : undefined;
    if (variable) Object.assign(extensions, { field: variable, fields: [{ field: variable, message: formatted.message }] });
    // In production, no "Did you mean ...?": field suggestions would reveal the schema with introspection off.
    const message = options.hideSuggestions ? formatted.message.replace(/ Did you mean .*\?$/, '') : formatted.message;
    return { ...formatted, message, extensions };
  }
  const errorId = randomUUID();
  const e = original as { name?: string; code?: string; constraint?: string };
  logger.error(`Unexpected error ${errorId}: ${e?.name ?? typeof original}${e?.code ? ` code=${e.code}` : ''}${e?.constraint ? ` constraint=${e.constraint}` : ''} at ${formatted.path?.join('.') ?? '(request)'}`);
  return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR', errorId } };
}
