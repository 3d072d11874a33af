import { Injectable, Optional } from '@nestjs/common';
import { NoticeKind } from '../notifications/notification-kind';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In, Not } from 'typeorm';
import { Actor } from '../actor';
import { DomainError, DomainErrorReason } from '../errors/domain-error';
import { Organisation } from '../organisation/organisation.entity';
import { Principal } from '../organisation/organisation.enums';
import { Unit } from '../organisation/unit.entity';
import { NotificationService, notifyGroup } from '../notifications/notification.service';
import { Relative } from '../person/relative.entity';
import { today } from '../time';
import { assertMayRecordFollowUp, assertMayUpdateInterventionStatus, assertNextFollowUp } from './follow-up.rules';
import {
  adoptingVersions,
  assertContentEditable,
  assertReadyToActivate,
  assertTransition,
  contentOf,
  describeChanges,
} from './plan-versioning';
import { PlanApprovalMethod, SipPlanApproval } from './sip-plan-approval.entity';
import {
  InterventionStatus,
  ParticipantKind,
  PlanIntervention,
  PlanNeed,
  PlanOtherMeasure,
  PlanParticipant,
  SipPlanContent,
  SipPlanStatus,
} from './sip-plan.content';
import { SipFollowUp } from './sip-follow-up.entity';
import { SipPlanVersion } from './sip-plan-version.entity';
import { SipPlan } from './sip-plan.entity';
import { sql } from '../database/sql';

/** The group is told that a follow-up was held (the kind names the plan, so a consent can withhold it). */
export const SIP_PLAN_FOLLOW_UP_HELD_NOTIFICATION = NoticeKind.SIP_PLAN_FOLLOW_UP_HELD;

type WithOptionalId<T extends { id: string }> = Omit<T, 'id'> & { id?: string | null };

/** The editable parts of a plan; lists replace the plan's list as a whole (items keep their id to be tracked). */
export interface PlanEdit {
  overallResponsibilityPrincipal?: Principal | null;
  overallResponsibilityOrganisationId?: string | null;
  personGoals?: string;
  needs?: WithOptionalId<PlanNeed>[];
  interventions?: WithOptionalId<PlanIntervention>[];
  otherMeasures?: WithOptionalId<PlanOtherMeasure>[];
  participants?: PlanParticipant[];
  consentGivenAt?: string | null;
  consentValidUntil?: string | null;
  followUpOn?: string | null;
}

@Injectable()
export class SipPlanService {
  constructor(
    private readonly db: DataSource,
    // Optional so that scripts (demo data) can build the service alone; notifications are written either way.
    @Optional() private readonly notifications?: NotificationService,
  ) {}

  async create(actor: Actor, personId: string, edit: PlanEdit): Promise<SipPlan> {
    return this.db.transaction(async (tx) => {
      // One current plan per person (also a unique index): lock the person row to serialise creators.
      await sql(tx, 'SELECT 1 FROM person WHERE id = $1 FOR UPDATE', [personId]);
      if (await tx.getRepository(SipPlan).existsBy({ personId, status: Not(SipPlanStatus.CLOSED) })) {
        throw DomainError.conflict('The person already has a current SIP plan; revise it instead');
      }
      const empty: SipPlanContent = {
        status: SipPlanStatus.DRAFT,
        overallResponsibilityPrincipal: null,
        overallResponsibilityOrganisationId: null,
        personGoals: '',
        needs: [],
        interventions: [],
        otherMeasures: [],
        participants: [],
        consentGivenAt: null,
        consentValidUntil: null,
        followUpOn: null,
      };
      const content = await this.applyEdit(tx, personId, empty, edit);
      const plan = tx.getRepository(SipPlan).create({ ...content, personId, version: 1, createdBy: actor.staffId });
      await tx.getRepository(SipPlan).save(plan);
      await this.recordVersion(tx, plan, actor, ['plan created']);
      return plan;
    });
  }

  /** Edits a draft or a plan under revision. `expectedVersion` guards against overwriting a colleague's change. */
  async edit(actor: Actor, planId: string, expectedVersion: number, edit: PlanEdit): Promise<SipPlan> {
    return this.revise(actor, planId, expectedVersion, async (tx, plan) => {
      assertContentEditable(plan.status);
      return this.applyEdit(tx, plan.personId, contentOf(plan), edit);
    });
  }

