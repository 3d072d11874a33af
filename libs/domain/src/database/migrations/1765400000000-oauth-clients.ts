import { MigrationInterface, QueryRunner } from 'typeorm';

const SCOPES = `ARRAY['DIRECTORY_READ','DIRECTORY_WRITE','PERSON_READ','PERSON_WRITE','PLAN_READ','PLAN_WRITE','DECISIONS_READ']`;

/**
 * OAuth 2.0 client credentials for integration clients (issue 13 §1). The client (its service account) gets
 * its own row: the OAuth client id, its scopes (moved from the API key, which now carries the client's scopes)
 * and the public keys it signs its client assertions with (private_key_jwt). Secrets are kept as SHA-256
 * hashes (each is 32 random bytes, so a slow hash adds nothing), each with an expiry, at most two in force
 * (checked by the service under a lock of the client's row). The jtis of used client assertions are kept
 * until the assertion expires, so an assertion is accepted once (RFC 7523 section 3, point 7).
 */
export class OAuthClients1765400000000 implements MigrationInterface {
  name = 'OAuthClients1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE integration_client (
        staff_id uuid PRIMARY KEY REFERENCES staff_member(id),
        client_id text NOT NULL UNIQUE CHECK (client_id ~ '^[A-Za-z0-9_-]{8,64}$'),
        scopes text[] NOT NULL CHECK (scopes <@ ${SCOPES} AND cardinality(scopes) > 0),
        -- The client's public JWKs (a JSON array), for private_key_jwt; never a private key (the service refuses one).
        public_keys jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(public_keys) = 'array'),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      INSERT INTO integration_client (staff_id, client_id, scopes)
        SELECT staff_id, 'cl_' || replace(gen_random_uuid()::text, '-', ''), scopes FROM api_key;
      ALTER TABLE api_key DROP COLUMN scopes;
      ALTER TABLE api_key ADD CONSTRAINT api_key_client_fkey FOREIGN KEY (staff_id) REFERENCES integration_client(staff_id);

      CREATE TABLE client_secret (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        staff_id uuid NOT NULL REFERENCES integration_client(staff_id),
        secret_hash bytea NOT NULL UNIQUE,
        -- The first characters of the secret, to tell secrets apart on the screen; the rest is never kept.
        hint text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by uuid NOT NULL REFERENCES staff_member(id),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_by uuid REFERENCES staff_member(id),
        CHECK (expires_at > created_at),
        CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
      );
      CREATE INDEX client_secret_staff_idx ON client_secret (staff_id);

      CREATE TABLE client_assertion_jti (
        staff_id uuid NOT NULL REFERENCES integration_client(staff_id),
        jti text NOT NULL CHECK (length(jti) BETWEEN 1 AND 200),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (staff_id, jti)
      );
      CREATE INDEX client_assertion_jti_expiry_idx ON client_assertion_jti (expires_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE client_assertion_jti, client_secret;
      ALTER TABLE api_key DROP CONSTRAINT api_key_client_fkey;
      ALTER TABLE api_key ADD COLUMN scopes text[];
      UPDATE api_key k SET scopes = array(SELECT unnest(c.scopes) INTERSECT SELECT unnest(ARRAY['DIRECTORY_READ','DIRECTORY_WRITE']))
        FROM integration_client c WHERE c.staff_id = k.staff_id;
      ALTER TABLE api_key ALTER COLUMN scopes SET NOT NULL, ADD CONSTRAINT api_key_scopes_check CHECK (scopes <@ ARRAY['DIRECTORY_READ','DIRECTORY_WRITE']);
      DROP TABLE integration_client;
    `);
  }
}
