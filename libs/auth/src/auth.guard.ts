import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { IntegrationScope } from '@samverka/domain';
import { AccessPolicy } from './access.policy';
import type { AuthContext } from './auth-context';
import { TokenService } from './token.service';

const PUBLIC = 'samverka:public';
const ADMINISTRATORS = 'samverka:administrators';
/** Marks the few operations that need no token (login). Everything else requires one. */
export const Public = () => SetMetadata(PUBLIC, true);
const SCOPES = 'samverka:integration-scopes';
/** Marks directory maintenance (organisations, ACT teams, roles): the global administrator only. */
export const AdministratorsOnly = () => SetMetadata(ADMINISTRATORS, true);
/** Marks the operations an integration client may call with one of these scopes; all others are refused to it. */
export const IntegrationScopes = (...scopes: IntegrationScope[]) => SetMetadata(SCOPES, scopes);

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly policy: AccessPolicy,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const ctx = GqlExecutionContext.create(context).getContext<AuthContext>();
    ctx.actor ??= await this.tokens.authenticateContext(ctx);
    const targets = [context.getHandler(), context.getClass()];
    // The decisions are the access policy's; the guard only reads which operation asks for which.
    this.policy.assertIntegrationScope(
      ctx.actor,
      this.reflector.getAllAndOverride<IntegrationScope[]>(SCOPES, targets),
    );
    if (this.reflector.getAllAndOverride<boolean>(ADMINISTRATORS, targets)) this.policy.assertAdministrator(ctx.actor);
    return true;
  }
}
