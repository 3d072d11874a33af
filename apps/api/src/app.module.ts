import './graphql/enums';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { AuthModule } from '@samverka/auth';
import { AppConfig, DomainModule } from '@samverka/domain';
import { Request } from 'express';
import { DataSource } from 'typeorm';
import { depthLimit } from './graphql/depth-limit.rule';
import { badUserInput, flattenValidationErrors, formatError } from './graphql/errors';
import { GraphQLContext } from './graphql/graphql-context';
import { createLoaders, LoaderServices, LoadersModule } from './graphql/loaders';
import { PassThroughFilter } from './graphql/pass-through.filter';
import { ActTeamClientResolver, ActTeamMemberResolver, ActTeamResolver, OnCallShiftResolver } from './modules/act-team/act-team.resolver';
import { AuthResolver } from './modules/auth/auth.resolver';
import { CollaborationGroupResolver, GroupMemberResolver } from './modules/collaboration/collaboration.resolver';
import { DecisionEventStream } from './modules/decisions/decision-event.stream';
import {
  CareEpisodeResolver,
  DischargeRequestResolver,
  ElectorResolver,
  NotificationResolver,
  ProposalResolver,
  VoteRecordResolver,
} from './modules/decisions/decisions.resolver';
import { HousingResolver } from './modules/housing/housing.resolver';
import { OrganisationResolver, UnitResolver } from './modules/organisation/organisation.resolver';
import { CaseloadEntryResolver, OverviewResolver } from './modules/overview/overview.resolver';
import { PersonResolver } from './modules/person/person.resolver';
import { PlanInterventionResolver, SipPlanResolver } from './modules/sip-plan/sip-plan.resolver';
import { StaffResolver } from './modules/staff/staff.resolver';
import { TimelineResolver } from './modules/timeline/timeline.resolver';

export const MAX_QUERY_DEPTH = 10;

function authorizationParam(params: Record<string, unknown> | undefined): string | undefined {
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === 'string' ? value : undefined;
}

export const RESOLVERS = [
  ActTeamClientResolver,
  ActTeamMemberResolver,
  ActTeamResolver,
  AuthResolver,
  CareEpisodeResolver,
  CaseloadEntryResolver,
  CollaborationGroupResolver,
  DischargeRequestResolver,
  ElectorResolver,
  GroupMemberResolver,
  HousingResolver,
  NotificationResolver,
  OnCallShiftResolver,
  OrganisationResolver,
  OverviewResolver,
  PersonResolver,
  PlanInterventionResolver,
  ProposalResolver,
  SipPlanResolver,
  StaffResolver,
  TimelineResolver,
  UnitResolver,
  VoteRecordResolver,
];

export interface ApiOptions {
  config: AppConfig;
  dataSource: DataSource;
  /** Write the generated schema to this file (development); otherwise it is kept in memory. */
  schemaFile?: string;
}

/** The GraphQL API: a thin shell of resolvers over the domain services. */
@Module({})
export class AppModule {
  static forRoot(options: ApiOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DomainModule.forRoot({ config: options.config, dataSource: options.dataSource }),
        AuthModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          imports: [LoadersModule],
          inject: [LoaderServices],
          useFactory: (loaderServices: LoaderServices) => {
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
                ...(options.config.NODE_ENV === 'production' ? [] : [ApolloServerPluginLandingPageLocalDefault({ embed: true })]),
              ],
              includeStacktraceInErrorResponses: false,
              formatError,
              validationRules: [depthLimit(MAX_QUERY_DEPTH)],
              subscriptions: { 'graphql-ws': true },
              // HTTP requests carry the token in a header; WebSocket subscriptions in the connection parameters.
              context: (arg: { req?: Request; connectionParams?: Record<string, unknown> }): GraphQLContext => ({
                authorization: arg.req?.headers.authorization ?? authorizationParam(arg.connectionParams),
                loaders: createLoaders(loaderServices),
              }),
            };
          },
        }),
      ],
      providers: [
        ...RESOLVERS,
        DecisionEventStream,
        { provide: APP_FILTER, useClass: PassThroughFilter },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({
            transform: true,
            whitelist: true,
            forbidNonWhitelisted: true,
            exceptionFactory: (errors) => badUserInput(flattenValidationErrors(errors)),
          }),
        },
      ],
    };
  }
}
