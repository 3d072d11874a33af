import { Controller, Get, Inject, Logger, Req, Res } from '@nestjs/common';
import {
  cookieNames,
  OIDC_TRANSACTION_COOKIE,
  OidcSignIn,
  Public,
  readCookie,
  SessionService,
  TokenService,
} from '@samverka/auth';
import { APP_CONFIG, AppConfig } from '@samverka/infrastructure';
import type { Request, Response } from 'express';

/** Where the web client shows a failed sign-in (the login page reads the parameter). */
const SIGN_IN_FAILED = '/?signin=failed';

/**
 * Sign-in through the organisation's OpenID Connect provider (AUTH_MODE=oidc): GET /auth/login sends the
 * browser to the provider; GET /auth/callback finishes there, opens a session (the HttpOnly cookie) and
 * sends the browser to the web client. Sign-out is the `signOut` mutation, as in local mode.
 */
@Public()
@Controller('auth')
export class AuthController {
  private readonly logger = new Logger('Sign-in');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly oidc: OidcSignIn,
    private readonly sessions: SessionService,
    private readonly tokens: TokenService,
  ) {}

  @Get('login')
  async login(@Req() req: Request, @Res() res: Response): Promise<void> {
    res.setHeader('cache-control', 'no-store');
    try {
      const { url, transaction } = await this.oidc.start();
      res.setHeader('set-cookie', this.transactionCookie(req, transaction, this.oidc.transactionMaxAge));
      res.redirect(302, url.toString());
    } catch (error) {
      this.logger.warn(
        `sign-in could not start: ${error instanceof Error ? error.message.split('\n')[0] : 'unknown error'}`,
      );
      res.redirect(302, SIGN_IN_FAILED);
    }
  }

  @Get('callback')
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    res.setHeader('cache-control', 'no-store');
    const clearTransaction = this.transactionCookie(req, '', 0);
    try {
      const subject = await this.oidc.finish(
        new URL(req.originalUrl, this.config.APP_URL),
        readCookie(req.headers.cookie, OIDC_TRANSACTION_COOKIE),
      );
      const actor = await this.tokens.actorForSubject(subject);
      const { token } = await this.sessions.open(actor.staffId);
      res.setHeader('set-cookie', [clearTransaction, ...this.sessions.signInCookies(req, token)]);
      res.redirect(302, '/');
    } catch {
      // No detail to the browser or the log: a refused sign-in says nothing about who tried.
      this.logger.warn('sign-in through the organisation refused');
      res.setHeader('set-cookie', clearTransaction);
      res.redirect(302, SIGN_IN_FAILED);
    }
  }

  /** The flow's cookie: Lax, not Strict, since it must come back with the provider's redirect (a cross-site navigation). */
  private transactionCookie(req: Request, value: string, maxAgeSeconds: number): string {
    const secure = cookieNames(req, this.config).secure ? '; Secure' : '';
    return `${OIDC_TRANSACTION_COOKIE}=${value}; Path=/auth/callback; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure}`;
  }
}
