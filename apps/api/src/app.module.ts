import './graphql/enums';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, MiddlewareConsumer, Module, NestModule, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { AuthModule, SessionService } from '@samverka/auth';
import { PersonModule } from '@samverka/domain';
import { AppConfig, assignRequestId, InfrastructureModule, Metrics, requestContext } from '@samverka/infrastructure';
import { LoggerModule, Params as LoggingParams } from 'nestjs-pino';
import { NextFunction, Request, Response } from 'express';
import { GraphQLSchema } from 'graphql';
import { DataSource } from 'typeorm';
import { QueueDashboard } from './admin/queue-dashboard';
import { depthLimit } from './graphql/depth-limit.rule';
import { aliasLimit, MAX_ALIASES } from './graphql/query-limits';
import { RequestGuard, RequestGuardModule } from './graphql/request-guard.plugin';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.controller';
import { metricsPlugin } from './graphql/metrics.plugin';
import { ClientAddressModule, TrustProxySetting } from './http/client-address';
import { badUserInput, flattenValidationErrors, formatError } from './graphql/errors';
import { GraphQLContext, httpContext } from './graphql/graphql-context';
import { createLoaders, LoaderServices, LoadersModule } from './graphql/loaders';
import { NoNulCharactersPipe } from './graphql/no-nul.pipe';
import { withholdSharedFields } from './graphql/withheld';
import { strictDateTime } from './graphql/date-time';
import { PassThroughFilter } from './graphql/pass-through.filter';
import {
  authorizationParam,
  WebSocketMessageCap,
  webSocketClientAddress,
  webSocketLimits,
  webSocketSession,
} from './graphql/websocket-limits';
import { AuthController } from './modules/auth/auth.controller';
import { OAuthController } from './modules/oauth/oauth.controller';
import { SipDocumentController } from './modules/sip-document/sip-document.controller';
import { FhirController } from './modules/fhir/fhir.controller';
import { FhirReader } from './modules/fhir/fhir-reader';
import { OwnGraphQL } from './graphql/own-graphql';
import { API_FEATURES } from './modules';
import { batchLimit } from './graphql/batching';

export const MAX_QUERY_DEPTH = 10;

export interface ApiOptions {
  config: AppConfig;
  dataSource: DataSource;
  /** Write the generated schema to this file (development); otherwise it is kept in memory. */
  schemaFile?: string;
  /** The process's logger (loggingParams); without it (tests) nothing is logged, though requests still get their ids. */
  logging?: LoggingParams;
}

/** Paths the API answers outside its controllers' routes; anything else unmatched counts as `other` (no unbounded label set). */
const KNOWN_PATHS = new Set(['/graphql', '/health', '/ready', '/metrics']);

/** The route pattern of a request (`/documents/persons/:personId/sip-plan.pdf`), never its ids. */
function routeLabel(req: Request): string {
  const path = req.originalUrl.split('?')[0];
  if (KNOWN_PATHS.has(path)) return path;
  const route = (req as Request & { route?: { path?: unknown } }).route;
  // Nest registers its controllers' routes with their full paths on the application itself (a wildcard is a middleware's).
  if (route && typeof route.path === 'string' && /^\/[\w/:.-]*$/.test(route.path)) return route.path;
  if (path.startsWith('/admin/queues')) return '/admin/queues';
  return 'other';
}

/** Tests start the API in-process without a log; the request id and its header work the same. */
const SILENT_LOGGING: LoggingParams = {
  pinoHttp: { level: 'silent', genReqId: (req, res) => assignRequestId(req as never, res) },
};

/** The GraphQL API: a thin shell of resolvers over the domain services. */
@Module({})
export class AppModule implements NestModule {
  constructor(private readonly metrics: Metrics) {}

