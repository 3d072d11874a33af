import type { NextFunction, Request, Response } from 'express';

/**
 * How many operations one HTTP request may carry. The web client sends the queries a screen starts
 * together as one request (one session check, one set of loaders, one answer to render); each operation
 * is still costed, rate-limited, authorised and logged on its own (request-guard.plugin.ts).
 */
export const MAX_BATCH = 8;

/** Refuses a batch that is empty or longer than MAX_BATCH before anything in it is parsed or run. */
export function batchLimit(req: Request, res: Response, next: NextFunction): void {
  if (req.method === 'POST' && Array.isArray(req.body) && (req.body.length === 0 || req.body.length > MAX_BATCH)) {
    res.status(400).json({
      errors: [
        {
          message: `A batch carries 1 to ${MAX_BATCH} operations`,
          extensions: { code: 'BAD_REQUEST', reason: 'BATCH_SIZE', params: { max: MAX_BATCH } },
        },
      ],
    });
    return;
  }
  next();
}
