import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentActor, Public, SessionService, TokenService } from '@samverka/auth';
import { Actor, DomainError, DomainErrorCode } from '@samverka/domain';
import { APP_CONFIG, AppConfig } from '@samverka/infrastructure';
import { Inject } from '@nestjs/common';
import { GraphQLContext } from '../../graphql/graphql-context';
import { StaffMemberType } from '../staff/staff.types';
import { AuthMode, LoginInput, LoginPayloadType, SignInPayloadType } from './auth.types';

@Resolver()
export class AuthResolver {
  constructor(
    private readonly tokens: TokenService,
    private readonly sessions: SessionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Mutation(() => LoginPayloadType, {
    description: 'Password login for demo users (AUTH_MODE=local), for API clients: a bearer token',
  })
  async login(@Args('input') input: LoginInput, @Context() ctx: GraphQLContext) {
    const { token, expiresAt, actor } = await this.tokens.login(input.username, input.password, ctx.clientAddress);
    return { token, expiresAt, staff: await ctx.loaders.staff.load(actor.staffId) };
  }

  @Public()
  @Query(() => AuthMode, {
    description:
      'How staff sign in here: LOCAL (username and password) or OIDC (through their organisation, at /auth/login)',
  })
  authMode() {
    return this.config.AUTH_MODE === 'oidc' ? AuthMode.OIDC : AuthMode.LOCAL;
  }

  @Public()
  @Mutation(() => SignInPayloadType, {
    description:
      'Password sign-in for the web client (AUTH_MODE=local): opens a session held in an HttpOnly cookie; no token is returned',
  })
  async signIn(@Args('input') input: LoginInput, @Context() ctx: GraphQLContext) {
    if (!ctx.http) throw DomainError.invalid('input', 'Sign in over HTTP');
    // The same check and lockout as `login`.
    const actor = await this.tokens.checkPassword(input.username, input.password, ctx.clientAddress);
    const { token, expiresAt } = await this.sessions.open(actor.staffId);
    ctx.http.setCookies(this.sessions.signInCookies(ctx.http.request, token));
    return { expiresAt, staff: await ctx.loaders.staff.load(actor.staffId) };
  }

  @Public()
  @Mutation(() => Boolean, {
    description: "Ends this browser's session (the cookie's) and removes its cookies; false when there was none",
  })
  async signOut(@Context() ctx: GraphQLContext) {
    if (!ctx.session) return false;
    // The same proof as any cookie request: another site cannot sign the user out.
    if (!ctx.session.sameOrigin)
      throw new DomainError(
        DomainErrorCode.FORBIDDEN,
        'Sign out from the web client itself (X-CSRF-Token header, own origin)',
      );
    await this.sessions.revoke(ctx.session.token);
    ctx.http?.setCookies(this.sessions.signOutCookies(ctx.http.request));
    return true;
  }

  @Query(() => StaffMemberType, { description: 'The signed-in staff member' })
  me(@CurrentActor() actor: Actor, @Context() ctx: GraphQLContext) {
    return ctx.loaders.staff.load(actor.staffId);
  }
}
