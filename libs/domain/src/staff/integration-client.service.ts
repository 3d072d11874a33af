import { Injectable } from '@nestjs/common';
import { calculateJwkThumbprint, importJWK, JWK } from 'jose';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, IntegrationScope } from '../actor';
import { DomainError, DomainErrorReason } from '../errors/domain-error';
import { Organisation } from '../organisation/organisation.entity';
import { Clock } from '@samverka/infrastructure';
import { StaffMember } from './staff-member.entity';
import { sql } from '../database/sql';

/** Client secrets look like `svs_<43 characters>`: 32 random bytes, shown once, kept only as a SHA-256 hash. */
export const CLIENT_SECRET_PATTERN = /^svs_[A-Za-z0-9_-]{43}$/;
/** Two secrets in force at most: the one in use and its successor during a change-over. */
export const MAX_SECRETS_IN_FORCE = 2;
/** A secret lives at most this long; a rotation before then replaces it. */
export const MAX_SECRET_DAYS = 730;
/** Public keys a client may register at once (one in use and a few during a key change-over). */
export const MAX_PUBLIC_KEYS = 5;
const DAY_MS = 86_400_000;

/** Key types and the signing algorithms we accept for each (RFC 7518); symmetric keys are never client keys here. */
const ALGORITHMS_OF: Record<string, readonly string[]> = {
  RSA: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'],
  EC: ['ES256', 'ES384', 'ES512'],
  OKP: ['EdDSA'],
};
/** Members of a public signing JWK we keep (RFC 7517, 7518, 8037). */
const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e', 'alg', 'use', 'kid'] as const;
/** Members of a JWK that only a private (or symmetric) key has. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

export interface ClientSecretInfo {
  id: string;
  /** The secret's first characters, to tell two secrets apart; never enough to use it. */
  hint: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface ClientPublicKey {
  kid: string;
  kty: string;
  alg: string | null;
  /** The whole public JWK, as registered (with its kid). */
  jwk: JWK;
}

export interface IntegrationClientInfo {
  staffId: string;
  clientId: string;
  scopes: IntegrationScope[];
  publicKeys: ClientPublicKey[];
  secrets: ClientSecretInfo[];
}

/** What the token endpoint needs to authenticate a client and make its actor. */
export interface AuthenticatingClient {
  staff: StaffMember;
  organisation: Organisation;
  clientId: string;
  scopes: IntegrationScope[];
  publicKeys: JWK[];
}

/**
 * OAuth 2.0 client credentials of integration clients (service accounts): the client id, the scopes, client
 * secrets (hashed, each with an expiry, two in force at most so a rotation has a change-over) and the public keys
 * for private_key_jwt. Who may change them is the access policy's (administrators); this keeps the rules of the
 * credentials themselves.
 */
@Injectable()
export class IntegrationClientService {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Every integration client's credentials (never a secret itself), for the administrator's screen. */
  async list(): Promise<IntegrationClientInfo[]> {
    const clients: Array<{ staffId: string; clientId: string; scopes: IntegrationScope[]; publicKeys: JWK[] }> =
      await sql(
        this.db,
        `SELECT c.staff_id AS "staffId", c.client_id AS "clientId", c.scopes, c.public_keys AS "publicKeys" FROM integration_client c ORDER BY c.created_at, c.staff_id`,
      );
    const secrets = await sql<ClientSecretInfo & { staffId: string }>(
      this.db,
      `SELECT id, staff_id AS "staffId", hint, created_at AS "createdAt", expires_at AS "expiresAt", revoked_at AS "revokedAt" FROM client_secret ORDER BY created_at`,
    );
    return clients.map((c) => ({
      ...c,
      publicKeys: c.publicKeys.map(publicKeyInfo),
      secrets: secrets.filter((s) => s.staffId === c.staffId),
    }));
  }

  async get(staffId: string): Promise<IntegrationClientInfo> {
    const found = (await this.list()).find((c) => c.staffId === staffId);
    if (!found) throw DomainError.notFound('integration client');
    return found;
  }

  /**
   * A new client secret, returned once (only its hash is kept). At most two are in force, so that a client
   * can change over from the old one to the new before the old one is revoked or expires.
   */
  async createSecret(by: Actor, staffId: string, expiresAt: Date): Promise<{ secret: string; info: ClientSecretInfo }> {
    const now = this.clock.now();
    if (expiresAt.getTime() <= now.getTime())
      throw DomainError.invalid('expiresAt', 'A secret must expire in the future');
    if (expiresAt.getTime() > now.getTime() + MAX_SECRET_DAYS * DAY_MS)
      throw DomainError.invalid('expiresAt', `A secret may live at most ${MAX_SECRET_DAYS} days`);
    return this.db.transaction(async (tx) => {
      await this.lockActive(tx, staffId);
      const [{ inForce }] = await sql<{ inForce: number }>(
        tx,
        `SELECT count(*)::int AS "inForce" FROM client_secret WHERE staff_id = $1 AND revoked_at IS NULL AND expires_at > $2`,
        [staffId, now],
      );
      if (inForce >= MAX_SECRETS_IN_FORCE) {
        throw DomainError.invalidState(
          'The client already has two secrets in force: revoke one first',
          DomainErrorReason.CLIENT_SECRET_LIMIT,
          { max: MAX_SECRETS_IN_FORCE },
        );
      }
      const secret = `svs_${randomBytes(32).toString('base64url')}`;
      const [info] = await sql<ClientSecretInfo>(
        tx,
        `INSERT INTO client_secret (staff_id, secret_hash, hint, created_at, created_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING id, hint, created_at AS "createdAt", expires_at AS "expiresAt", revoked_at AS "revokedAt"`,
        [staffId, hashSecret(secret), secret.slice(0, 8), now, by.staffId, expiresAt],
      );
      return { secret, info };
    });
  }