  /**
   * Nothing the API answers may be kept by a browser or a proxy: every answer is access-checked and may
   * hold a person's data. (The web client's own files, served apart, are cacheable.)
   */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply((req: Request, res: Response, next: NextFunction) => {
        res.setHeader('cache-control', 'no-store');
        const stop = this.metrics.httpDuration.startTimer();
        res.once('finish', () => stop({ method: req.method, route: routeLabel(req), status: String(res.statusCode) }));
        // The request's id (x-request-id) for everything it calls, so that a job it enqueues carries it too.
        requestContext.run({ requestId: assignRequestId(req as never, res) }, next);
      })
      .forRoutes('*path');
    consumer.apply(batchLimit).forRoutes('graphql');
  }

  static forRoot(options: ApiOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot(options.logging ?? SILENT_LOGGING),
        InfrastructureModule.forRoot({ config: options.config, dataSource: options.dataSource }),
        // The features, each a module with its resolvers (apps/api/src/modules); the controllers below read through
        // the API's own GraphQL server (OwnGraphQL) and need only authentication and, for FHIR, the record owners.
        ...API_FEATURES,
        AuthModule,
        PersonModule,
        LoadersModule,
        HealthModule,
        // The token endpoint counts against the GraphQL API's per-address rate (the same RequestGuard).
        RequestGuardModule,
        MetricsModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [LoadersModule, RequestGuardModule, AuthModule, ClientAddressModule],
          inject: [LoaderServices, RequestGuard, SessionService, TrustProxySetting, Metrics],
          useFactory: (
            loaderServices: LoaderServices,
            requestGuard: RequestGuard,
            sessions: SessionService,
            proxies: TrustProxySetting,
            metrics: Metrics,
          ) => {
            const production = options.config.NODE_ENV === 'production';
            const validationRules = [depthLimit(MAX_QUERY_DEPTH), aliasLimit(MAX_ALIASES)];
            let served: GraphQLSchema | undefined;
            return {
              autoSchemaFile: options.schemaFile ?? true,
              sortSchema: true,
              path: '/graphql',
              graphiql: false,
              playground: false,
              introspection: options.config.NODE_ENV !== 'production',
              // Outside production a browser opening /graphql gets Apollo Sandbox, embedded in the page.
              plugins: [
                // Nothing here is cacheable (every read is access-checked and logged), and the cache-control
                // plugin would otherwise wrap every field resolver.
                ApolloServerPluginCacheControlDisabled(),
                // Cost with variables, and rates per user and per client (in Redis): refused before anything runs.
                requestGuard.plugin(),
                metricsPlugin(metrics),
                ...(options.config.NODE_ENV === 'production'
                  ? []
                  : [ApolloServerPluginLandingPageLocalDefault({ embed: true })]),
              ],
              includeStacktraceInErrorResponses: false,
              formatError: (formatted, error) => formatError(formatted, error, { hideSuggestions: production }),
              validationRules,
              // A request that a browser could send cross-site without a preflight is refused (Apollo's default, explicit).
              csrfPrevention: true,
              // Queries started together travel together (at most MAX_BATCH, queries only: batching.ts, request-guard.plugin.ts).
              allowBatchedHttpRequests: true,
              // Subscriptions only, under the same limits as HTTP (graphql-ws is not served through Apollo's plugins).
              subscriptions: {
                'graphql-ws': webSocketLimits({
                  production,
                  rules: validationRules,
                  schema: () => served!,
                  enforceRates: requestGuard.enforceRates,
                  sessions,
                  trust: () => proxies.trust,
                }),
              },
              // Fields that carry a person's data declare what they are shared as; one rule hides them (withheld.ts).
              // DateTime refuses days that do not exist (date-time.ts).
              transformSchema: (schema: GraphQLSchema) => (served = strictDateTime(withholdSharedFields(schema))),
              // HTTP requests carry a token in a header; WebSocket subscriptions in the connection parameters. The
              // web client sends neither: its session cookie comes with the request (or the WebSocket's upgrade).
              context: (arg: {
                req?: Request;
                res?: Response;
                connectionParams?: Record<string, unknown>;
                extra?: unknown;
              }): GraphQLContext =>
                arg.req && arg.res
                  ? httpContext(arg.req, arg.res, sessions, loaderServices)
                  : {
                      authorization: authorizationParam(arg.connectionParams),
                      session: webSocketSession(arg, sessions),
                      clientAddress: webSocketClientAddress(arg, proxies.trust),
                      loaders: createLoaders(loaderServices),
                      access: loaderServices.access,
                    },
            };
          },
        }),
      ],
      controllers: [AuthController, OAuthController, SipDocumentController, FhirController],
      providers: [
        OwnGraphQL,
        FhirReader,
        QueueDashboard,
        WebSocketMessageCap,
        { provide: APP_FILTER, useClass: PassThroughFilter },
        { provide: APP_PIPE, useClass: NoNulCharactersPipe },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({
            transform: true,
            whitelist: true,
            forbidNonWhitelisted: true,
            // The target and the value let the factory name a rule's limits and the side of a length that
            // was broken; neither leaves the API (the factory sends codes, parameters and paths only).
            validationError: { target: true, value: true },
            exceptionFactory: (errors) => badUserInput(flattenValidationErrors(errors)),
          }),
        },
      ],
    };
  }
}