  /** Moves a plan through its lifecycle; activation needs consent, overall responsibility, an intervention and a follow-up date. */
  async transition(actor: Actor, planId: string, expectedVersion: number, to: SipPlanStatus): Promise<SipPlan> {
    return this.revise(actor, planId, expectedVersion, async (_tx, plan) => {
      assertTransition(plan.status, to);
      const next = { ...contentOf(plan), status: to };
      if (to === SipPlanStatus.ACTIVE) assertReadyToActivate(next, today());
      return next;
    });
  }

  /** Following up an intervention does not reopen the plan: its status may change while the plan is active. */
  async setInterventionStatus(
    actor: Actor,
    planId: string,
    expectedVersion: number,
    interventionId: string,
    status: InterventionStatus,
  ): Promise<SipPlan> {
    return this.revise(actor, planId, expectedVersion, async (_tx, plan) => {
      if (plan.status === SipPlanStatus.CLOSED) throw DomainError.invalidState('A closed plan cannot change');
      const intervention = plan.interventions.find((i) => i.id === interventionId);
      if (!intervention) throw DomainError.invalid('interventionId', 'No such intervention in the plan');
      assertMayUpdateInterventionStatus(actor, intervention);
      return {
        ...contentOf(plan),
        interventions: plan.interventions.map((i) => (i.id === interventionId ? { ...i, status } : i)),
      };
    });
  }

  /** Moves the follow-up date of an active plan; the follow-up itself is recorded on the timeline. */
  async setFollowUp(actor: Actor, planId: string, expectedVersion: number, followUpOn: string): Promise<SipPlan> {
    return this.revise(actor, planId, expectedVersion, async (_tx, plan) => {
      if (plan.status === SipPlanStatus.CLOSED) throw DomainError.invalidState('A closed plan cannot change');
      if (followUpOn < today())
        throw DomainError.invalid(
          'followUpOn',
          'The follow-up date cannot be in the past',
          DomainErrorReason.FOLLOW_UP_IN_PAST,
        );
      return { ...contentOf(plan), followUpOn };
    });
  }

  /**
   * Records that a follow-up of a plan in force was held, today (never back-dated), with what it found and
   * the next follow-up date; the plan keeps its content and gets a version that says so. The group is told.
   */
  async recordFollowUp(
    actor: Actor,
    planId: string,
    expectedVersion: number,
    input: { summary: string; nextFollowUpOn: string },
  ): Promise<SipPlan> {
    const heldOn = today();
    if (!input.summary.trim()) throw DomainError.invalid('summary', 'Say what the follow-up found');
    assertNextFollowUp(heldOn, input.nextFollowUpOn);
    let recipients: string[] = [];
    const plan = await this.revise(
      actor,
      planId,
      expectedVersion,
      async (tx, current) => {
        assertMayRecordFollowUp(current.status);
        await sql(
          tx,
          // held_on and recorded_at are the database's own clock (its check ties them): never back-dated.
          `INSERT INTO sip_plan_follow_up (plan_id, person_id, recorded_by, summary, next_follow_up_on) VALUES ($1, $2, $3, $4, $5)`,
          [current.id, current.personId, actor.staffId, input.summary.trim(), input.nextFollowUpOn],
        );
        recipients = await notifyGroup(tx, current.personId, SIP_PLAN_FOLLOW_UP_HELD_NOTIFICATION, {
          date: input.nextFollowUpOn,
        });
        return { ...contentOf(current), followUpOn: input.nextFollowUpOn };
      },
      [`follow-up held on ${heldOn}`],
    );
    // After commit, so live inboxes read the notification that is there.
    await this.notifications?.announce(recipients);
    return plan;
  }

  /**
   * Records that the person approved an adopted version of their plan (signed on paper, or verbally with a
   * named witness). When is the database's clock (never back-dated); one approval per version, never changed.
   */
  async recordApproval(
    actor: Actor,
    planId: string,
    input: { version: number; method: PlanApprovalMethod; witnessName?: string | null },
  ): Promise<SipPlanApproval> {
    const witnessName =
      input.method === PlanApprovalMethod.VERBAL_WITH_WITNESS ? (input.witnessName?.trim() ?? '') : null;
    if (witnessName === '')
      throw DomainError.invalid(
        'witnessName',
        'A verbal approval needs a named witness',
        DomainErrorReason.WITNESS_REQUIRED,
      );
    return this.db.transaction(async (tx) => {
      // Locked like a change of the plan, so two staff recording the same approval get one row and a conflict.
      const plan = await tx
        .getRepository(SipPlan)
        .findOne({ where: { id: planId }, lock: { mode: 'pessimistic_write' } });
      if (!plan) throw DomainError.notFound('plan');
      const versions = await tx
        .getRepository(SipPlanVersion)
        .find({ where: { planId }, select: { version: true, snapshot: true } });
      if (!adoptingVersions(versions).has(input.version)) {
        throw DomainError.invalid(
          'version',
          'Only a version at which the plan was adopted can be approved',
          DomainErrorReason.PLAN_VERSION_NOT_ADOPTED,
        );
      }
      if (await tx.getRepository(SipPlanApproval).existsBy({ planId, version: input.version })) {
        throw DomainError.conflict(
          'The person has already approved this version',
          DomainErrorReason.PLAN_VERSION_ALREADY_APPROVED,
        );
      }
      const [row] = await sql<SipPlanApproval>(
        tx,
        // recorded_at is set by the database (its trigger): never the application's clock.
        `INSERT INTO sip_plan_approval (plan_id, person_id, version, method, witness_name, recorded_by) VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING id, plan_id AS "planId", person_id AS "personId", version, method, witness_name AS "witnessName", recorded_by AS "recordedBy", recorded_at AS "recordedAt"`,
        [planId, plan.personId, input.version, input.method, witnessName, actor.staffId],
      );
      return row as SipPlanApproval;
    });
  }

