import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { Actor, DomainError, DomainErrorCode } from '@samverka/domain';
import { TokenService } from './token.service';

const PUBLIC = 'samverka:public';
const ADMINISTRATORS = 'samverka:administrators';
/** Marks the few operations that need no token (login). Everything else requires one. */
export const Public = () => SetMetadata(PUBLIC, true);
/** Marks directory maintenance (organisations, staff, ACT teams): administrators only. */
export const AdministratorsOnly = () => SetMetadata(ADMINISTRATORS, true);

/** What the guard leaves on the GraphQL context for resolvers. */
export interface AuthContext {
  actor?: Actor;
  /** The raw Authorization header value (HTTP) or connection parameter (WebSocket). */
  authorization?: string;
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const ctx = GqlExecutionContext.create(context).getContext<AuthContext>();
    if (!ctx.actor) {
      const match = /^Bearer\s+(\S+)$/i.exec(ctx.authorization ?? '');
      if (!match) throw new DomainError(DomainErrorCode.UNAUTHENTICATED, 'Sign in first: send a bearer token in the Authorization header');
      ctx.actor = await this.tokens.authenticate(match[1]);
    }
    if (this.reflector.getAllAndOverride<boolean>(ADMINISTRATORS, [context.getHandler(), context.getClass()]) && !ctx.actor.administrator) {
      throw new DomainError(DomainErrorCode.FORBIDDEN, 'Only an administrator can change the directory');
    }
    return true;
  }
}
