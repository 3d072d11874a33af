import { Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Actor, IntegrationScope } from '../actor';
import { DomainError, DomainErrorReason } from '../errors/domain-error';
import { Organisation } from '../organisation/organisation.entity';
import { Profession } from './profession';
import { StaffMember } from './staff-member.entity';
import { sql, sqlCount } from '../database/sql';

/** API keys look like `svk_<prefix>_<secret>`: the prefix finds the key, the hash of the whole key proves it. */
export const API_KEY_PATTERN = /^svk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export interface IntegrationIdentity {
  staff: StaffMember;
  organisation: Organisation;
  scopes: IntegrationScope[];
}

/** Integration clients: service accounts of one organisation, signing in with hashed API keys (or OAuth, see IntegrationClientService). */
@Injectable()
export class ApiKeyService {
  constructor(private readonly db: DataSource) {}

  /** Creates the service account and its key; the key is returned once and only its hash is kept. */
  async createClient(
    by: Actor,
    input: { organisationId: string; name: string; scopes: IntegrationScope[] },
  ): Promise<{ apiKey: string; staff: StaffMember; clientId: string }> {
    const scopes = [...new Set(input.scopes)];
    if (scopes.length === 0) throw DomainError.invalid('scopes', 'Give the client at least one scope');
    return this.db.transaction(async (tx) => {
      const organisation = await tx.getRepository(Organisation).findOneBy({ id: input.organisationId });
      if (!organisation) throw DomainError.invalid('organisationId', 'No organisation with that id');
      const repo = tx.getRepository(StaffMember);
      const staff = await repo.save(
        repo.create({
          organisationId: organisation.id,
          unitId: null,
          givenName: input.name,
          familyName: '(integration client)',
          profession: Profession.OTHER,
          title: 'Integration client',
          active: true,
          serviceAccount: true,
          administrator: false,
          auditor: false,
          whereaboutsAuthorised: false,
          organisationAdministrator: false,
        }),
      );
      const { prefix, apiKey } = newKey();
      const clientId = newClientId();
      await sql(tx, `INSERT INTO integration_client (staff_id, client_id, scopes) VALUES ($1, $2, $3)`, [
        staff.id,
        clientId,
        scopes,
      ]);
      await sql(tx, `INSERT INTO api_key (staff_id, prefix, key_hash, created_by) VALUES ($1, $2, $3, $4)`, [
        staff.id,
        prefix,
        hashKey(apiKey),
        by.staffId,
      ]);
      return { apiKey, staff, clientId };
    });
  }

  /**
   * A new key for an integration client, with the same scopes; the old key is refused from the next request
   * on. Returned once, like the first; a revoked (deactivated) client gets none.
   */
  async rotateKey(by: Actor, staffId: string): Promise<{ apiKey: string; staff: StaffMember; clientId: string }> {
    return this.db.transaction(async (tx) => {
      const staff = await tx
        .getRepository(StaffMember)
        .findOne({ where: { id: staffId, serviceAccount: true }, lock: { mode: 'pessimistic_write' } });
      if (!staff) throw DomainError.notFound('integration client');
      if (!staff.active)
        throw DomainError.invalidState(
          'A revoked integration client gets no new key; create a new client',
          DomainErrorReason.INTEGRATION_CLIENT_REVOKED,
        );
      const { prefix, apiKey } = newKey();
      const updated = await sqlCount(
        tx,
        `UPDATE api_key SET prefix = $2, key_hash = $3, created_at = now(), created_by = $4 WHERE staff_id = $1`,
        [staff.id, prefix, hashKey(apiKey), by.staffId],
      );
      if (!updated) throw DomainError.notFound('integration client');
      const [{ clientId }] = await sql<{ clientId: string }>(
        tx,
        `SELECT client_id AS "clientId" FROM integration_client WHERE staff_id = $1`,
        [staff.id],
      );
      return { apiKey, staff, clientId };
    });
  }

  /** The active service account a key belongs to, or null (unknown key, wrong secret, deactivated account). */
  async identify(apiKey: string): Promise<IntegrationIdentity | null> {
    const match = API_KEY_PATTERN.exec(apiKey);
    if (!match) return null;
    const [row] = await sql<{ staffId: string; keyHash: Buffer; scopes: IntegrationScope[] }>(
      this.db,
      `SELECT k.staff_id AS "staffId", k.key_hash AS "keyHash", c.scopes FROM api_key k JOIN integration_client c ON c.staff_id = k.staff_id WHERE k.prefix = $1`,
      [match[1]],
    );
    if (!row || !timingSafeEqual(row.keyHash, hashKey(apiKey))) return null;
    const staff = await this.db
      .getRepository(StaffMember)
      .findOneBy({ id: row.staffId, active: true, serviceAccount: true });
    if (!staff) return null;
    const organisation = await this.db.getRepository(Organisation).findOneByOrFail({ id: staff.organisationId });
    return { staff, organisation, scopes: row.scopes as IntegrationScope[] };
  }
}

/** The OAuth client id of a new integration client: public, random so that it tells nothing about the client. */
export function newClientId(): string {
  return `cl_${randomBytes(16).toString('hex')}`;
}

function newKey(): { prefix: string; apiKey: string } {
  const prefix = randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 12);
  return { prefix, apiKey: `svk_${prefix}_${randomBytes(32).toString('base64url')}` };
}

function hashKey(apiKey: string): Buffer {
  return createHash('sha256').update(apiKey).digest();
}
