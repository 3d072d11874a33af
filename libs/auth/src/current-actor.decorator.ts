import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { Actor } from '@samverka/domain';
import { AuthContext } from './auth.guard';

/** The authenticated staff member (the AuthGuard has run before any resolver). */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = GqlExecutionContext.create(context).getContext<AuthContext>().actor;
  if (!actor) throw new Error('CurrentActor used on an operation without authentication');
  return actor;
});
