import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import type { AppConfig } from '../../libs/infrastructure/src';
import { AppModule } from '../../apps/api/src/app.module';
import { serveWebClient } from '../../apps/api/src/web-client';
import { TestDatabase } from './test-database';

export interface TestApi {
  app: INestApplication;
  url: string;
  /**
   * Sends one GraphQL request over HTTP; returns the parsed body and HTTP status. Given one of the web client's
   * documents (apps/web/src/api/generated.ts), the variables and the answer are typed by it.
   */
  gql<TResult, TVariables>(
    document: TypedDocument<TResult, TVariables>,
    variables: TVariables,
    token?: string,
  ): Promise<GqlResponse<TResult>>;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GqlResponse<T>>;
  /** As gql, for a request that must succeed: answers the data, throws with the errors if there are any. */
  ok<TResult, TVariables>(
    document: TypedDocument<TResult, TVariables>,
    variables: TVariables,
    token?: string,
  ): Promise<TResult>;
  ok<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T>;
  login(username: string, password: string): Promise<string>;
  close(): Promise<void>;
}

/** A generated document: its text, typed with its answer and variables. */
export type TypedDocument<TResult, TVariables> = DocumentTypeDecoration<TResult, TVariables> & { toString(): string };

export interface GqlError {
  message: string;
  path?: string[];
  extensions?: {
    code?: string;
    field?: string;
    fields?: Array<{ field: string; message: string }>;
    [k: string]: unknown;
  };
}

export interface GqlResponse<T> {
  status: number;
  data: T | null;
  errors?: GqlError[];
}

/**
 * The real API (GraphQL over HTTP on a free port) against this file's own database; with webClientDir it serves
 * that build of the web client too, its pages rendered by the first-screen renderer in webRendererDir when given
 * (plain otherwise); `config` overrides settings.
 */
export async function startTestApi(
  db: TestDatabase,
  options: { webClientDir?: string; webRendererDir?: string; config?: Partial<AppConfig> } = {},
): Promise<TestApi> {
  // The database's own config object unless overridden: a test may change it after the start (APP_URL once the port is known).
  const config = options.config ? ({ ...db.config, ...options.config } as AppConfig) : db.config;
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({ config, dataSource: db.dataSource }),
    { logger: ['error'] },
  );
  if (
    options.webClientDir &&
    !serveWebClient(app, options.webClientDir, options.webRendererDir ?? path.join(options.webClientDir, 'no-renderer'))
  )
    throw new Error(`no web client build in ${options.webClientDir}`);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/graphql`;

  const gql = async <T>(
    query: string | TypedDocument<T, unknown>,
    variables?: unknown,
    token?: string,
  ): Promise<GqlResponse<T>> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query: query.toString(), variables }),
    });
    const body = (await response.json()) as { data?: T | null; errors?: GqlError[] };
    return { status: response.status, data: body.data ?? null, errors: body.errors };
  };

  return {
    app,
    url,
    gql: gql as TestApi['gql'],
    ok: (async (query: string, variables?: Record<string, unknown>, token?: string) => {
      const result = await gql(query, variables, token);
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data;
    }) as TestApi['ok'],
    async login(username, password) {
      const result = await gql<{ login: { token: string } }>(
        `mutation($input: LoginInput!) { login(input: $input) { token } }`,
        { input: { username, password } },
      );
      if (!result.data) throw new Error(`login failed: ${JSON.stringify(result.errors)}`);
      return result.data.login.token;
    },
    close: () => app.close(),
  };
}
