import { Logger, ValidationError } from '@nestjs/common';
import { unwrapResolverError } from '@apollo/server/errors';
import { DomainError, DomainErrorCode } from '@samverka/domain';
import { getMetadataStorage } from 'class-validator';
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

/**
 * One refused input field: its path ("input.interventions.0.description"), the rule it broke as a code
 * the clients word in their language ("required", "maxLength", a domain reason such as
 * "DEADLINE_TOO_FAR"), that rule's parameters (`{ max: 200 }`), and an English message for developers.
 */
export interface FieldProblem {
  field: string;
  constraint: string;
  params: Record<string, string | number>;
  message: string;
}

/** class-validator's names for the rules whose own parameters a client needs, and what they are called. */
const PARAMS_OF: Record<string, (args: unknown[]) => Record<string, number>> = {
  minLength: ([min]) => ({ min: Number(min) }),
  maxLength: ([max]) => ({ max: Number(max) }),
  arrayMinSize: ([min]) => ({ min: Number(min) }),
  arrayMaxSize: ([max]) => ({ max: Number(max) }),
  min: ([min]) => ({ min: Number(min) }),
  max: ([max]) => ({ max: Number(max) }),
};

/** The decorator's arguments for a rule on a property (e.g. [1, 200] for @Length(1, 200)), from class-validator's metadata. */
function argumentsOf(target: object | undefined, property: string, constraint: string): unknown[] {
  if (!target) return [];
  const metadata = getMetadataStorage().getTargetValidationMetadatas(target.constructor, '', true, false);
  return (
    metadata.find((m) => m.propertyName === property && (m.name === constraint || m.type === constraint))
      ?.constraints ?? []
  );
}

/**
 * One broken rule as a code with parameters. @Length becomes the side it broke (minLength or maxLength);
 * a string that is empty where something is needed is "required", whatever rule said so. A decorator
 * may name its rule itself with `context: { constraint: 'date' }` (a date checked by its length, say).
 */
function problem(e: ValidationError, path: string, constraint: string, message: string): FieldProblem {
  const own = (e.contexts?.[constraint] as { constraint?: string } | undefined)?.constraint;
  if (own) return { field: path, constraint: own, params: {}, message };
  const args = argumentsOf(e.target, e.property, constraint);
  const length = typeof e.value === 'string' ? e.value.trim().length : undefined;
  const missing = e.value === null || e.value === undefined || length === 0;
  if (constraint === 'isNotEmpty' || (missing && TEXT_RULES.has(constraint)))
    return { field: path, constraint: 'required', params: {}, message };
  if (constraint === 'isLength') {
    const [min, max] = args.map(Number);
    return length !== undefined && length < min
      ? { field: path, constraint: 'minLength', params: { min }, message }
      : { field: path, constraint: 'maxLength', params: { max }, message };
  }
  return { field: path, constraint, params: PARAMS_OF[constraint]?.(args) ?? {}, message };
}

/** Rules on a text that, broken by a missing or blank value, mean only that the field must be filled in. */
const TEXT_RULES = new Set(['isString', 'isLength', 'minLength', 'maxLength', 'arrayNotEmpty']);

/** class-validator errors, flattened to dotted paths ("input.interventions.0.description"), one per broken rule (once per field and code). */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([constraint, message]) =>
      problem(e, path, constraint, message),
    );
    const distinct = own.filter((p, i) => own.findIndex((q) => q.constraint === p.constraint) === i);
    return [...distinct, ...flattenValidationErrors(e.children ?? [], path)];
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
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  options: { hideSuggestions?: boolean } = {},
): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof DomainError) {
    // The reason (when the rule has one) is what clients word; the field's constraint is the same code.
    const reason = original.reason ? { reason: original.reason, params: original.params } : {};
    const field = original.field
      ? {
          field: original.field,
          fields: [
            {
              field: original.field,
              constraint: original.reason ?? 'invalid',
              params: original.params,
              message: original.message,
            } satisfies FieldProblem,
          ],
        }
      : {};
    return {
      message: original.message,
      path: formatted.path,
      extensions: { code: GRAPHQL_CODE[original.code], ...reason, ...field },
    };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && (CLIENT_CODES.has(code) || code === 'UNAUTHENTICATED')) {
    const { stacktrace: _drop, ...extensions } = formatted.extensions ?? {};
    // A variable of the wrong shape (a crafted date, say) is named like any other bad field.
    const variable =
      code === 'BAD_USER_INPUT' && !extensions.field ? /^Variable "\$(\w+)"/.exec(formatted.message)?.[1] : undefined;
    if (variable)
      Object.assign(extensions, {
        field: variable,
        fields: [
          { field: variable, constraint: 'invalid', params: {}, message: formatted.message } satisfies FieldProblem,
        ],
      });
    // In production, no "Did you mean ...?": field suggestions would reveal the schema with introspection off.
    const message = options.hideSuggestions ? formatted.message.replace(/ Did you mean .*\?$/, '') : formatted.message;
    return { ...formatted, message, extensions };
  }
  const errorId = randomUUID();
  const e = original as { name?: string; code?: string; constraint?: string };
  logger.error(
    `Unexpected error ${errorId}: ${e?.name ?? typeof original}${e?.code ? ` code=${e.code}` : ''}${e?.constraint ? ` constraint=${e.constraint}` : ''} at ${formatted.path?.join('.') ?? '(request)'}`,
  );
  return {
    message: 'Internal server error',
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR', errorId },
  };
}
