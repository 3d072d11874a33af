import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { Public, SessionService, TokenService } from '@samverka/auth';
import { DomainError, DomainErrorCode, today } from '@samverka/domain';
import type { Request, Response } from 'express';
import { httpContext } from '../../graphql/graphql-context';
import { LoaderServices } from '../../graphql/loaders';
import { OwnGraphQL } from '../../graphql/own-graphql';
import { renderSipDocument } from './sip-document.pdf';
import { SIP_DOCUMENT_QUERY, SipDocumentData } from './sip-document.query';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const STATUS_OF: Partial<Record<string, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  BAD_USER_INPUT: 400,
};

/**
 * GET /documents/persons/:personId/sip-plan.pdf: the person's SIP document as a PDF to download.
 *
 * It is signed in like GraphQL (a bearer token, or the session cookie with the X-CSRF-Token header from our
 * own origin, so another site cannot make a browser fetch it) and it reads the person through the same
 * GraphQL query the print view uses, executed by the API's own GraphQL server with this request's context:
 * the access policy decides and logs the read, and the declared field hiding (withheld.ts) empties what a
 * consent withholds from the reader's organisation. The address names nothing but the person's id.
 */
@Public() // signs in itself below (the GraphQL guard does not run on a plain HTTP route)
@Controller('documents')
export class SipDocumentController {
  constructor(
    private readonly graphql: OwnGraphQL,
    private readonly sessions: SessionService,
    private readonly tokens: TokenService,
    private readonly loaderServices: LoaderServices,
  ) {}

  @Get('persons/:personId/sip-plan.pdf')
  async sipPlan(@Param('personId') personId: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-content-type-options', 'nosniff');
    const ctx = httpContext(req, res, this.sessions, this.loaderServices);
    try {
      if (!UUID.test(personId)) throw DomainError.notFound('person');
      ctx.actor = await this.tokens.authenticateContext(ctx);
      const data = await this.graphql.query<SipDocumentData>(SIP_DOCUMENT_QUERY, { personId }, ctx);
      const pdf = await renderSipDocument(data, today());
      res.status(200).type('application/pdf').setHeader('content-disposition', 'attachment; filename="sip-plan.pdf"');
      res.send(pdf);
    } catch (error) {
      const code =
        error instanceof DomainError ? error.code : ((error as { code?: string }).code ?? 'INTERNAL_SERVER_ERROR');
      const status = STATUS_OF[code] ?? (code === DomainErrorCode.NOT_FOUND ? 404 : 500);
      res.status(status).json({
        errors: [{ message: status === 500 ? 'Internal error' : (error as Error).message, extensions: { code } }],
      });
    }
  }
}
