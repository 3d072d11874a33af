// A real OpenID Connect provider for the sign-in tests: panva's oidc-provider, which is ESM and runs here on
// plain Node, in its own process. It listens on 127.0.0.1, prints {"issuer"} as a JSON line, then reads one
// JSON line {"clientId", "redirectUri"} (the API's callback, known only once the API listens) and prints
// {"ready": true}. Its development interactions sign in whatever subject the login form names.
import Provider from 'oidc-provider';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;
process.stdout.write(`${JSON.stringify({ issuer })}\n`);

const line = await new Promise((resolve) => createInterface({ input: process.stdin }).once('line', resolve));
const { clientId, redirectUri } = JSON.parse(line);
const provider = new Provider(issuer, {
  // A public client: PKCE is what protects its code (oidc-provider requires PKCE of it).
  clients: [
    {
      client_id: clientId,
      token_endpoint_auth_method: 'none',
      redirect_uris: [redirectUri],
      response_types: ['code'],
      grant_types: ['authorization_code'],
    },
  ],
  findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
  cookies: { keys: ['oidc-test-provider-cookie-key'] },
  features: { devInteractions: { enabled: true } },
});
server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
process.stdin.on('end', () => process.exit(0));
