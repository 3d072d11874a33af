import { All, Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { AccessPolicy, Public, SessionService, TokenService } from '@samverka/auth';
import { Actor } from '@samverka/domain';
import type { Request, Response } from 'express';
import { GraphQLContext, httpContext } from '../../graphql/graphql-context';
import { LoaderServices } from '../../graphql/loaders';
import { capabilityStatement, FhirResourceType } from './fhir-capability';
import { CARE_RESOURCE_TYPES, CareResourceType, FhirReader } from './fhir-reader';
import { assertFhirScopes, fhirScopesAllow } from './fhir-scopes';
import { FhirError, operationOutcome, toFhirError } from './operation-outcome';

export const FHIR_PATH = 'fhir/R4';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const MAX_AUDIT_EVENTS = 500;

/** Search parameters each type understands; anything else is refused rather than silently ignored (which would return more than asked). */
const SEARCH_PARAMS: Record<string, readonly string[]> = {
  Patient: ['_id', 'identifier'],
  AuditEvent: ['patient', '_count'],
  ...Object.fromEntries(CARE_RESOURCE_TYPES.filter((t) => t !== 'Patient').map((t) => [t, ['patient']])),
};
/** Parameters about the answer's form, not its content: JSON is all there is. */
const FORMAT_PARAMS = new Set(['_format', '_pretty']);

type SearchQuery = Record<string, string | string[] | undefined>;

/**
 * The read-only FHIR R4 API at /fhir/R4 (application/fhir+json). It signs in like GraphQL (a bearer token,
 * or the web client's session with its CSRF header) and reads everything through the API's own GraphQL
 * server (FhirReader), so protected identity, consent limitations and the access log apply exactly as there.
 * Errors are OperationOutcomes with their HTTP status; a refusal and an unknown id are both 404.
 */
@Public() // signs in itself below (the GraphQL guard does not run on a plain HTTP route)
@Controller(FHIR_PATH)
export class FhirController {
  constructor(
    private readonly reader: FhirReader,
    private readonly sessions: SessionService,
    private readonly tokens: TokenService,
    private readonly loaderServices: LoaderServices,
    private readonly access: AccessPolicy,
  ) {}

  /** The CapabilityStatement: public, as FHIR clients read it before signing in. */
  @Get('metadata')
  metadata(@Req() req: Request, @Res() res: Response): void {
    send(res, 200, capabilityStatement(baseUrl(req), new Date().toISOString()));
  }

  @Get('Patient/:id/:operation')
  async everything(
    @Param('id') id: string,
    @Param('operation') operation: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.answer(req, res, async (ctx) => {
      if (operation !== '$everything')
        throw new FhirError(404, 'not-supported', `Patient/${id}/${operation} is not supported (only $everything)`);
      this.scopes(ctx, 'Patient');
      // A client gets the types its scopes open; staff get them all.
      const types = CARE_RESOURCE_TYPES.filter((type) => fhirScopesAllow(actorOf(ctx), type));
      const resources = FHIR_ID.test(id) ? await this.reader.ofPerson(ctx, id, types) : null;
      if (!resources?.length) throw new FhirError(404, 'not-found', `Patient/${id} is not known, or not yours to see`);
      return searchset(req, resources);
    });
  }

  @Get(':type/:id/_history/:vid')
  async vread(
    @Param('type') type: string,
    @Param('id') id: string,
    @Param('vid') vid: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.answer(req, res, async (ctx) => {
      const planId = this.historyOf(type, id);
      this.scopes(ctx, 'CarePlan');
      const versions = await this.reader.planHistory(ctx, planId);
      const version = versions.find((v) => v.meta?.versionId === vid);
      if (!version) throw new FhirError(404, 'not-found', `CarePlan/${id} has no version ${vid}`);
      return version;
    });
  }

  @Get(':type/:id/_history')
  async history(
    @Param('type') type: string,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.answer(req, res, async (ctx) => {
      const planId = this.historyOf(type, id);
      this.scopes(ctx, 'CarePlan');
      const versions = await this.reader.planHistory(ctx, planId);
      const bundle: Bundle = {
        resourceType: 'Bundle',
        type: 'history',
        total: versions.length,
        link: [{ relation: 'self', url: selfUrl(req) }],
        entry: versions.map((v) => ({
          fullUrl: `${baseUrl(req)}/CarePlan/${v.id}`,
          resource: v,
          request: {
            method: v.meta?.versionId === '1' ? 'POST' : 'PUT',
            url: v.meta?.versionId === '1' ? 'CarePlan' : `CarePlan/${v.id}`,
          },
          response: { status: v.meta?.versionId === '1' ? '201' : '200', lastModified: v.meta?.lastUpdated },
        })),
      };
      return bundle;
    });
  }

  @Get(':type/:id')
  async read(
    @Param('type') type: string,
    @Param('id') id: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.answer(req, res, async (ctx) => {
      const known = careType(type);
      this.scopes(ctx, known);
      if (!FHIR_ID.test(id)) throw new FhirError(404, 'not-found', `${type}/${id} is not known, or not yours to see`);
      return this.reader.read(ctx, known, id);
    });
  }

  @Get(':type')
  async search(
    @Param('type') type: string,
    @Query() query: SearchQuery,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.answer(req, res, async (ctx) => {
      this.scopes(ctx, type === 'AuditEvent' ? type : careType(type));
      const params = searchParams(type, query);
      if (type === 'AuditEvent') {
        const personId = patientParam(params.patient);
        if (!personId) throw new FhirError(400, 'required', 'AuditEvent: search by patient');
        const count = params._count === undefined ? 100 : Number(params._count);
        if (!Number.isInteger(count) || count < 1 || count > MAX_AUDIT_EVENTS)
          throw new FhirError(400, 'invalid', `_count: a whole number from 1 to ${MAX_AUDIT_EVENTS}`);
        return searchset(req, await this.reader.auditEvents(ctx, personId, count));
      }
      if (type === 'Patient') {
        if (params.identifier !== undefined)
          return searchset(req, await this.reader.patientsByIdentifier(ctx, params.identifier));
        if (params._id !== undefined)
          return searchset(
            req,
            FHIR_ID.test(params._id) ? ((await this.reader.ofPerson(ctx, params._id, ['Patient'])) ?? []) : [],
          );
        throw new FhirError(400, 'required', 'Patient: search by identifier or _id');
      }
      const personId = patientParam(params.patient);
      if (personId === undefined) throw new FhirError(400, 'required', `${type}: search by patient`);
      return searchset(
        req,
        personId ? ((await this.reader.ofPerson(ctx, personId, [type as CareResourceType])) ?? []) : [],
      );
    });
  }

  /** Writes, deletes and anything else: this API only reads. */
  @All('*path')
  async other(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.answer(req, res, () => {
      if (req.method !== 'GET' && req.method !== 'HEAD')
        throw new FhirError(405, 'not-supported', 'This FHIR API is read-only');
      throw new FhirError(404, 'not-supported', `${req.path} is not part of this FHIR API`);
    });
  }

  /** An integration client's scopes must open the type (FHIR_SCOPES); staff pass. */
  private scopes(ctx: GraphQLContext, type: FhirResourceType): void {
    assertFhirScopes(this.access, actorOf(ctx), type);
  }

  /** Only a SIP plan keeps versions. */
  private historyOf(type: string, id: string): string {
    if (type !== 'CarePlan')
      throw new FhirError(404, 'not-supported', `${type} keeps no history here (only CarePlan does)`);
    if (!FHIR_ID.test(id)) throw new FhirError(404, 'not-found', `CarePlan/${id} is not known, or not yours to see`);
    return id;
  }

  /** Signs the request in, runs the read, and sends its resource or the OperationOutcome of its refusal. */
  private async answer(
    req: Request,
    res: Response,
    read: (ctx: GraphQLContext) => Promise<Resource> | Resource,
  ): Promise<void> {
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-content-type-options', 'nosniff');
    const ctx = httpContext(req, res, this.sessions, this.loaderServices);
    try {
      ctx.actor = await this.tokens.authenticateContext(ctx);
      send(res, 200, await read(ctx));
    } catch (error) {
      const refusal = toFhirError(error);
      if (refusal.status === 401) res.setHeader('www-authenticate', 'Bearer');
      send(res, refusal.status, operationOutcome(refusal));
    }
  }
}

function actorOf(ctx: GraphQLContext): Actor {
  return ctx.actor!;
}

function careType(type: string): CareResourceType {
  if (!(CARE_RESOURCE_TYPES as string[]).includes(type))
    throw new FhirError(404, 'not-supported', `${type} is not served here`);
  return type as CareResourceType;
}

/** One value per known parameter; an unknown or repeated one is refused. */
function searchParams(type: string, query: SearchQuery): Record<string, string> {
  const allowed = SEARCH_PARAMS[type] ?? [];
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    if (FORMAT_PARAMS.has(name)) continue;
    if (!allowed.includes(name))
      throw new FhirError(
        400,
        'not-supported',
        `${type}: the search parameter ${name} is not supported (${allowed.join(', ')})`,
      );
    if (typeof value !== 'string') throw new FhirError(400, 'invalid', `${name}: give it once`);
    params[name] = value;
  }
  return params;
}

/** `Patient/{id}` or `{id}`; '' for a value that names no patient (nothing matches it). */
function patientParam(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const id = value.startsWith('Patient/') ? value.slice('Patient/'.length) : value;
  return FHIR_ID.test(id) ? id : '';
}

function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host')}/${FHIR_PATH}`;
}

function selfUrl(req: Request): string {
  return `${req.protocol}://${req.get('host')}${req.originalUrl}`;
}

function searchset(req: Request, resources: Resource[]): Bundle {
  const base = baseUrl(req);
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    link: [{ relation: 'self', url: selfUrl(req) }],
    entry: resources.map((resource): BundleEntry => ({
      fullUrl: `${base}/${resource.resourceType}/${resource.id}`,
      resource,
      search: { mode: 'match' },
    })),
  };
}

function send(res: Response, status: number, body: Resource): void {
  res.status(status).setHeader('content-type', 'application/fhir+json; charset=utf-8');
  res.send(JSON.stringify(body));
}
