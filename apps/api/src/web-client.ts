import { Logger } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { NextFunction, Request, Response } from 'express';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import zlib from 'node:zlib';
import { APP_CONFIG, AppConfig } from '@samverka/infrastructure';
import { QUEUE_DASHBOARD_PATH } from './admin/queue-dashboard';
import { afterHead, BUILT_WEB_RENDERER, splitAtRoot, WebRenderer } from './web-render';

/**
 * The page may load its own scripts, styles and API only: no third-party code near personal data, and no
 * framing (clickjacking). Style attributes are allowed for the charts' computed sizes.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

function pageHeaders(res: Response): void {
  res.setHeader('cache-control', 'no-cache');
  res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
}

/** The encodings the build writes beside each script and style sheet (apps/web/vite.config.mts), best first. */
const PRECOMPRESSED = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
] as const;

/** The encodings an Accept-Encoding header allows (q > 0), by name; `*` stands for any not named. */
export function acceptedEncodings(header: string | undefined): (name: string) => boolean {
  const q = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const weight = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    q.set(name, weight ? Number(weight.slice(2)) || 0 : 1);
  }
  return (name) => (q.get(name) ?? q.get('*') ?? 0) > 0;
}

/** Every file of the build that has precompressed copies, by URL path, with the encodings it has. */
function precompressedFiles(
  dir: string,
): Map<string, { file: string; encodings: { encoding: string; file: string }[] }> {
  const files = new Map<string, { file: string; encodings: { encoding: string; file: string }[] }>();
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (!PRECOMPRESSED.some((p) => entry.name.endsWith(p.suffix))) {
        const encodings = PRECOMPRESSED.filter((p) => fs.existsSync(full + p.suffix)).map((p) => ({
          encoding: p.encoding,
          file: full + p.suffix,
        }));
        if (encodings.length > 0)
          files.set('/' + path.relative(dir, full).split(path.sep).join('/'), { file: full, encodings });
      }
    }
  };
  walk(dir);
  return files;
}

/**
 * Where a rendered page is written: through brotli or gzip when the browser takes it (a caseload of 200 rows with
 * its answers is some 200 kB, a tenth of that compressed), else the response itself. Fast settings: the page is
 * made per request on the API's one thread. (No BREACH-style guessing: the page holds no secret such as a CSRF
 * token, and another site cannot have it rendered, see SessionService.fromNavigation.)
 */
function compressedPage(req: Request, res: Response): Writable {
  res.vary('Accept-Encoding');
  const accepts = acceptedEncodings(req.headers['accept-encoding']);
  const stream = accepts('br')
    ? zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } })
    : accepts('gzip')
      ? zlib.createGzip({ level: 5 })
      : null;
  if (!stream) return res;
  res.setHeader('content-encoding', stream instanceof zlib.BrotliCompress ? 'br' : 'gzip');
  stream.on('error', () => res.destroy());
  stream.pipe(res);
  return stream;
}

/** Paths the API itself answers (in a browser too), never the client's index.html. */
const SERVER_PATHS = ['/graphql', '/auth', '/health', '/ready', '/fhir', QUEUE_DASHBOARD_PATH];

/** Where `node scripts/build.js` puts the built web client, seen from dist/apps/api/src. */
export const BUILT_WEB_CLIENT = path.resolve(__dirname, '../../../web');

/**
 * Serves the web client (apps/web, built) from the API's own origin, so the browser needs no CORS.
 * Files are served as they are; any other GET for a page (no file extension, not /graphql or /auth/) gets
 * index.html, so that deep links such as /persons/<id>/plan work after a reload. A signed-in browser opening
 * the caseload or a person's overview gets index.html with that first screen already rendered (web-render.ts,
 * from `rendererDir`); without the renderer, or whenever it cannot render, the plain index.html.
 * Returns false when there is no build in `dir`.
 */
export function serveWebClient(
  app: NestExpressApplication,
  dir: string = BUILT_WEB_CLIENT,
  rendererDir: string = BUILT_WEB_RENDERER,
): boolean {
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index)) {
    new Logger('Samverka').warn(`No web client build in ${dir}; run node scripts/build.js to build it`);
    return false;
  }
  const parts = splitAtRoot(fs.readFileSync(index, 'utf8'));
  const renderer = new WebRenderer(app, rendererDir);
  const firstScreenWaitMs = app.get<AppConfig>(APP_CONFIG, { strict: false }).FIRST_SCREEN_WAIT_MS;
  renderer.checkBuilt();
  // Scripts and style sheets go out brotli- or gzip-compressed when the browser takes it, from the copies
  // the build wrote; the copies themselves and source maps are never served as files.
  const compressed = precompressedFiles(dir);
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path.endsWith('.map') || PRECOMPRESSED.some((p) => req.path.endsWith(p.suffix))) return res.sendStatus(404);
    const found = compressed.get(req.path);
    if (!found) return next();
    res.vary('Accept-Encoding');
    const accepts = acceptedEncodings(req.headers['accept-encoding']);
    const chosen = found.encodings.find((e) => accepts(e.encoding));
    if (!chosen) return next();
    res.setHeader('content-encoding', chosen.encoding);
    res.type(path.extname(found.file));
    res.sendFile(chosen.file, { maxAge: '7d', immutable: true }, (error) => error && !res.headersSent && next(error));
  });
  // Hashed asset names change with every build, so they may be cached for long; index.html never.
  app.useStaticAssets(dir, {
    index: false,
    maxAge: '7d',
    immutable: true,
    setHeaders: (res, file) => file.endsWith('.html') && pageHeaders(res),
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    // /auth/ is the API's sign-in through the organisation (a browser navigates there), and /admin/queues is Bull
    // Board; neither is a page of the client. Both are mounted when the app starts listening, after this fallback.
    const isPage =
      (req.method === 'GET' || req.method === 'HEAD') &&
      !SERVER_PATHS.some((p) => req.path === p || req.path.startsWith(`${p}/`)) &&
      !path.extname(req.path) &&
      (req.headers.accept ?? '').includes('text/html');
    if (!isPage) return next();
    pageHeaders(res);
    // The page differs with the session cookie (rendered for its staff member, or plain): no cache may mix them up.
    res.vary('Cookie');
    if (!parts || !renderer.wants(req)) return res.sendFile(index);
    // Personal data follows: kept by no cache, the browser's own included (the back button asks again).
    res.setHeader('cache-control', 'no-store');
    res.type('html');
    const out = compressedPage(req, res);
    // The head at once, so that the browser fetches the styles and scripts while the API reads and renders; the
    // client's module scripts run only once the whole page (with the state block) has arrived.
    out.write(parts.head);
    if (out !== res) (out as zlib.Gzip | zlib.BrotliCompress).flush();
    // A slow database must not hold the page: past FIRST_SCREEN_WAIT_MS the plain page goes out, and the client
    // reads (and shows its loading state) itself. The server's reads finish in the background, logged as done.
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<null>((resolve) => (timer = setTimeout(resolve, firstScreenWaitMs, null)));
    void Promise.race([renderer.render(req, res), waited])
      .then(
        (screen) => out.end(afterHead(screen, parts.tail)),
        () => out.end(afterHead(null, parts.tail)),
      )
      .finally(() => clearTimeout(timer));
  });
  return true;
}
