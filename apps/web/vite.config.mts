// Builds the web client into dist/web, which the API serves (see apps/api/src/web-client.ts).
// `vite --config apps/web/vite.config.ts` serves it for development, sending /graphql to the API.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = `http://127.0.0.1:${process.env.PORT ?? 3000}`;

export default defineConfig({
  root,
  base: '/',
  build: { outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)), emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/graphql': { target: api, ws: true } } },
  logLevel: 'warn',
});
