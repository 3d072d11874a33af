import { Logger } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { NextFunction, Request, Response } from 'express';
import fs from 'node:fs';
import path from 'node:path';

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

/** Where `node scripts/build.js` puts the built web client, seen from dist/apps/api/src. */
export const BUILT_WEB_CLIENT = path.resolve(__dirname, '../../../web');

/**
 * Serves the web client (apps/web, built) from the API's own origin, so the browser needs no CORS.
 * Files are served as they are; any other GET for a page (no file extension, not /graphql or /auth/) gets
 * index.html, so that deep links such as /persons/<id>/plan work after a reload.
 * Returns false when there is no build in `dir`.
 */
export function serveWebClient(app: NestExpressApplication, dir: string = BUILT_WEB_CLIENT): boolean {
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index)) {
    new Logger('Samverka').warn(`No web client build in ${dir}; run node scripts/build.js to build it`);
    return false;
  }
  // Hashed asset names change with every build, so they may be cached for long; index.html never.
  app.useStaticAssets(dir, { index: false, maxAge: '7d', immutable: true, setHeaders: (res, file) => file.endsWith('.html') && pageHeaders(res) });
  app.use((req: Request, res: Response, next: NextFunction) => {
    // /auth/ is the API's sign-in through the organisation (a browser navigates there), not a page of the client.
    const isPage = (req.method === 'GET' || req.method === 'HEAD') && !req.path.startsWith('/graphql') && !req.path.startsWith('/auth/') && !path.extname(req.path) && (req.headers.accept ?? '').includes('text/html');
    if (!isPage) return next();
    pageHeaders(res);
    res.sendFile(index);
  });
  return true;
}