  approvalsByPlanIds(planIds: readonly string[]): Promise<SipPlanApproval[]> {
    return this.db
      .getRepository(SipPlanApproval)
      .find({ where: { planId: In([...planIds]) }, order: { version: 'DESC' } });
  }

  followUpsByPlanIds(planIds: readonly string[]): Promise<SipFollowUp[]> {
    return this.db
      .getRepository(SipFollowUp)
      .find({ where: { planId: In([...planIds]) }, order: { recordedAt: 'DESC' } });
  }

  async get(planId: string): Promise<SipPlan> {
    const plan = await this.db.getRepository(SipPlan).findOneBy({ id: planId });
    if (!plan) throw DomainError.notFound('plan');
    return plan;
  }

  byPersonIds(personIds: readonly string[]): Promise<SipPlan[]> {
    return this.db
      .getRepository(SipPlan)
      .find({ where: { personId: In([...personIds]) }, order: { createdAt: 'DESC' } });
  }

  versionsByPlanIds(planIds: readonly string[]): Promise<SipPlanVersion[]> {
    return this.db
      .getRepository(SipPlanVersion)
      .find({ where: { planId: In([...planIds]) }, order: { version: 'DESC' } });
  }

  /** Every change goes through here: lock, check the version, change, record an immutable version. */
  private async revise(
    actor: Actor,
    planId: string,
    expectedVersion: number,
    change: (tx: EntityManager, plan: SipPlan) => Promise<SipPlanContent>,
    /** What happened besides the content's change (a follow-up held): always a version of its own. */
    events: string[] = [],
  ): Promise<SipPlan> {
    return this.db.transaction(async (tx) => {
      const plan = await tx
        .getRepository(SipPlan)
        .findOne({ where: { id: planId }, lock: { mode: 'pessimistic_write' } });
      if (!plan) throw DomainError.notFound('plan');
      if (plan.version !== expectedVersion) {
        throw DomainError.conflict(
          `The plan was changed by someone else (now version ${plan.version}); reload it and try again`,
        );
      }
      const before = contentOf(plan);
      const after = await change(tx, plan);
      const changes = [...events, ...describeChanges(before, after)];
      if (changes.length === 0) return plan;
      Object.assign(plan, after, { version: plan.version + 1 });
      await tx.getRepository(SipPlan).save(plan);
      await this.recordVersion(tx, plan, actor, changes);
      return plan;
    });
  }

  private async recordVersion(tx: EntityManager, plan: SipPlan, actor: Actor, changes: string[]): Promise<void> {
    await tx
      .getRepository(SipPlanVersion)
      .insert({ planId: plan.id, version: plan.version, changedBy: actor.staffId, changes, snapshot: contentOf(plan) });
  }

