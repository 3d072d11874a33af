import { Logger } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Params, PinoLogger } from 'nestjs-pino';
import pino, { DestinationStream, LevelWithSilent } from 'pino';
import type { Options } from 'pino-http';
import { AppConfig } from '../config/app-config';
import { assignRequestId } from './request-context';

/** LOG_LEVEL keeps Nest's names; pino calls `log` `info`. */
const PINO_LEVEL: Record<AppConfig['LOG_LEVEL'], LevelWithSilent> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
};

/** Probes and scrapes come every few seconds; a line each would drown the log. */
const QUIET_PATHS = /^\/(health|ready|metrics)\/?$/;

/** The path without its query string: a query string may carry anything a client typed (an identity number, a name). */
export function pathOf(url: string | undefined): string {
  return (url ?? '').split('?')[0];
}

/** Express rewrites `url` below a mount point (Nest mounts its middleware); `originalUrl` is what was asked for. */
const requestPath = (req: IncomingMessage): string =>
  pathOf((req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url);

/**
 * An error as its class, code and stack frames, never its message: a PostgreSQL message quotes the
 * offending value ("Key (identity_number)=(...)"), a validation message the input.
 */
export function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .map((line) => line.trim());
  return {
    type: error.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    stack: frames.join('\n'),
  };
}

/**
 * Where lines go: one JSON object a line on stdout, written synchronously so that the last lines before an
 * exit are not lost; human-readable (pino-pretty) only when LOG_FORMAT is `pretty` (the default in
 * development) and pino-pretty is installed (it is a development dependency, absent from the image).
 */
function destination(config: AppConfig): DestinationStream {
  if (config.LOG_FORMAT === 'pretty') {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const pretty = require('pino-pretty') as (options: object) => DestinationStream;
      return pretty({
        sync: true,
        singleLine: true,
        colorize: false,
        ignore: 'pid,hostname,service',
        translateTime: 'SYS:HH:MM:ss.l',
      });
    } catch {
      // Not installed (a production image): JSON it is.
    }
  }
  return pino.destination({ dest: 1, sync: true });
}

/**
 * The one logger of a process (nestjs-pino over pino-http): JSON lines with the service, the level and,
 * in a request, its request id (`requestId`, also returned in the `x-request-id` header). A request is
 * logged as method, path (no query string), status and duration: no body, no GraphQL variables, no
 * header (so no authorization or cookie), and errors without their messages. `destination` is for tests.
 */
export function loggingParams(
  config: AppConfig,
  service: 'api' | 'worker',
  destinationOverride?: DestinationStream,
): Params {
  const options: Options<IncomingMessage, ServerResponse> = {
    level: PINO_LEVEL[config.LOG_LEVEL],
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // Belt and braces: the serializers below already drop every header.
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        'headers.authorization',
        'headers.cookie',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { method?: string; url?: string; raw?: IncomingMessage }) => ({
        method: req.method,
        path: req.raw ? requestPath(req.raw) : pathOf(req.url),
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: safeError,
    },
    genReqId: (req, res) => assignRequestId(req as unknown as Parameters<typeof assignRequestId>[0], res),
    customAttributeKeys: { reqId: 'requestId' },
    // Lines logged inside a request carry its id only, not the whole request again.
    quietReqLogger: true,
    autoLogging: { ignore: (req) => QUIET_PATHS.test(requestPath(req)) },
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    customSuccessMessage: (req, res) => `${req.method} ${requestPath(req)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${requestPath(req)} ${res.statusCode}`,
  };
  return { pinoHttp: [options, destinationOverride ?? destination(config)] };
}

/**
 * Lines that say a process is up (`API ready`, `Worker ready`, the worker's health port) are printed
 * whatever LOG_LEVEL says: `npm start`, orchestration scripts and the tests wait for them.
 */
export function announce(context: string, message: string, fields: Record<string, unknown> = {}): void {
  const root = PinoLogger.root as PinoLogger['logger'] | undefined;
  if (root) root.child({ context }, { level: 'info' }).info(fields, message);
  else new Logger(context).log(message);
}
