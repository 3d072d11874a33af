import { Injectable } from '@nestjs/common';
import { AccessAction, Actor, IntegrationScope, Principal, Profession, WebhookAudience, sql } from '@samverka/domain';
import { DataSource } from 'typeorm';
import { AccessPolicy } from './access.policy';

/**
 * The webhook services' audience, decided by the one access policy: a client is told about a person
 * exactly when the policy lets that client read the person now (its organisation's relation, consent and
 * protected identity, as for everything else it reads), and each such disclosure is in the access log
 * (READ_EVENT, entity `webhook`) with the client as the actor.
 */
@Injectable()
export class PolicyWebhookAudience extends WebhookAudience {
  constructor(
    private readonly db: DataSource,
    private readonly policy: AccessPolicy,
  ) {
    super();
  }

  async visible(clientIds: readonly string[], personIds: readonly string[]): Promise<Map<string, Set<string>>> {
    const result = new Map<string, Set<string>>();
    if (clientIds.length === 0 || personIds.length === 0) return result;
    for (const actor of await this.clients(clientIds)) {
      result.set(
        actor.staffId,
        await this.policy.authorise({ ...actor, operation: 'webhook' }, personIds, AccessAction.READ_EVENT, 'webhook'),
      );
    }
    return result;
  }

  /** The clients as the API sees them signed in (by API key or OAuth token): the service account, its organisation's principal and its scopes. */
  private async clients(clientIds: readonly string[]): Promise<Actor[]> {
    const rows = await sql<{
      id: string;
      organisationId: string;
      unitId: string | null;
      profession: Profession;
      principal: Principal;
      scopes: IntegrationScope[] | null;
    }>(
      this.db,
      `SELECT s.id, s.organisation_id AS "organisationId", s.unit_id AS "unitId", s.profession, o.principal, k.scopes
         FROM staff_member s JOIN organisation o ON o.id = s.organisation_id LEFT JOIN integration_client k ON k.staff_id = s.id
        WHERE s.id = ANY($1::uuid[]) AND s.service_account AND s.active`,
      [[...clientIds]],
    );
    return rows.map((r) => ({
      staffId: r.id,
      organisationId: r.organisationId,
      unitId: r.unitId,
      profession: r.profession,
      principal: r.principal,
      scopes: r.scopes ?? [],
    }));
  }
}
