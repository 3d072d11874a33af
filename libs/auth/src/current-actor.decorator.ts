import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { Actor } from '@samverka/domain';
import { AuthContext } from './auth-context';

/**
 * The authenticated staff member (the AuthGuard has run before any resolver), with this request's client
 * address and the field asked for, which the access policy writes to the access log as the entity.
 */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const gql = GqlExecutionContext.create(context);
  const ctx = gql.getContext<AuthContext>();
  if (!ctx.actor) throw new Error('CurrentActor used on an operation without authentication');
  // The field's own name (never an alias): the query or mutation, or the field a field resolver reads.
  const operation = gql.getInfo<{ fieldName?: string } | undefined>()?.fieldName;
  return { ...ctx.actor, clientAddress: ctx.clientAddress ?? null, operation };
});
