// Builds the web client into dist/web, which the API serves (see apps/api/src/web-client.ts), and with
// `--ssr src/server-entry.tsx` the API's renderer of the first screen into dist/web-server (apps/api/src/web-render.ts),
// one CommonJS file the API requires, never served. `vite --config apps/web/vite.config.ts` serves the client for
// development, sending /graphql to the API.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The browser's build (not the server renderer's, which is neither served, compressed nor preloaded). */
const clientBuild = (_config: unknown, env: { command: string; isSsrBuild?: boolean }) =>
  env.command === 'build' && !env.isSsrBuild;
const api = `http://127.0.0.1:${process.env.PORT ?? 3000}`;

/**
 * Writes a brotli (.br) and a gzip (.gz) copy beside every script and style sheet of the build, compressed
 * once at the highest level, so the API serves them compressed without compressing on each request.
 */
function precompress(): Plugin {
  return {
    name: 'samverka-precompress',
    apply: clientBuild,
    writeBundle(options, bundle) {
      const outDir = options.dir ?? path.dirname(options.file ?? '');
      for (const fileName of Object.keys(bundle)) {
        if (!/\.(js|css|svg|json)$/.test(fileName)) continue;
        const file = path.join(outDir, fileName);
        const content = fs.readFileSync(file);
        fs.writeFileSync(
          `${file}.br`,
          zlib.brotliCompressSync(content, {
            params: {
              [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
              [zlib.constants.BROTLI_PARAM_SIZE_HINT]: content.length,
            },
          }),
        );
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(content, { level: 9 }));
      }
    },
  };
}

/**
 * Has the browser fetch and compile the rest of the client (render.tsx and what it imports) alongside the first
 * script, with modulepreload links in index.html: main.tsx imports it only after starting the first reads, and
 * without the links its download would start only then.
 */
function preloadRest(): Plugin {
  return {
    name: 'samverka-preload-rest',
    apply: clientBuild,
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle }) {
        const chunks = new Map(
          Object.values(bundle ?? {}).flatMap((c) => (c.type === 'chunk' ? [[c.fileName, c] as const] : [])),
        );
        const rest = [...chunks.values()].find((c) => c.facadeModuleId?.endsWith('/src/render.tsx'));
        if (!rest) throw new Error('preloadRest: no chunk for src/render.tsx');
        const files = new Set<string>();
        const visit = (fileName: string) => {
          const chunk = chunks.get(fileName);
          if (!chunk || chunk.isEntry || files.has(fileName)) return;
          files.add(fileName);
          chunk.imports.forEach(visit);
        };
        visit(rest.fileName);
        return [...files].map((fileName) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `/${fileName}` },
          injectTo: 'head' as const,
        }));
      },
    },
  };
}

/**
 * Marks the scripts every load runs (the first script and what preloadRest preloads) for V8 to compile all their
 * functions eagerly, on a background thread while each script streams in (explicit compile hints, Chromium 136
 * and later), instead of on the main thread at each function's first call: nearly all of them run to render the
 * first page. The pages fetched later stay lazy. Written into the files before precompress() compresses them
 * (minification and Vite's own last rewrites of the chunks drop comments).
 */
function compileHints(): Plugin {
  return {
    name: 'samverka-compile-hints',
    apply: clientBuild,
    writeBundle(options, bundle) {
      const outDir = options.dir ?? path.dirname(options.file ?? '');
      const chunks = new Map(
        Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [[c.fileName, c] as const] : [])),
      );
      const firstLoad = new Set<string>();
      const visit = (fileName: string) => {
        if (firstLoad.has(fileName) || !chunks.has(fileName)) return;
        firstLoad.add(fileName);
        chunks.get(fileName)!.imports.forEach(visit);
      };
      for (const chunk of chunks.values())
        if (chunk.isEntry || chunk.facadeModuleId?.endsWith('/src/render.tsx')) visit(chunk.fileName);
      for (const fileName of firstLoad) {
        const file = path.join(outDir, fileName);
        fs.writeFileSync(file, `//# allFunctionsCalledOnLoad\n${fs.readFileSync(file, 'utf8')}`);
      }
    },
  };
}

/** The server renderer: everything bundled into one CommonJS file (the API is CommonJS), React's production build. */
const serverBuild = defineConfig({
  root,
  base: '/',
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  ssr: { noExternal: true, target: 'node' },
  build: {
    outDir: fileURLToPath(new URL('../../dist/web-server', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    copyPublicDir: false,
    rolldownOptions: {
      checks: { bundlerTimings: false },
      output: {
        format: 'cjs',
        entryFileNames: '[name].cjs',
        chunkFileNames: '[name]-[hash].cjs',
        codeSplitting: false,
      },
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  logLevel: 'warn',
});

const clientConfig = defineConfig({
  root,
  base: '/',
  // No source maps in the build: the API would serve them to anyone, and the client's source is not for the public.
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    // Brotli at its highest level takes a few seconds, once per build; that is the point, not a slow plugin to warn of.
    rolldownOptions: {
      checks: { bundlerTimings: false },
      // TanStack Query marks its hooks "use client" for server-rendering frameworks; a client-only bundle has nothing to preserve.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  plugins: [compileHints(), precompress(), preloadRest()],
  server: { proxy: { '/graphql': { target: api, ws: true } } },
  logLevel: 'warn',
});

export default defineConfig((env) => (env.isSsrBuild ? serverBuild : clientConfig));
