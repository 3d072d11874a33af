import { Controller, Logger, Post, Req, Res } from '@nestjs/common';
import { OAuthError, OAuthTokenService, Public } from '@samverka/auth';
import type { Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import { RequestGuard } from '../../graphql/request-guard.plugin';

/**
 * POST /oauth/token: the OAuth 2.0 token endpoint for integration clients (client credentials grant). The
 * protocol is OAuthTokenService's; this only reads the form and writes the answer as RFC 6749 section 5 says:
 * JSON, never cached, errors as `{ error, error_description }` with 400 (401 and WWW-Authenticate for a client
 * that failed HTTP Basic authentication). Every token request counts against the per-address request rate of the
 * GraphQL API (RequestGuard, in Redis), and failed client authentications against the login lockout.
 */
@Public() // the client authenticates with its own credentials, not a bearer token
@Controller('oauth')
export class OAuthController {
  private readonly logger = new Logger('OAuthToken');

  constructor(
    private readonly oauth: OAuthTokenService,
    private readonly requests: RequestGuard,
  ) {}

  @Post('token')
  async token(@Req() req: Request, @Res() res: Response): Promise<void> {
    res.setHeader('cache-control', 'no-store');
    res.setHeader('pragma', 'no-cache');
    const clientAddress = req.ip ?? req.socket?.remoteAddress ?? null;
    try {
      await this.enforceRate(clientAddress);
      const params = formParams(req);
      const answer = await this.oauth.token({ params, authorization: req.headers.authorization, clientAddress });
      res.status(200).json(answer);
    } catch (error) {
      if (!(error instanceof OAuthError)) {
        this.logger.error(`token request failed: ${error instanceof Error ? error.name : 'unknown error'}`);
        res.status(500).json({ error: 'server_error' });
        return;
      }
      if (error.status === 401 && (error as OAuthError & { basic?: boolean }).basic)
        res.setHeader('www-authenticate', 'Basic realm="samverka", charset="UTF-8"');
      if (error.status === 429)
        res.setHeader('retry-after', (error as OAuthError & { retryAfter?: string }).retryAfter ?? '900');
      res.status(error.status).json({ error: error.error, error_description: error.description });
    }
  }

  private async enforceRate(clientAddress: string | null): Promise<void> {
    try {
      await this.requests.enforceRates({ clientAddress });
    } catch (error) {
      throw rateRefusal(error) ?? error;
    }
  }
}

/** The GraphQL API's per-address rate, answered in the token endpoint's own terms. */
function rateRefusal(error: unknown): OAuthError | null {
  if (!(error instanceof GraphQLError) || error.extensions?.code !== 'RATE_LIMITED') return null;
  const headers = (error.extensions.http as { headers?: Map<string, string> } | undefined)?.headers;
  return Object.assign(
    new OAuthError('temporarily_unavailable', 'Too many requests from this address; try again shortly', 429),
    { retryAfter: headers?.get('retry-after') ?? '60' },
  );
}

/** The request's form parameters; a parameter sent twice, or a body that is no form, is a malformed request (RFC 6749 section 3.2). */
function formParams(req: Request): Record<string, string> {
  if (!req.is('application/x-www-form-urlencoded'))
    throw new OAuthError('invalid_request', 'Send the parameters as application/x-www-form-urlencoded');
  const body = (req.body ?? {}) as Record<string, unknown>;
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value !== 'string')
      throw new OAuthError('invalid_request', `The parameter ${name.slice(0, 40)} must be given once`);
    params[name] = value;
  }
  return params;
}
