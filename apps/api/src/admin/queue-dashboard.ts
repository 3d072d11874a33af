import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { SessionService, TokenService } from '@samverka/auth';
import { JobQueue, QueueName } from '@samverka/infrastructure';
import type { NextFunction, Request, Response } from 'express';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * Bull Board for operators at /admin/queues, for administrators only. Job payloads hold ids only, so
 * the dashboard shows no personal data. A browser already signed in to the web client is let in by its
 * session cookie (SameSite=Strict, so no other site's page can make the browser send it); otherwise it
 * signs in with HTTP Basic (username and password, local logins). Tools send a bearer token.
 */
@Injectable()
export class QueueDashboard implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly jobs: JobQueue,
    private readonly tokens: TokenService,
    private readonly sessions: SessionService,
  ) {}

  onModuleInit(): void {
    const express = this.adapterHost.httpAdapter?.getInstance?.();
    if (!express || typeof express.use !== 'function') return;
    const board = new ExpressAdapter();
    board.setBasePath(QUEUE_DASHBOARD_PATH);
    createBullBoard({
      queues: Object.values(QueueName).map((name) => new BullMQAdapter(this.jobs.queue(name))),
      serverAdapter: board,
    });
    express.use(
      QUEUE_DASHBOARD_PATH,
      (req: Request, res: Response, next: NextFunction) => void this.administratorsOnly(req, res, next),
      board.getRouter(),
    );
  }

  private async administratorsOnly(req: Request, res: Response, next: NextFunction): Promise<void> {
    try {
      const authorization = req.headers.authorization ?? '';
      const bearer = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
      const basic = /^Basic\s+(\S+)$/i.exec(authorization)?.[1];
      const session = bearer || basic ? undefined : this.sessions.fromRequest(req, 'http');
      let administrator = false;
      if (bearer) {
        administrator = Boolean((await this.tokens.authenticate(bearer)).administrator);
      } else if (session) {
        // The dashboard's own pages send no CSRF header; the cookie's SameSite=Strict is the proof of origin here.
        administrator = Boolean(
          (
            await this.tokens.authenticateContext(
              { session: { token: session.token, sameOrigin: true } },
              { touch: true },
            )
          ).administrator,
        );
      } else if (basic) {
        const decoded = Buffer.from(basic, 'base64').toString('utf8');
        const split = decoded.indexOf(':');
        // The same login, lockout and per-address failure count as the GraphQL login (no way around the limiter).
        administrator = Boolean(
          (await this.tokens.login(decoded.slice(0, split), decoded.slice(split + 1), req.ip ?? null)).actor
            .administrator,
        );
      }
      if (administrator) return next();
      res.status(bearer || basic || session ? 403 : 401);
    } catch {
      res.status(401);
    }
    res.setHeader('WWW-Authenticate', 'Basic realm="Samverka queues", charset="UTF-8"');
    res.type('text/plain').send('Administrators only');
  }
}
