import { Inject, Injectable } from '@nestjs/common';
import { API_KEY_PATTERN, ApiKeyService, Actor, DomainError, DomainErrorCode, StaffService } from '@samverka/domain';
import { APP_CONFIG, AppConfig } from '@samverka/infrastructure';
import { createRemoteJWKSet, JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { AuthContext } from './auth-context';
import { LoginThrottle } from './login-throttle';
import { OAuthTokenService } from './oauth-token.service';
import { DECOY_PASSWORD_HASH, verifyPassword } from './password';
import { SessionService } from './session.service';

const LOCAL_ISSUER = 'samverka';
const LOCAL_AUDIENCE = 'samverka-api';

const unauthenticated = () =>
  new DomainError(DomainErrorCode.UNAUTHENTICATED, 'Sign in again: the token is missing, invalid or expired');

/**
 * Turns bearer tokens and browser sessions into actors. In `local` mode we sign and verify the tokens
 * ourselves (demo logins); in `oidc` mode tokens come from an external issuer and are checked against its
 * JWKS. The staff member is read on every request (one indexed lookup), never cached: deactivation and a
 * revoked role take effect on the next request, in every API process.
 */
@Injectable()
export class TokenService {
  private readonly secret: Uint8Array;
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly staff: StaffService,
    private readonly apiKeys: ApiKeyService,
    private readonly throttle: LoginThrottle,
    private readonly sessions: SessionService,
    private readonly oauth: OAuthTokenService,
  ) {
    this.secret = new TextEncoder().encode(config.TOKEN_SECRET);
    if (config.AUTH_MODE === 'oidc') this.jwks = createRemoteJWKSet(new URL(config.OIDC_JWKS_URL!));
  }

  /**
   * Password login for demo users, for API clients: a bearer token. (The web client signs in with the
   * same check through `signIn`, which opens a cookie session instead.)
   */
  async login(
    username: string,
    password: string,
    clientAddress?: string | null,
  ): Promise<{ token: string; expiresAt: Date; actor: Actor }> {
    const actor = await this.checkPassword(username, password, clientAddress);
    const expiresAt = new Date(Date.now() + this.config.TOKEN_TTL_SECONDS * 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(actor.staffId)
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.secret);
    return { token, expiresAt, actor };
  }

  /**
   * The staff member a username and password belong to (AUTH_MODE=local only), under the login lockout.
   * The answer is the same for an unknown user and a wrong password, and takes as long: an unknown
   * username is checked against a decoy hash, so timing reveals nothing either.
   */
  async checkPassword(username: string, password: string, clientAddress?: string | null): Promise<Actor> {
    if (this.config.AUTH_MODE !== 'local') {
      throw new DomainError(DomainErrorCode.FORBIDDEN, 'Password login is disabled; sign in through your organisation');
    }
    await this.throttle.assertMayTry(username, clientAddress);
    const identity = await this.staff.findIdentity({ username });
    const ok = await verifyPassword(password, identity?.passwordHash ?? DECOY_PASSWORD_HASH);
    if (!identity?.passwordHash || !ok) {
      await this.throttle.recordFailure(username, clientAddress);
      throw new DomainError(DomainErrorCode.UNAUTHENTICATED, 'Wrong username or password');
    }
    await this.throttle.recordSuccess(username);
    return toActor(identity.staff, identity.organisation.principal);
  }

  /**
   * Whoever a GraphQL request (or a live event's re-check) is from: a bearer token if it sends one, else
   * the browser's session cookie, which counts only with its CSRF proof (see SessionService.fromRequest).
   */
  async authenticateContext(ctx: AuthContext, options: { touch: boolean } = { touch: true }): Promise<Actor> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(ctx.authorization ?? '')?.[1];
    if (bearer) return this.authenticate(bearer);
    if (!ctx.session)
      throw new DomainError(
        DomainErrorCode.UNAUTHENTICATED,
        'Sign in first: send a bearer token in the Authorization header',
      );
    if (!ctx.session.sameOrigin) {
      throw new DomainError(
        DomainErrorCode.FORBIDDEN,
        'A request signed in by cookie must come from the web client itself (X-CSRF-Token header, own origin)',
      );
    }
    return this.actorById(await this.sessions.staffOf(ctx.session.token, options));
  }

  /** The active staff member whose external subject (from the provider's ID token) this is. */
  async actorForSubject(subject: string): Promise<Actor> {
    const identity = await this.staff.findIdentity({ externalSubject: subject });
    if (!identity) throw unauthenticated();
    return toActor(identity.staff, identity.organisation.principal);
  }

  private async actorById(staffId: string): Promise<Actor> {
    const identity = await this.staff.findIdentity({ id: staffId });
    if (!identity) throw unauthenticated();
    return toActor(identity.staff, identity.organisation.principal);
  }

  async authenticate(token: string): Promise<Actor> {
    if (API_KEY_PATTERN.test(token)) return this.authenticateApiKey(token);
    // An integration client's OAuth access token (ours, in either AUTH_MODE): its service account, with the token's scopes.
    if (this.oauth.isAccessToken(token)) {
      const actor = await this.oauth.actorOf(token);
      if (!actor) throw unauthenticated();
      return actor;
    }
    let payload: JWTPayload;
    try {
      payload =
        this.config.AUTH_MODE === 'local'
          ? (
              await jwtVerify(token, this.secret, {
                issuer: LOCAL_ISSUER,
                audience: LOCAL_AUDIENCE,
                algorithms: ['HS256'],
              })
            ).payload
          : (
              await jwtVerify(token, this.jwks!, {
                issuer: this.config.OIDC_ISSUER,
                audience: this.config.OIDC_AUDIENCE,
              })
            ).payload;
    } catch {
      throw unauthenticated();
    }
    const subject = this.config.AUTH_MODE === 'local' ? payload.sub : payload[this.config.OIDC_SUBJECT_CLAIM];
    if (typeof subject !== 'string' || !subject) throw unauthenticated();
    return this.config.AUTH_MODE === 'local' ? this.actorById(subject) : this.actorForSubject(subject);
  }

  /** An integration client's API key (sent as a bearer token): its service account, with the key's scopes only. */
  private async authenticateApiKey(apiKey: string): Promise<Actor> {
    const identity = await this.apiKeys.identify(apiKey);
    if (!identity) throw unauthenticated();
    return {
      ...toActor(
        {
          ...identity.staff,
          administrator: false,
          auditor: false,
          whereaboutsAuthorised: false,
          organisationAdministrator: false,
        },
        identity.organisation.principal,
      ),
      scopes: identity.scopes,
    };
  }
}

function toActor(
  staff: {
    id: string;
    organisationId: string;
    unitId: string | null;
    profession: Actor['profession'];
    administrator: boolean;
    auditor: boolean;
    whereaboutsAuthorised: boolean;
    organisationAdministrator: boolean;
  },
  principal: Actor['principal'],
): Actor {
  return {
    staffId: staff.id,
    organisationId: staff.organisationId,
    unitId: staff.unitId,
    profession: staff.profession,
    principal,
    administrator: staff.administrator,
    auditor: staff.auditor,
    whereaboutsAuthorised: staff.whereaboutsAuthorised,
    organisationAdministrator: staff.organisationAdministrator,
  };
}
