import { Logger } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SessionService, TokenService } from '@samverka/auth';
import type { Request, Response } from 'express';
import fs from 'node:fs';
import path from 'node:path';
import { GraphQLContext, httpContext } from './graphql/graphql-context';
import { LoaderServices } from './graphql/loaders';
import { OwnGraphQL } from './graphql/own-graphql';

/** Where `node scripts/build.js` puts the first-screen renderer (apps/web/src/server-entry.tsx), seen from dist/apps/api/src. */
export const BUILT_WEB_RENDERER = path.resolve(__dirname, '../../../web-server');

/** The id of the JSON block the client reads the first screen's answers from (apps/web/src/boot.ts, SERVER_STATE_ID). */
export const SERVER_STATE_ID = 'samverka-first-screen';

/** What apps/web/src/server-entry.tsx exports. */
interface ServerEntry {
  rendersPage(path: string): boolean;
  renderFirstScreen(
    url: string,
    execute: (query: string, variables: Record<string, unknown>) => Promise<unknown>,
  ): Promise<{ markup: string; state: string } | null>;
}

/**
 * Renders the first screen of a signed-in page (the caseload, a person's overview) into index.html, so that
 * the browser paints it when the page arrives instead of after its scripts have run and asked for it, and
 * hydrates it after. The reads are the client's own first reads, run through the API's own GraphQL server
 * (OwnGraphQL: the same plugins, limits, resolvers, field hiding and access log) with this request's context,
 * signed in by the session cookie as a GraphQL request is (TokenService.authenticateContext); what stands in
 * for the CSRF header a navigation cannot send is SessionService.fromNavigation. Anything else (no session,
 * another page, a refused read, an error while rendering, no renderer built) gives null: the plain page.
 */
export class WebRenderer {
  private entry: ServerEntry | null | undefined;
  private readonly logger = new Logger('WebRenderer');

  constructor(
    private readonly app: NestExpressApplication,
    private readonly dir: string = BUILT_WEB_RENDERER,
  ) {}

  private get file(): string {
    return path.join(this.dir, 'server-entry.cjs');
  }

  /** Says at the start when the renderer was not built: the API serves the plain page then. */
  checkBuilt(): void {
    if (!fs.existsSync(this.file)) this.load();
  }

  /** The built renderer, required on first use; null (with one warning) when it was not built. */
  private load(): ServerEntry | null {
    if (this.entry !== undefined) return this.entry;
    const file = this.file;
    if (!fs.existsSync(file)) {
      this.logger.warn(
        `No first-screen renderer in ${this.dir}; pages are sent unrendered (run node scripts/build.js)`,
      );
      return (this.entry = null);
    }
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- built by Vite after this file, found at run time
      this.entry = require(file) as ServerEntry;
    } catch (error) {
      this.logger.warn(`The first-screen renderer in ${this.dir} could not be loaded: ${(error as Error).message}`);
      this.entry = null;
    }
    return this.entry;
  }

  /**
   * Whether this page request may be rendered: a GET of a page the renderer renders, with a session cookie, from
   * the user's own navigation (SessionService.fromNavigation; authenticateContext would refuse the others anyway).
   */
  wants(req: Request): boolean {
    try {
      return (
        req.method === 'GET' &&
        !!this.sessions().fromNavigation(req)?.sameOrigin &&
        (this.load()?.rendersPage(req.path) ?? false)
      );
    } catch {
      return false;
    }
  }

  private sessions(): SessionService {
    return this.app.get(SessionService, { strict: false });
  }

  /**
   * The page's first screen and its state for this request, or null for the plain page. Never throws: a
   * failure is logged by its kind only (no address, no names: the page holds personal data).
   */
  async render(req: Request, res: Response): Promise<{ markup: string; state: string } | null> {
    try {
      if (!this.wants(req)) return null;
      const entry = this.load()!;
      const sessions = this.sessions();
      const ctx: GraphQLContext = {
        ...httpContext(req, res, sessions, this.app.get(LoaderServices, { strict: false })),
        session: sessions.fromNavigation(req),
        // The page's reads share this context (one sign-in check), as a batch of the client's queries does.
        batched: true,
      };
      ctx.actor = await this.app.get(TokenService, { strict: false }).authenticateContext(ctx);
      const graphql = this.app.get(OwnGraphQL, { strict: false });
      return await entry.renderFirstScreen(req.originalUrl, (query, variables) =>
        graphql.query<unknown>(query, variables, ctx),
      );
    } catch (error) {
      // An ended session, a refused or failed read: the client asks again itself and shows what happened.
      const code = (error as { code?: string }).code;
      if (!code) this.logger.warn(`A page's first screen was not rendered: ${(error as Error)?.name ?? 'error'}`);
      return null;
    }
  }
}

/**
 * index.html cut at its empty #root: `head` up to and including `<div id="root">`, `tail` after its `</div>`.
 * The head goes out before the reads (the browser fetches the styles and scripts meanwhile); then the first
 * screen, `</div>`, its state in a JSON block the client reads (not runs: the CSP allows no inline script) and
 * the tail. Null when index.html has no empty #root.
 */
export function splitAtRoot(index: string): { head: string; tail: string } | null {
  const root = '<div id="root"></div>';
  const at = index.indexOf(root);
  if (at < 0) return null;
  return { head: index.slice(0, at + '<div id="root">'.length), tail: index.slice(at + root.length) };
}

/** What follows the head: the first screen and its state, or (none rendered) what makes the plain index.html. */
export function afterHead(screen: { markup: string; state: string } | null, tail: string): string {
  if (!screen) return `</div>${tail}`;
  return (
    `${screen.markup}</div>` + `<script type="application/json" id="${SERVER_STATE_ID}">${screen.state}</script>` + tail
  );
}
