import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  Actor,
  AuthenticatingClient,
  IntegrationClientService,
  IntegrationScope,
  OAUTH_SCOPE_OF,
  scopeOfOAuth,
} from '@samverka/domain';
import { APP_CONFIG, AppConfig, Clock } from '@samverka/infrastructure';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, JWTPayload, jwtVerify, SignJWT } from 'jose';
import { hkdfSync, randomUUID } from 'node:crypto';
import { LoginThrottle } from './login-throttle';

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** The media type of our access tokens (RFC 9068): what tells them from a login token. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
const ACCESS_TOKEN_AUDIENCE = 'samverka-api';
/** Signature algorithms a client may sign its assertion with (asymmetric only: the client's secret is never a key). */
const ASSERTION_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** An assertion may not live longer than this: it bounds how long its jti is kept. */
const MAX_ASSERTION_SECONDS = 600;
/** Tolerated clock difference between the client and us, for exp, nbf and iat. */
const CLOCK_TOLERANCE_SECONDS = 30;

/** An error response of the token endpoint (RFC 6749 section 5.2). */
export class OAuthError extends Error {
  constructor(
    readonly error:
      | 'invalid_request'
      | 'invalid_client'
      | 'invalid_grant'
      | 'unauthorized_client'
      | 'unsupported_grant_type'
      | 'invalid_scope'
      | 'temporarily_unavailable',
    readonly description: string,
    readonly status = error === 'invalid_client' ? 401 : 400,
  ) {
    super(description);
  }
}

export interface TokenRequest {
  /** The form parameters (application/x-www-form-urlencoded), each given once. */
  params: Record<string, string>;
  /** The Authorization header, for client_secret_basic. */
  authorization?: string;
  clientAddress?: string | null;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

/**
 * The OAuth 2.0 client credentials grant (RFC 6749 section 4.4) for integration clients, with client
 * authentication by secret (client_secret_basic, client_secret_post) or by a JWT signed with the client's
 * registered key (private_key_jwt, RFC 7523 section 2.2 and OpenID Connect Core section 9). The access token is a
 * short-lived JWT (RFC 9068 profile) that TokenService.authenticate accepts like any bearer token.
 *
 * Why our own narrow implementation and not a library's whole server: see the README (Integration partners).
 * The cryptography is `jose`'s; failed client authentications count against the login lockout (LoginThrottle),
 * per client id and per address, in Redis.
 */
@Injectable()
export class OAuthTokenService {
  private readonly logger = new Logger('OAuthToken');
  private readonly signingKey: Uint8Array;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clients: IntegrationClientService,
    private readonly throttle: LoginThrottle,
    private readonly clock: Clock,
  ) {
    // A key of its own, derived from TOKEN_SECRET: a login token can never pass for a client's access token or back.
    this.signingKey = new Uint8Array(hkdfSync('sha256', config.TOKEN_SECRET, 'samverka', 'oauth access token', 32));
  }

  /** Our issuer: the API's address. Read per request, as APP_URL is. */
  get issuer(): string {
    return this.config.APP_URL.replace(/\/+$/, '');
  }

  /** The token endpoint's address: what a client assertion's audience names (its issuer is accepted too). */
  get tokenEndpoint(): string {
    return `${this.issuer}/oauth/token`;
  }

  get accessTokenSeconds(): number {
    return this.config.OAUTH_ACCESS_TOKEN_TTL_SECONDS;
  }

