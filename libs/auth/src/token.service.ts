import { Inject, Injectable } from '@nestjs/common';
import { API_KEY_PATTERN, ApiKeyService, APP_CONFIG, AppConfig, Actor, DomainError, DomainErrorCode, StaffService } from '@samverka/domain';
import { createRemoteJWKSet, JWTPayload, jwtVerify, SignJWT } from 'jose';
import { createHash } from 'node:crypto';
import { LoginThrottle } from './login-throttle';
import { DECOY_PASSWORD_HASH, verifyPassword } from './password';

const LOCAL_ISSUER = 'samverka';
const LOCAL_AUDIENCE = 'samverka-api';
/** How long a resolved identity is reused; deactivating a staff member takes effect within this time. */
const IDENTITY_CACHE_MS = 30_000;
const IDENTITY_CACHE_MAX = 10_000;

const unauthenticated = () => new DomainError(DomainErrorCode.UNAUTHENTICATED, 'Sign in again: the token is missing, invalid or expired');

/**
 * Turns bearer tokens into actors. In `local` mode we sign and verify the tokens ourselves
 * (demo logins); in `oidc` mode tokens come from an external issuer and are checked against its JWKS.
 */
@Injectable()
export class TokenService {
  private readonly secret: Uint8Array;
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;
  private readonly cache = new Map<string, { actor: Actor; until: number }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly staff: StaffService,
    private readonly apiKeys: ApiKeyService,
    private readonly throttle: LoginThrottle,
  ) {
    this.secret = new TextEncoder().encode(config.TOKEN_SECRET);
    if (config.AUTH_MODE === 'oidc') this.jwks = createRemoteJWKSet(new URL(config.OIDC_JWKS_URL!));
  }

  /**
   * Password login for demo users. The answer is the same for an unknown user and a wrong password, and
   * takes as long: an unknown username is checked against a decoy hash, so timing reveals nothing either.
   */
  async login(username: string, password: string, clientAddress?: string | null): Promise<{ token: string; expiresAt: Date; actor: Actor }> {
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
    const expiresAt = new Date(Date.now() + this.config.TOKEN_TTL_SECONDS * 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(identity.staff.id)
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.secret);
    return { token, expiresAt, actor: toActor(identity.staff, identity.organisation.principal) };
  }

  async authenticate(token: string): Promise<Actor> {
    if (API_KEY_PATTERN.test(token)) return this.authenticateApiKey(token);
    let payload: JWTPayload;
    try {
      payload =
        this.config.AUTH_MODE === 'local'
          ? (await jwtVerify(token, this.secret, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, algorithms: ['HS256'] })).payload
          : (await jwtVerify(token, this.jwks!, { issuer: this.config.OIDC_ISSUER, audience: this.config.OIDC_AUDIENCE })).payload;
    } catch {
      throw unauthenticated();
    }
    const subject = this.config.AUTH_MODE === 'local' ? payload.sub : payload[this.config.OIDC_SUBJECT_CLAIM];
    if (typeof subject !== 'string' || !subject) throw unauthenticated();
    return this.resolve(subject);
  }

  /** An integration client's API key (sent as a bearer token): its service account, with the key's scopes only. */
  private async authenticateApiKey(apiKey: string): Promise<Actor> {
    const cacheKey = `key:${createHash('sha256').update(apiKey).digest('hex')}`;
    const cached = this.cache.get(cacheKey);
    if (cached && cached.until > Date.now()) return cached.actor;
    const identity = await this.apiKeys.identify(apiKey);
    if (!identity) throw unauthenticated();
    const actor: Actor = { ...toActor({ ...identity.staff, administrator: false, auditor: false, whereaboutsAuthorised: false, organisationAdministrator: false }, identity.organisation.principal), scopes: identity.scopes };
    if (this.cache.size >= IDENTITY_CACHE_MAX) this.cache.clear();
    this.cache.set(cacheKey, { actor, until: Date.now() + IDENTITY_CACHE_MS });
    return actor;
  }

  private async resolve(subject: string): Promise<Actor> {
    const cached = this.cache.get(subject);
    if (cached && cached.until > Date.now()) return cached.actor;
    const identity = await this.staff.findIdentity(this.config.AUTH_MODE === 'local' ? { id: subject } : { externalSubject: subject });
    if (!identity) throw unauthenticated();
    const actor = toActor(identity.staff, identity.organisation.principal);
    if (this.cache.size >= IDENTITY_CACHE_MAX) this.cache.clear();
    this.cache.set(subject, { actor, until: Date.now() + IDENTITY_CACHE_MS });
    return actor;
  }
}

function toActor(
  staff: { id: string; organisationId: string; unitId: string | null; profession: Actor['profession']; administrator: boolean; auditor: boolean; whereaboutsAuthorised: boolean; organisationAdministrator: boolean },
  principal: Actor['principal'],
): Actor {
  return { staffId: staff.id, organisationId: staff.organisationId, unitId: staff.unitId, profession: staff.profession, principal, administrator: staff.administrator, auditor: staff.auditor, whereaboutsAuthorised: staff.whereaboutsAuthorised,
    organisationAdministrator: staff.organisationAdministrator,
  };
}