  /** Revokes a secret at once: the token endpoint refuses it from the next request on. Revoking twice changes nothing. */
  async revokeSecret(by: Actor, secretId: string): Promise<IntegrationClientInfo> {
    const [row] = await sql<{ staffId: string }>(
      this.db,
      `SELECT staff_id AS "staffId" FROM client_secret WHERE id = $1`,
      [secretId],
    );
    if (!row) throw DomainError.notFound('client secret');
    await sql(
      this.db,
      `UPDATE client_secret SET revoked_at = $2, revoked_by = $3 WHERE id = $1 AND revoked_at IS NULL`,
      [secretId, this.clock.now(), by.staffId],
    );
    return this.get(row.staffId);
  }

  /** Sets what the client may do; tokens already issued lose a removed scope on their next request (TokenService reads the scopes anew). */
  async setScopes(staffId: string, scopes: IntegrationScope[]): Promise<IntegrationClientInfo> {
    const unique = [...new Set(scopes)];
    if (unique.length === 0) throw DomainError.invalid('scopes', 'Give the client at least one scope');
    await this.db.transaction(async (tx) => {
      await this.lockActive(tx, staffId);
      await sql(tx, `UPDATE integration_client SET scopes = $2 WHERE staff_id = $1`, [staffId, unique]);
    });
    return this.get(staffId);
  }

  /**
   * Registers a public key (a JWK) the client signs its assertions with (private_key_jwt). A private or
   * symmetric key is refused (it must never leave the client), as is a key type we do not verify.
   */
  async addPublicKey(staffId: string, jwkText: string): Promise<IntegrationClientInfo> {
    const jwk = await parsePublicJwk(jwkText);
    await this.db.transaction(async (tx) => {
      const keys = (await this.lockActive(tx, staffId)).publicKeys;
      if (keys.some((k) => k.kid === jwk.kid))
        throw DomainError.invalid('jwk', 'The client already has a key with that kid');
      if (keys.length >= MAX_PUBLIC_KEYS)
        throw DomainError.invalid('jwk', `A client has at most ${MAX_PUBLIC_KEYS} public keys: remove one first`);
      await sql(tx, `UPDATE integration_client SET public_keys = $2::jsonb WHERE staff_id = $1`, [
        staffId,
        JSON.stringify([...keys, jwk]),
      ]);
    });
    return this.get(staffId);
  }

  async removePublicKey(staffId: string, kid: string): Promise<IntegrationClientInfo> {
    await this.db.transaction(async (tx) => {
      const keys = (await this.lockActive(tx, staffId)).publicKeys;
      if (!keys.some((k) => k.kid === kid)) throw DomainError.invalid('kid', 'The client has no key with that kid');
      await sql(tx, `UPDATE integration_client SET public_keys = $2::jsonb WHERE staff_id = $1`, [
        staffId,
        JSON.stringify(keys.filter((k) => k.kid !== kid)),
      ]);
    });
    return this.get(staffId);
  }

  /** The active client with this OAuth client id, or null (unknown, or its service account deactivated). */
  async findForAuthentication(clientId: string): Promise<AuthenticatingClient | null> {
    if (!/^[A-Za-z0-9_-]{8,64}$/.test(clientId)) return null;
    const [row] = await sql<{ staffId: string; scopes: IntegrationScope[]; publicKeys: JWK[] }>(
      this.db,
      `SELECT c.staff_id AS "staffId", c.scopes, c.public_keys AS "publicKeys" FROM integration_client c
         JOIN staff_member s ON s.id = c.staff_id WHERE c.client_id = $1 AND s.active AND s.service_account`,
      [clientId],
    );
    if (!row) return null;
    const staff = await this.db.getRepository(StaffMember).findOneByOrFail({ id: row.staffId });
    const organisation = await this.db.getRepository(Organisation).findOneByOrFail({ id: staff.organisationId });
    return { staff, organisation, clientId, scopes: row.scopes, publicKeys: row.publicKeys };
  }

