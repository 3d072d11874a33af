import { AccessPolicy, AuthContext, SessionService } from '@samverka/auth';
import { SharingCategory } from '@samverka/domain';
import DataLoader from 'dataloader';
import type { Request, Response } from 'express';
import { createLoaders, LoaderServices, Loaders } from './loaders';

/** The context every resolver sees: who is asking (set by the AuthGuard) and this request's loaders. */
export interface GraphQLContext extends AuthContext {
  loaders: Loaders;
  /** The access policy, for the field middleware that hides withheld fields (withheld.ts). */
  access: AccessPolicy;
  /** Categories withheld from the actor by consent limitations, per person (see withheld.ts); created on first use. */
  withheld?: DataLoader<string, Set<SharingCategory>>;
  /** The request carries several operations (see batching.ts): they share this context, so only queries may. */
  batched?: boolean;
}

/**
 * The context of one HTTP request: its token or session cookie (with the CSRF rules), its client address
 * and fresh loaders. GraphQL over HTTP and the documents built from GraphQL (the SIP document's PDF) both
 * make theirs here, so both are signed in, hidden and logged alike.
 */
export function httpContext(
  req: Request,
  res: Response,
  sessions: SessionService,
  loaderServices: LoaderServices,
): GraphQLContext {
  return {
    authorization: req.headers.authorization,
    session: sessions.fromRequest(req, 'http'),
    http: { request: req, setCookies: (cookies) => res.append('set-cookie', cookies) },
    clientAddress: req.ip ?? req.socket?.remoteAddress ?? null,
    loaders: createLoaders(loaderServices),
    access: loaderServices.access,
    batched: Array.isArray(req.body),
  };
}