  async token(request: TokenRequest): Promise<TokenResponse> {
    const { params } = request;
    const client = await this.authenticateClient(request);
    if (!params.grant_type) throw new OAuthError('invalid_request', 'grant_type is missing');
    if (params.grant_type !== 'client_credentials')
      throw new OAuthError('unsupported_grant_type', 'Only the client_credentials grant is supported');
    const scopes = grantedScopes(params.scope, client.scopes);
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const scope = scopes.map((s) => OAUTH_SCOPE_OF[s]).join(' ');
    const accessToken = await new SignJWT({ scope, client_id: client.clientId })
      .setProtectedHeader({ alg: 'HS256', typ: ACCESS_TOKEN_TYPE })
      .setIssuer(this.issuer)
      .setSubject(client.clientId)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + this.accessTokenSeconds)
      .setJti(randomUUID())
      .sign(this.signingKey);
    return { access_token: accessToken, token_type: 'Bearer', expires_in: this.accessTokenSeconds, scope };
  }

  /** Whether a bearer token is one of our client access tokens (by its header's type), before verifying it. */
  isAccessToken(token: string): boolean {
    try {
      return decodeProtectedHeader(token).typ === ACCESS_TOKEN_TYPE;
    } catch {
      return false;
    }
  }

  /**
   * The actor of a client access token: its service account with the token's scopes that the client still
   * has (a scope taken away counts at once), or null when the token is invalid or expired or the client revoked.
   */
  async actorOf(token: string): Promise<Actor | null> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.signingKey, {
        algorithms: ['HS256'],
        typ: ACCESS_TOKEN_TYPE,
        issuer: this.issuer,
        audience: ACCESS_TOKEN_AUDIENCE,
        currentDate: this.clock.now(),
        requiredClaims: ['exp', 'sub', 'client_id'],
      }));
    } catch {
      return null;
    }
    if (typeof payload.client_id !== 'string' || payload.client_id !== payload.sub || typeof payload.scope !== 'string')
      return null;
    const client = await this.clients.findForAuthentication(payload.client_id);
    if (!client) return null;
    const asked = new Set(payload.scope.split(' '));
    const scopes = client.scopes.filter((s) => asked.has(OAUTH_SCOPE_OF[s]));
    const { staff, organisation } = client;
    return {
      staffId: staff.id,
      organisationId: staff.organisationId,
      unitId: staff.unitId,
      profession: staff.profession,
      principal: organisation.principal,
      administrator: false,
      auditor: false,
      whereaboutsAuthorised: false,
      organisationAdministrator: false,
      scopes,
      clientId: client.clientId,
    };
  }

  /** Exactly one way of client authentication (RFC 6749 section 2.3), checked under the failed-login lockout. */
  private async authenticateClient({
    params,
    authorization,
    clientAddress,
  }: TokenRequest): Promise<AuthenticatingClient> {
    const basic = parseBasic(authorization);
    const methods = [
      basic,
      params.client_secret !== undefined,
      params.client_assertion !== undefined || params.client_assertion_type !== undefined,
    ].filter(Boolean);
    if (methods.length > 1) throw new OAuthError('invalid_request', 'Use exactly one way of client authentication');
    if (methods.length === 0)
      throw new OAuthError(
        'invalid_client',
        'Client authentication is required (client_secret_basic, client_secret_post or private_key_jwt)',
      );

    const assertionId =
      params.client_assertion !== undefined || params.client_assertion_type !== undefined
        ? unverifiedIssuer(params)
        : null;
    const clientId = basic ? basic.clientId : (assertionId ?? params.client_id);
    if (!clientId) throw new OAuthError('invalid_request', 'client_id is missing');
    if (basic && params.client_id !== undefined && params.client_id !== basic.clientId)
      throw new OAuthError('invalid_request', 'client_id differs from the authenticated client');
    if (assertionId && params.client_id !== undefined && params.client_id !== assertionId)
      throw new OAuthError('invalid_client', "client_id differs from the assertion's issuer");

    const throttleKey = `oauth-client:${clientId}`;
    if (await this.throttle.isLocked(throttleKey, clientAddress)) {
      throw new OAuthError('temporarily_unavailable', 'Too many failed client authentications; wait 15 minutes', 429);
    }
    const fail = async (description: string): Promise<never> => {
      await this.throttle.recordFailure(throttleKey, clientAddress);
      this.logger.warn(`client authentication refused: ${description}`);
      const error = new OAuthError('invalid_client', description);
      if (basic) Object.assign(error, { basic: true });
      throw error;
    };
    const client = await this.clients.findForAuthentication(clientId);
    if (!client) return fail('Unknown or revoked client');
    if (assertionId) {
      const problem = await this.checkAssertion(client, params.client_assertion_type, params.client_assertion);
      if (problem) return fail(problem);
    } else {
      const secret = basic ? basic.secret : params.client_secret;
      if (!(await this.clients.secretInForce(client.staff.id, secret ?? '')))
        return fail('Wrong, expired or revoked client secret');
    }
    await this.throttle.recordSuccess(throttleKey);
    return client;
  }

  /** RFC 7523 section 3: what is wrong with the assertion, or null when it authenticates the client (and is now used). */
  private async checkAssertion(
    client: AuthenticatingClient,
    type: string | undefined,
    assertion: string | undefined,
  ): Promise<string | null> {
    if (type !== CLIENT_ASSERTION_TYPE) return `client_assertion_type must be ${CLIENT_ASSERTION_TYPE}`;
    if (!assertion) return 'client_assertion is missing';
    if (client.publicKeys.length === 0) return 'The client has no registered public key';
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(assertion, createLocalJWKSet({ keys: client.publicKeys }), {
        algorithms: ASSERTION_ALGORITHMS,
        issuer: client.clientId,
        subject: client.clientId,
        audience: [this.tokenEndpoint, this.issuer],
        currentDate: this.clock.now(),
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'jti'],
      }));
    } catch (error) {
      return `The client assertion is not valid (${(error as { code?: string }).code ?? 'unreadable'})`;
    }
    const now = this.clock.now().getTime() / 1000;
    if (payload.exp! > now + MAX_ASSERTION_SECONDS + CLOCK_TOLERANCE_SECONDS)
      return `The client assertion may be valid for at most ${MAX_ASSERTION_SECONDS} seconds`;
    if (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > 200)
      return 'The client assertion needs a jti';
    if (!(await this.clients.useAssertionId(client.staff.id, payload.jti, new Date(payload.exp! * 1000))))
      return 'The client assertion was used before';
    return null;
  }
}

/** client_secret_basic: the form-encoded client id and secret in HTTP Basic (RFC 6749 section 2.3.1). */
function parseBasic(authorization: string | undefined): { clientId: string; secret: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' ')),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    return null;
  }
}

/** Which client an assertion says it is from, read before its signature is checked (the keys depend on it). */
function unverifiedIssuer(params: Record<string, string>): string {
  try {
    const { iss } = decodeJwt(params.client_assertion ?? '');
    if (typeof iss === 'string' && iss) return iss;
  } catch {
    // fall through
  }
  throw new OAuthError('invalid_client', 'The client assertion cannot be read');
}

/** The scopes to grant: those asked for (all known and the client's), or every scope of the client when none is asked. */
function grantedScopes(asked: string | undefined, allowed: readonly IntegrationScope[]): IntegrationScope[] {
  if (asked === undefined || asked.trim() === '') return [...allowed];
  const names = [...new Set(asked.split(' ').filter(Boolean))];
  const scopes: IntegrationScope[] = [];
  for (const name of names) {
    const scope = scopeOfOAuth(name);
    if (!scope || !allowed.includes(scope))
      throw new OAuthError('invalid_scope', `The client may not have the scope ${JSON.stringify(name).slice(0, 60)}`);
    scopes.push(scope);
  }
  return scopes;
}
