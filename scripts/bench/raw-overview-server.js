'use strict';
// The hand-written baseline of the overview benchmark: node:http + one pg.Pool, no framework.
// It answers `patientOverview` (the benchmark's fixed selection only) with the same SQL statements,
// in the same order as the API's overview resolver:
//
//   token (HS256, jose) -> the staff member with their organisation (one statement, every request, as the API)
//   AUTHORISE_AND_LOG_SQL (access check, consent, withheld categories and access-log entry in one statement)
//   OVERVIEW_BUNDLE_SQL (the person, plan, group and roster, contacts, housing, and the staff and
//   organisations they name, as JSON in one statement: what the API primes its loaders with)
//
// and returns the same JSON, {"data":{"patientOverview":{...}}}. Like the API, it seals the access log's
// hash chain every second (AccessLogSealer). Env: PORT, DATABASE_URL,
// DATABASE_POOL_SIZE (default 10, as the API), TOKEN_SECRET.
require('reflect-metadata');
const http = require('node:http');
const path = require('node:path');
const { Pool } = require('pg');
const { jwtVerify } = require('jose');

const dist = path.resolve(__dirname, '../../dist');
const { OVERVIEW_BUNDLE_SQL, OVERVIEW_RECENT_CONTACTS } = require(
  path.join(dist, 'libs/domain/src/overview/overview.queries'),
);
const { AccessAction, AccessLogService } = require(path.join(dist, 'libs/domain/src/access/access-log.service'));
const { DEVELOPMENT_ACCESS_LOG_KEY } = require(path.join(dist, 'libs/infrastructure/src/config/secret-strength'));
const ACCESS_LOG_KEY_TEXT = process.env.ACCESS_LOG_KEY || DEVELOPMENT_ACCESS_LOG_KEY;
const { SEAL_INTERVAL_MS } = require(path.join(dist, 'libs/domain/src/access/access-log-sealer'));
const { AUTHORISE_AND_LOG_SQL, isUuid, roleOf } = require(path.join(dist, 'libs/auth/src/access.policy'));
const { formatIdentityNumber } = require(path.join(dist, 'libs/domain/src/identity/identity-number'));
const { today } = require(path.join(dist, 'libs/domain/src/time'));

/**
 * The identity lookup the API runs on a cache miss is StaffService.findIdentity({ id }): one TypeORM query
 * builder statement, the staff member joined with their organisation. TypeORM generates that SQL from the
 * entities, so it is generated here the same way, once at start (TypeORM is not used per request).
 */
async function identitySql() {
  const { createDataSource } = require(path.join(dist, 'libs/domain/src/database/data-source'));
  const { StaffMember } = require(path.join(dist, 'libs/domain/src/staff/staff-member.entity'));
  const { Organisation } = require(path.join(dist, 'libs/domain/src/organisation/organisation.entity'));
  const dataSource = createDataSource({ DATABASE_URL: process.env.DATABASE_URL, DATABASE_POOL_SIZE: 1 });
  await dataSource.initialize();
  try {
    const [staff] = dataSource
      .getRepository(StaffMember)
      .createQueryBuilder('s')
      .addSelect('s.passwordHash')
      .innerJoinAndMapOne('s.organisation', Organisation, 'o', 'o.id = s.organisation_id')
      .where('s.active')
      .andWhere('s.id = :v', { v: '00000000-0000-0000-0000-000000000000' })
      .getQueryAndParameters();
    return staff;
  } finally {
    await dataSource.destroy();
  }
}
let STAFF_IDENTITY_SQL;

const ISSUER = 'samverka';
const AUDIENCE = 'samverka-api';

const port = Number(process.env.PORT ?? 3902);
const secret = new TextEncoder().encode(process.env.TOKEN_SECRET ?? 'development-only-secret-change-me-0000000000');
const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  application_name: 'samverka-bench-raw',
});

/** One statement on the pool; its rows. @param {string} sql @param {unknown[]} params @returns {Promise<any[]>} */
const query = async (sql, params) => (await pool.query(sql, params)).rows;

class GraphQLFailure extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

// No identity cache: like the API (TokenService), the staff member is read on every request, so that a
// deactivation or a changed role counts from the next request.
async function authenticate(header) {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match)
    throw new GraphQLFailure('Sign in first: send a bearer token in the Authorization header', 'UNAUTHENTICATED');
  let payload;
  try {
    ({ payload } = await jwtVerify(match[1], secret, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] }));
  } catch {
    throw new GraphQLFailure('Sign in again: the token is missing, invalid or expired', 'UNAUTHENTICATED');
  }
  const subject = payload.sub;
  const [staff] = await query(STAFF_IDENTITY_SQL, [subject]);
  if (!staff) throw new GraphQLFailure('Sign in again: the token is missing, invalid or expired', 'UNAUTHENTICATED');
  const actor = {
    staffId: staff.s_id,
    organisationId: staff.s_organisation_id,
    unitId: staff.s_unit_id,
    profession: staff.s_profession,
    principal: staff.o_principal,
    administrator: staff.s_administrator,
    auditor: staff.s_auditor,
  };
  return actor;
}