  /** Whether the secret is one of the client's secrets in force (not revoked, not expired). */
  async secretInForce(staffId: string, secret: string): Promise<boolean> {
    if (!CLIENT_SECRET_PATTERN.test(secret)) return false;
    // The secret is 256 random bits: looking its hash up by equality tells an attacker nothing a timing could use.
    const rows = await sql<object>(
      this.db,
      `SELECT 1 FROM client_secret WHERE staff_id = $1 AND secret_hash = $2 AND revoked_at IS NULL AND expires_at > $3`,
      [staffId, hashSecret(secret), this.clock.now()],
    );
    return rows.length > 0;
  }

  /**
   * Records a client assertion's jti as used until the assertion expires; false when it was used before (a
   * replay). Expired entries of the client are cleared on the way, so the table holds only live assertions.
   */
  async useAssertionId(staffId: string, jti: string, expiresAt: Date): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await sql(tx, `DELETE FROM client_assertion_jti WHERE staff_id = $1 AND expires_at <= $2`, [
        staffId,
        this.clock.now(),
      ]);
      const rows = await sql<{ jti: string }>(
        tx,
        `INSERT INTO client_assertion_jti (staff_id, jti, expires_at) VALUES ($1, $2, $3) ON CONFLICT (staff_id, jti) DO NOTHING RETURNING jti`,
        [staffId, jti, expiresAt],
      );
      return rows.length === 1;
    });
  }

  private async lockActive(tx: EntityManager, staffId: string): Promise<{ publicKeys: JWK[] }> {
    const [row] = await sql<{ active: boolean; publicKeys: JWK[] }>(
      tx,
      `SELECT s.active, c.public_keys AS "publicKeys" FROM integration_client c JOIN staff_member s ON s.id = c.staff_id WHERE c.staff_id = $1 FOR UPDATE OF c`,
      [staffId],
    );
    if (!row) throw DomainError.notFound('integration client');
    if (!row.active)
      throw DomainError.invalidState(
        'A revoked integration client gets no new credentials; create a new client',
        DomainErrorReason.INTEGRATION_CLIENT_REVOKED,
      );
    return row;
  }
}

function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

function publicKeyInfo(jwk: JWK): ClientPublicKey {
  return { kid: jwk.kid!, kty: jwk.kty!, alg: jwk.alg ?? null, jwk };
}

/** A public signing JWK we can verify with, its kid set (the RFC 7638 thumbprint when the client gave none). */
async function parsePublicJwk(text: string): Promise<JWK> {
  let jwk: JWK;
  try {
    jwk = JSON.parse(text) as JWK;
  } catch {
    throw DomainError.invalid('jwk', 'The key must be a JSON Web Key (JSON)');
  }
  if (!jwk || typeof jwk !== 'object' || Array.isArray(jwk))
    throw DomainError.invalid('jwk', 'The key must be a JSON Web Key (JSON)');
  if (PRIVATE_MEMBERS.some((member) => member in jwk))
    throw DomainError.invalid('jwk', 'That is a private or symmetric key: register only the public key');
  const algorithms = ALGORITHMS_OF[jwk.kty ?? ''];
  if (!algorithms) throw DomainError.invalid('jwk', 'The key type must be RSA, EC or OKP');
  if (jwk.alg !== undefined && !algorithms.includes(jwk.alg))
    throw DomainError.invalid('jwk', `The key's alg must be one of ${algorithms.join(', ')}`);
  if (jwk.use !== undefined && jwk.use !== 'sig')
    throw DomainError.invalid('jwk', 'The key must be for signatures (use "sig")');
  try {
    await importJWK(jwk, jwk.alg ?? defaultAlgorithm(jwk));
  } catch {
    throw DomainError.invalid('jwk', 'The key could not be read as a public key');
  }
  if (jwk.kty === 'RSA' && Buffer.from(typeof jwk.n === 'string' ? jwk.n : '', 'base64url').length * 8 < 2048)
    throw DomainError.invalid('jwk', 'An RSA key must have at least 2048 bits');
  if (jwk.kid !== undefined && (typeof jwk.kid !== 'string' || !/^[\x21-\x7e]{1,100}$/.test(jwk.kid)))
    throw DomainError.invalid('jwk', 'The kid must be 1-100 printable characters');
  // Only the members a public signing key has are kept: nothing else the client sent is stored or shown.
  const kept = Object.fromEntries(
    PUBLIC_MEMBERS.filter((m) => (jwk as Record<string, unknown>)[m] !== undefined).map((m) => [
      m,
      (jwk as Record<string, unknown>)[m],
    ]),
  ) as JWK;
  const kid = jwk.kid ?? (await calculateJwkThumbprint(kept));
  return { ...kept, kid };
}

function defaultAlgorithm(jwk: JWK): string {
  if (jwk.kty === 'RSA') return 'RS256';
  if (jwk.kty === 'EC') return jwk.crv === 'P-384' ? 'ES384' : jwk.crv === 'P-521' ? 'ES512' : 'ES256';
  return 'EdDSA';
}
