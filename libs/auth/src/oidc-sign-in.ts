import { Inject, Injectable } from '@nestjs/common';
import { DomainError, DomainErrorCode } from '@samverka/domain';
import { APP_CONFIG, AppConfig } from '@samverka/infrastructure';
import { EncryptJWT, jwtDecrypt } from 'jose';
import { createHash } from 'node:crypto';
import * as oidc from 'openid-client';

/** The short-lived cookie that carries one sign-in's state, nonce and PKCE verifier from /auth/login to /auth/callback. */
export const OIDC_TRANSACTION_COOKIE = 'samverka_oidc';
export const OIDC_CALLBACK_PATH = '/auth/callback';
const TRANSACTION_SECONDS = 600;

interface Transaction {
  state: string;
  nonce: string;
  verifier: string;
}

export const signInRefused = () =>
  new DomainError(DomainErrorCode.UNAUTHENTICATED, 'Sign-in through the organisation failed; start again');

/**
 * Staff sign in through the organisation's OpenID Connect provider (AUTH_MODE=oidc): the authorization
 * code flow with PKCE, a state and a nonce, done by openid-client. The flow's secrets travel in a
 * cookie encrypted with a key derived from TOKEN_SECRET, so any API instance can finish what another
 * started. The provider's metadata is discovered on first use.
 */
@Injectable()
export class OidcSignIn {
  private configuration?: Promise<oidc.Configuration>;
  private readonly transactionKey: Uint8Array;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.transactionKey = createHash('sha256').update(`samverka-oidc-transaction:${config.TOKEN_SECRET}`).digest();
  }

  get redirectUri(): string {
    return new URL(OIDC_CALLBACK_PATH, this.config.APP_URL).toString();
  }

  /** Where to send the browser, and the transaction cookie's value to set on the way. */
  async start(): Promise<{ url: URL; transaction: string }> {
    const configuration = await this.discover();
    const tx: Transaction = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      verifier: oidc.randomPKCECodeVerifier(),
    };
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      scope: 'openid',
      state: tx.state,
      nonce: tx.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(tx.verifier),
      code_challenge_method: 'S256',
    });
    const transaction = await new EncryptJWT({ ...tx })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuedAt()
      .setExpirationTime(`${TRANSACTION_SECONDS}s`)
      .encrypt(this.transactionKey);
    return { url, transaction };
  }

  /**
   * Finishes the flow at the callback: checks state, exchanges the code with the PKCE verifier, verifies
   * the ID token (signature, issuer, audience, nonce) and returns its subject. Anything amiss is refused.
   */
  async finish(callbackUrl: URL, transaction: string | undefined): Promise<string> {
    if (!transaction) throw signInRefused();
    let tx: Transaction;
    try {
      tx = (await jwtDecrypt(transaction, this.transactionKey)).payload as unknown as Transaction;
    } catch {
      throw signInRefused();
    }
    const configuration = await this.discover();
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: tx.verifier,
        expectedState: tx.state,
        expectedNonce: tx.nonce,
        idTokenExpected: true,
      });
      const subject = tokens.claims()?.[this.config.OIDC_SUBJECT_CLAIM];
      if (typeof subject !== 'string' || !subject) throw signInRefused();
      return subject;
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw signInRefused();
    }
  }

  get transactionMaxAge(): number {
    return TRANSACTION_SECONDS;
  }

  private discover(): Promise<oidc.Configuration> {
    if (this.config.AUTH_MODE !== 'oidc') {
      return Promise.reject(
        new DomainError(DomainErrorCode.FORBIDDEN, 'Sign-in through an organisation is off (AUTH_MODE=local)'),
      );
    }
    this.configuration ??= oidc
      .discovery(
        new URL(this.config.OIDC_ISSUER!),
        this.config.OIDC_CLIENT_ID!,
        this.config.OIDC_CLIENT_SECRET,
        this.config.OIDC_CLIENT_SECRET ? undefined : oidc.None(),
        {
          // Plain http only outside production (a provider on the loopback address in tests); loadConfig refuses it in production.
          execute: this.config.OIDC_ISSUER!.startsWith('http://') ? [oidc.allowInsecureRequests] : [],
        },
      )
      .catch((error: unknown) => {
        this.configuration = undefined;
        throw error;
      });
    return this.configuration;
  }
}
