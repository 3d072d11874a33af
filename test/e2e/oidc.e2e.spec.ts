import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { OrganisationKind, Principal, Profession } from '../../libs/domain/src';
import { Fixtures } from '../support/fixtures';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const ISSUER = 'https://idp.region.example';
const AUDIENCE = 'samverka';

/** Production sign-in: tokens from an external OpenID Connect issuer, verified against its JWKS. */
describe('authentication with an external OpenID Connect issuer', () => {
  let jwks: Server;
  let db: TestDatabase;
  let api: TestApi;
  let sign: (claims: { sub: string; iss?: string; aud?: string; exp?: number }) => Promise<string>;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
    jwks = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks`;
    sign = ({ sub, iss = ISSUER, aud = AUDIENCE, exp }) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setSubject(sub)
        .setIssuer(iss)
        .setAudience(aud)
        .setIssuedAt()
        .setExpirationTime(exp ?? '10m')
        .sign(privateKey);

    db = await createTestDatabase({ AUTH_MODE: 'oidc', OIDC_ISSUER: ISSUER, OIDC_AUDIENCE: AUDIENCE, OIDC_JWKS_URL: jwksUrl, OIDC_CLIENT_ID: 'samverka-web' });
    api = await startTestApi(db);
    const f = new Fixtures(db.dataSource);
    const org = await f.org(Principal.REGION, OrganisationKind.ADDICTION_CARE);
    await f.staff(org, Profession.SUBSTANCE_ABUSE_SPECIALIST, { externalSubject: 'hsa-SE2321000016-1234' });
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
    await new Promise((resolve) => jwks?.close(resolve));
  });

  it('accepts a token from the issuer for a known staff member', async () => {
    const result = await api.gql<{ me: { profession: string } }>(`{ me { profession } }`, {}, await sign({ sub: 'hsa-SE2321000016-1234' }));
    expect(result.errors).toBeUndefined();
    expect(result.data?.me.profession).toBe('SUBSTANCE_ABUSE_SPECIALIST');
  });

  it.each([
    ['another issuer', { sub: 'hsa-SE2321000016-1234', iss: 'https://evil.example' }],
    ['another audience', { sub: 'hsa-SE2321000016-1234', aud: 'someone-else' }],
    ['an expired token', { sub: 'hsa-SE2321000016-1234', exp: Math.floor(Date.now() / 1000) - 60 }],
    ['an unknown subject', { sub: 'hsa-nobody' }],
  ])('refuses %s', async (_what, claims) => {
    const result = await api.gql(`{ me { id } }`, {}, await sign(claims));
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a token signed with our local secret', async () => {
    const local = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('hsa-SE2321000016-1234').setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('5m').sign(new TextEncoder().encode(db.config.TOKEN_SECRET));
    const result = await api.gql(`{ me { id } }`, {}, local);
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('disables password login', async () => {
    const result = await api.gql(`mutation { login(input: { username: "x", password: "y" }) { token } }`);
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