async function overview(actor, personId, clientAddress) {
  if (!isUuid(personId)) throw new GraphQLFailure('personId must be a UUID', 'BAD_USER_INPUT');
  const day = today();
  const visible = await query(AUTHORISE_AND_LOG_SQL, [
    actor.staffId,
    [personId],
    day,
    actor.organisationId,
    actor.unitId,
    AccessAction.READ_OVERVIEW,
    actor.principal,
    Boolean(actor.auditor),
    roleOf(actor),
    'patientOverview',
    clientAddress,
    false,
  ]);
  if (visible.length === 0) throw new GraphQLFailure('person not found', 'NOT_FOUND');

  // Everything the overview shows in one statement, as the API's resolver primes its loaders with it.
  const [bundle] = await query(OVERVIEW_BUNDLE_SQL, [[personId], OVERVIEW_RECENT_CONTACTS, new Date()]);
  // What the person's consent withholds from the actor's organisation comes with the access decision (as in the API).
  const withheld = new Set(visible[0].withheld);
  const staffById = new Map(bundle.staff.map((s) => [s.id, s]));
  const organisationById = new Map(bundle.organisations.map((o) => [o.id, o]));
  const person = bundle.persons[0] ?? null;
  const plan = withheld.has('SIP_PLAN') ? null : (bundle.plans[0] ?? null);
  const housing = withheld.has('HOUSING') ? null : (bundle.housing[0] ?? null);
  const recentContacts = (withheld.has('TIMELINE') ? [] : bundle.contacts).map((e) => {
    const staff = staffById.get(e.staffId);
    return {
      id: e.id,
      occurredAt: new Date(e.occurredAt).toISOString(),
      kind: e.kind,
      summary: e.summary,
      staff: { id: staff.id, profession: staff.profession },
    };
  });
  const roster = bundle.members
    .filter((m) => m.validFrom <= day && (m.validTo === null || m.validTo >= day))
    .map((m) => {
      const s = staffById.get(m.staffId);
      const o = organisationById.get(s.organisationId);
      return {
        role: m.role,
        principal: m.principal,
        votingRepresentative: m.votingRepresentative,
        staff: {
          id: s.id,
          givenName: s.givenName,
          familyName: s.familyName,
          profession: s.profession,
          organisation: { id: o.id, name: o.name, principal: o.principal },
        },
      };
    });
  if (!person) throw new Error('person not found after the access check');
  return {
    person: {
      id: person.id,
      givenName: person.givenName,
      familyName: person.familyName,
      identityNumber: formatIdentityNumber(person.identityKind, person.identityNumber),
      protectedIdentity: person.protectedIdentity,
    },
    sipPlan: plan && {
      id: plan.id,
      status: plan.status,
      followUpOn: plan.followUpOn,
      version: plan.version,
      interventions: plan.interventions.map((i) => ({
        id: i.id,
        description: i.description,
        responsiblePrincipal: i.responsiblePrincipal,
        status: i.status,
      })),
    },
    roster,
    recentContacts,
    currentHousing: housing && { kind: housing.kind, startedOn: housing.startedOn },
  };
}

function send(res, body) {
  const json = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

// The access-log sealer, as AccessLogSealer runs it in the API (its own AccessLogService, with the checkpoint
// file when ACCESS_LOG_CHECKPOINT_FILE is set): every second, batches until none is left.
const accessLog = new AccessLogService(
  { query },
  { ACCESS_LOG_KEY: ACCESS_LOG_KEY_TEXT, ACCESS_LOG_CHECKPOINT_FILE: process.env.ACCESS_LOG_CHECKPOINT_FILE },
);
let sealing = false;
setInterval(async () => {
  if (sealing) return;
  sealing = true;
  try {
    while ((await accessLog.sealBatch()) > 0);
  } catch (error) {
    console.error('raw-overview-server: sealing failed:', /** @type {Error} */ (error).message);
  } finally {
    sealing = false;
  }
}, SEAL_INTERVAL_MS).unref();

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/graphql') {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', async () => {
    try {
      const { variables } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const actor = await authenticate(req.headers.authorization);
      send(res, {
        data: { patientOverview: await overview(actor, variables && variables.id, req.socket.remoteAddress ?? null) },
      });
    } catch (error) {
      const code = error instanceof GraphQLFailure ? error.code : 'INTERNAL_SERVER_ERROR';
      if (code === 'INTERNAL_SERVER_ERROR') console.error('raw-overview-server:', error);
      send(res, {
        errors: [{ message: error instanceof GraphQLFailure ? error.message : 'Internal error', extensions: { code } }],
        data: null,
      });
    }
  });
});

server.keepAliveTimeout = 65_000;
identitySql().then(
  (staff) => {
    STAFF_IDENTITY_SQL = staff;
    server.listen(port, '0.0.0.0');
  },
  (error) => {
    console.error('raw-overview-server: cannot start:', error);
    process.exit(1);
  },
);