  /** Applies an edit and checks every reference in it (organisations, units, relatives, needs). */
  private async applyEdit(
    tx: EntityManager,
    personId: string,
    current: SipPlanContent,
    edit: PlanEdit,
  ): Promise<SipPlanContent> {
    const next: SipPlanContent = {
      ...current,
      ...Object.fromEntries(Object.entries(edit).filter(([, v]) => v !== undefined)),
      needs: edit.needs ? edit.needs.map((n) => ({ ...n, id: n.id ?? randomUUID() })) : current.needs,
      interventions: edit.interventions
        ? edit.interventions.map((i) => ({ ...i, id: i.id ?? randomUUID() }))
        : current.interventions,
      otherMeasures: edit.otherMeasures
        ? edit.otherMeasures.map((m) => ({ ...m, id: m.id ?? randomUUID() }))
        : current.otherMeasures,
    } as SipPlanContent;

    const needIds = new Set(next.needs.map((n) => n.id));
    next.interventions.forEach((intervention, i) => {
      if (intervention.needId && !needIds.has(intervention.needId))
        throw DomainError.invalid(`interventions.${i}.needId`, 'No such need in the plan');
      if (intervention.responsiblePrincipal === Principal.OTHER) {
        throw DomainError.invalid(
          `interventions.${i}.responsiblePrincipal`,
          'Interventions are the responsibility of the municipality or the region; use measures by others for anyone else',
          DomainErrorReason.INTERVENTION_PRINCIPAL,
        );
      }
    });
    if (next.consentGivenAt && next.consentValidUntil && next.consentValidUntil < next.consentGivenAt) {
      throw DomainError.invalid(
        'consentValidUntil',
        'Consent cannot end before it was given',
        DomainErrorReason.CONSENT_ENDS_BEFORE_GIVEN,
      );
    }

    const orgIds = new Set<string>();
    if (next.overallResponsibilityOrganisationId) orgIds.add(next.overallResponsibilityOrganisationId);
    next.interventions.forEach((i) => orgIds.add(i.responsibleOrganisationId));
    next.otherMeasures.forEach((m) => m.organisationId && orgIds.add(m.organisationId));
    const organisations = new Map(
      orgIds.size ? (await tx.getRepository(Organisation).findBy({ id: In([...orgIds]) })).map((o) => [o.id, o]) : [],
    );
    const unitIds = next.interventions.map((i) => i.responsibleUnitId).filter((id): id is string => !!id);
    const units = new Map(
      unitIds.length ? (await tx.getRepository(Unit).findBy({ id: In(unitIds) })).map((u) => [u.id, u]) : [],
    );

    if (next.overallResponsibilityOrganisationId) {
      const org = organisations.get(next.overallResponsibilityOrganisationId);
      if (!org) throw DomainError.invalid('overallResponsibilityOrganisationId', 'No organisation with that id');
      if (org.principal !== next.overallResponsibilityPrincipal) {
        throw DomainError.invalid(
          'overallResponsibilityOrganisationId',
          'The organisation does not belong to the principal with overall responsibility',
          DomainErrorReason.ORGANISATION_NOT_OF_PRINCIPAL,
        );
      }
    }
    next.interventions.forEach((intervention, i) => {
      const org = organisations.get(intervention.responsibleOrganisationId);
      if (!org)
        throw DomainError.invalid(`interventions.${i}.responsibleOrganisationId`, 'No organisation with that id');
      if (org.principal !== intervention.responsiblePrincipal) {
        throw DomainError.invalid(
          `interventions.${i}.responsibleOrganisationId`,
          'The organisation does not belong to the responsible principal',
          DomainErrorReason.ORGANISATION_NOT_OF_PRINCIPAL,
        );
      }
      if (intervention.responsibleUnitId && units.get(intervention.responsibleUnitId)?.organisationId !== org.id) {
        throw DomainError.invalid(
          `interventions.${i}.responsibleUnitId`,
          'The unit does not belong to the responsible organisation',
          DomainErrorReason.UNIT_NOT_OF_ORGANISATION,
        );
      }
    });
    next.otherMeasures.forEach((m, i) => {
      if (m.organisationId && !organisations.has(m.organisationId))
        throw DomainError.invalid(`otherMeasures.${i}.organisationId`, 'No organisation with that id');
    });

    const relativeIds = next.participants.map((p) => p.relativeId).filter((id): id is string => !!id);
    const relatives = new Map(
      relativeIds.length
        ? (await tx.getRepository(Relative).findBy({ id: In(relativeIds) })).map((r) => [r.id, r])
        : [],
    );
    next.participants.forEach((p, i) => {
      if (p.kind === ParticipantKind.RELATIVE) {
        const relative = p.relativeId ? relatives.get(p.relativeId) : undefined;
        if (!relative || relative.personId !== personId)
          throw DomainError.invalid(`participants.${i}.relativeId`, 'No such relative of the person');
        // SIP: relatives take part only where the person does not object.
        if (!relative.mayParticipate)
          throw DomainError.invalid(
            `participants.${i}.relativeId`,
            'The person has not agreed that this relative takes part',
          );
      }
      if (p.kind === ParticipantKind.STAFF && !p.staffId)
        throw DomainError.invalid(`participants.${i}.staffId`, 'A staff participant needs a staff id');
    });
    return next;
  }
}
