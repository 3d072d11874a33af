import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { Actor } from '../actor';
import { DomainError, DomainErrorReason } from '../errors/domain-error';
import { NoticeKind } from '../notifications/notification-kind';
import { notifyGroup } from '../notifications/notification.service';
import { Organisation } from '../organisation/organisation.entity';
import { today } from '../time';
import { ConsentGivenHow, ConsentPurpose, ConsentScope, SharingLimitation } from './consent.enums';
import { consentCoversSql } from './consent.rules';
import { Consent } from './consent.entity';
import { sql } from '../database/sql';

export interface NewConsent {
  personId: string;
  purpose: ConsentPurpose;
  scope: ConsentScope;
  organisationIds?: string[] | null;
  limitations?: SharingLimitation[] | null;
  givenHow: ConsentGivenHow;
  witnessName?: string | null;
  validFrom?: string | null;
  validTo?: string | null;
}

/** What the group is told when a consent is recorded or withdrawn (no personal data: the person is the notification's link). */
export const CONSENT_RECORDED = NoticeKind.CONSENT_RECORDED;
export const CONSENT_WITHDRAWN = NoticeKind.CONSENT_WITHDRAWN;

/** Records and withdraws consents. Who may do so is decided by the access policy before these run. */
@Injectable()
export class ConsentService {
  constructor(private readonly db: DataSource) {}

  async record(actor: Actor, input: NewConsent): Promise<Consent> {
    const organisationIds = [...new Set(input.organisationIds ?? [])];
    const limitations = input.limitations ?? [];
    if (input.scope === ConsentScope.NAMED_ORGANISATIONS && organisationIds.length === 0) {
      throw DomainError.invalid(
        'organisationIds',
        'Name at least one organisation, or give the consent for the whole group',
      );
    }
    if (input.scope === ConsentScope.WHOLE_GROUP && organisationIds.length > 0) {
      throw DomainError.invalid('organisationIds', 'A consent for the whole group names no organisations');
    }
    const witness = input.witnessName?.trim() || null;
    if (input.givenHow === ConsentGivenHow.VERBAL_WITH_WITNESS && !witness) {
      throw DomainError.invalid(
        'witnessName',
        'A verbal consent needs the name of its witness',
        DomainErrorReason.WITNESS_REQUIRED,
      );
    }
    const validFrom = input.validFrom ?? today();
    if (input.validTo && input.validTo < validFrom)
      throw DomainError.invalid('validTo', 'A consent cannot end before it begins');
    const referenced = [...new Set([...organisationIds, ...limitations.map((l) => l.organisationId)])];
    if (referenced.length > 0) {
      const found = new Set(
        (await this.db.getRepository(Organisation).findBy({ id: In(referenced) })).map((o) => o.id),
      );
      const missing = organisationIds.find((id) => !found.has(id));
      if (missing) throw DomainError.invalid('organisationIds', 'No organisation with that id');
      if (limitations.some((l) => !found.has(l.organisationId)))
        throw DomainError.invalid('limitations', 'No organisation with that id');
    }
    return this.db.transaction(async (tx) => {
      // Serialised with withdrawals of the same person's consents (see withdraw).
      await lockConsentsOf(tx, input.personId);
      const repo = tx.getRepository(Consent);
      const recorded = await repo.save(
        repo.create({
          personId: input.personId,
          purpose: input.purpose,
          scope: input.scope,
          organisationIds,
          limitations: limitations.map((l) => ({ organisationId: l.organisationId, category: l.category })),
          givenHow: input.givenHow,
          witnessName: witness,
          validFrom,
          validTo: input.validTo ?? null,
          recordedBy: actor.staffId,
          withdrawnAt: null,
          withdrawnBy: null,
          withdrawalNote: null,
        }),
      );
      await notifyGroup(tx, input.personId, CONSENT_RECORDED);
      return recorded;
    });
  }

  /**
   * Withdrawal takes effect at once: the access policy reads consents on every request and every event.
   * A withdrawal must only ever narrow sharing, but a consent's limitations ("do not share X with Y")
   * hold only while that consent is in force: withdrawing one while another consent in force still
   * covers an organisation it withholds from would hand that organisation what the person kept from it.
   * So such a withdrawal is refused (withdraw the covering consent first, or record the person's new
   * consent with the limitations they want), and staff of a withheld organisation never withdraw it.
   */
  async withdraw(actor: Actor, consentId: string, note: string | null): Promise<Consent> {
    return this.db.transaction(async (tx) => {
      const consent = await tx.getRepository(Consent).findOneBy({ id: consentId });
      if (!consent) throw DomainError.notFound('consent');
      await lockConsentsOf(tx, consent.personId);
      const current = await tx.getRepository(Consent).findOneByOrFail({ id: consentId });
      if (current.withdrawnAt) throw DomainError.invalidState('The consent is already withdrawn');
      const withheldFrom = [...new Set(current.limitations.map((l) => l.organisationId))];
      if (withheldFrom.includes(actor.organisationId)) {
        throw DomainError.forbidden(
          "The consent withholds data from your organisation: only the person's other staff can record its withdrawal",
        );
      }
      if (withheldFrom.length > 0) {
        const [stillCovered] = await sql<object>(
          tx,
          `SELECT 1 FROM consent k, unnest($3::uuid[]) AS o(id) WHERE k.person_id = $1 AND k.id <> $2 AND ${consentCoversSql('k', 'o.id', '$4')} LIMIT 1`,
          [current.personId, current.id, withheldFrom, today()],
        );
        if (stillCovered) {
          throw DomainError.invalidState(
            "Withdrawing this consent would lift its limitations while another consent still covers the organisations they name: withdraw that consent first, or record the person's new consent with the limitations they want",
          );
        }
      }
      await sql(tx, `UPDATE consent SET withdrawn_at = now(), withdrawn_by = $2, withdrawal_note = $3 WHERE id = $1`, [
        consentId,
        actor.staffId,
        note?.trim() || null,
      ]);
      await notifyGroup(tx, current.personId, CONSENT_WITHDRAWN);
      return tx.getRepository(Consent).findOneByOrFail({ id: consentId });
    });
  }

  /** The person id of a consent, so the caller can check access to the person first. */
  async personOf(consentId: string): Promise<string | null> {
    const consent = await this.db
      .getRepository(Consent)
      .findOne({ where: { id: consentId }, select: { id: true, personId: true } });
    return consent?.personId ?? null;
  }

  forPerson(personId: string): Promise<Consent[]> {
    return this.db.getRepository(Consent).find({ where: { personId }, order: { recordedAt: 'DESC' } });
  }
}

/** Recording and withdrawing a person's consents take turns, so that a check of the others stays true until commit. */
async function lockConsentsOf(tx: EntityManager, personId: string): Promise<void> {
  await sql(tx, `SELECT pg_advisory_xact_lock(hashtext('samverka.consent'), hashtext($1))`, [personId]);
}
